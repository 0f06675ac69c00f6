CREATE SCHEMA search;
CREATE TEXT SEARCH DICTIONARY search.simple_stop (TEMPLATE = pg_catalog.simple, STOPWORDS = russian);
CREATE TEXT SEARCH DICTIONARY search.en_stem (TEMPLATE = snowball, LANGUAGE = english);
COMMENT ON TEXT SEARCH DICTIONARY search.en_stem IS 'English word stems';
CREATE TEXT SEARCH CONFIGURATION search.docs (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION search.docs
    ADD MAPPING FOR asciiword WITH search.en_stem;
ALTER TEXT SEARCH CONFIGURATION search.docs
    ADD MAPPING FOR word WITH search.simple_stop, search.en_stem;
ALTER TEXT SEARCH CONFIGURATION search.docs
    ADD MAPPING FOR numword, email WITH simple;
CREATE TEXT SEARCH CONFIGURATION search.copy (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION search.copy DROP MAPPING FOR url;
CREATE TABLE search.doc (
    id int PRIMARY KEY,
    body text,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('search.docs'::regconfig, body)) STORED
);
CREATE INDEX doc_body ON search.doc USING gin (to_tsvector('search.copy'::regconfig, body));
