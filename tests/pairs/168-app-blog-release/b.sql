DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE SCHEMA blog;
GRANT USAGE ON SCHEMA blog TO zn_reader, "zn ""odd"" writer";
CREATE TYPE blog.post_status AS ENUM ('draft', 'published', 'archived');
CREATE DOMAIN blog.slug AS text CONSTRAINT slug_format CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
CREATE TABLE blog.author (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL UNIQUE
);
CREATE TABLE blog.post (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES blog.author (id),
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status blog.post_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    slug blog.slug UNIQUE,
    updated_at timestamptz
);
CREATE INDEX post_author_idx ON blog.post (author_id);
CREATE INDEX post_published_idx ON blog.post (published_at) WHERE status = 'published';
CREATE TABLE blog.comment (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id integer NOT NULL REFERENCES blog.post (id) ON DELETE CASCADE,
    body text NOT NULL
);
CREATE TABLE blog.tag (name blog.slug PRIMARY KEY);
CREATE TABLE blog.post_tag (
    post_id integer NOT NULL REFERENCES blog.post (id) ON DELETE CASCADE,
    tag blog.slug NOT NULL REFERENCES blog.tag (name) ON UPDATE CASCADE,
    PRIMARY KEY (post_id, tag)
);
CREATE FUNCTION blog.join_step(text, text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ' ' || $2 END $$;
CREATE AGGREGATE blog.tag_line(text) (SFUNC = blog.join_step, STYPE = text);
CREATE VIEW blog.published AS
    SELECT p.id, p.title, a.name AS author, p.published_at,
        (SELECT blog.tag_line(t.tag ORDER BY t.tag) FROM blog.post_tag t WHERE t.post_id = p.id) AS tags
    FROM blog.post p JOIN blog.author a ON a.id = p.author_id
    WHERE p.status = 'published';
GRANT SELECT ON blog.published TO zn_reader;
GRANT SELECT ON blog.author, blog.post, blog.comment, blog.tag, blog.post_tag TO zn_reader;
GRANT INSERT, UPDATE ON blog.post, blog.comment TO "zn ""odd"" writer";
GRANT INSERT, DELETE ON blog.post_tag TO "zn ""odd"" writer";
CREATE FUNCTION blog.post_count(a bigint) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM blog.post WHERE author_id = a $$;
REVOKE EXECUTE ON FUNCTION blog.post_count(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION blog.post_count(bigint) TO zn_reader;
CREATE FUNCTION blog.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER post_touch BEFORE UPDATE ON blog.post
    FOR EACH ROW EXECUTE FUNCTION blog.touch();
CREATE FUNCTION blog.tag_seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO blog.tag (name) VALUES (NEW.tag) ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER post_tag_seen BEFORE INSERT ON blog.post_tag
    FOR EACH ROW EXECUTE FUNCTION blog.tag_seen();
