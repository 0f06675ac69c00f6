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
CREATE TABLE blog.author (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL UNIQUE
);
CREATE TABLE blog.post (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id integer NOT NULL REFERENCES blog.author (id),
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft',
    published_at timestamptz
);
CREATE INDEX post_author_idx ON blog.post (author_id);
CREATE TABLE blog.comment (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id integer NOT NULL REFERENCES blog.post (id) ON DELETE CASCADE,
    body text NOT NULL
);
CREATE VIEW blog.published AS
    SELECT p.id, p.title, a.name AS author, p.published_at
    FROM blog.post p JOIN blog.author a ON a.id = p.author_id
    WHERE p.status = 'published';
GRANT SELECT ON blog.published TO zn_reader;
GRANT SELECT ON blog.author, blog.post, blog.comment TO zn_reader;
GRANT INSERT, UPDATE ON blog.post, blog.comment TO "zn ""odd"" writer";
GRANT SELECT (id, name) ON blog.author TO PUBLIC;
CREATE FUNCTION blog.post_count(a integer) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM blog.post WHERE author_id = a $$;
GRANT EXECUTE ON FUNCTION blog.post_count(integer) TO zn_reader;
