CREATE SCHEMA search;
CREATE TEXT SEARCH DICTIONARY search.simple_stop (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);
CREATE TEXT SEARCH DICTIONARY search.en_stem (TEMPLATE = snowball, LANGUAGE = english);
COMMENT ON TEXT SEARCH DICTIONARY search.en_stem IS 'English stems';
CREATE TEXT SEARCH CONFIGURATION search.docs (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION search.docs
    ADD MAPPING FOR asciiword, word WITH search.simple_stop, search.en_stem;
ALTER TEXT SEARCH CONFIGURATION search.docs
    ADD MAPPING FOR numword, int WITH simple;
COMMENT ON TEXT SEARCH CONFIGURATION search.docs IS 'documents';
CREATE TEXT SEARCH CONFIGURATION search.copy (COPY = pg_catalog.english);
CREATE TABLE search.doc (
    id int PRIMARY KEY,
    body text,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('search.docs'::regconfig, body)) STORED
);
CREATE INDEX doc_body ON search.doc USING gin (to_tsvector('search.copy'::regconfig, body));
