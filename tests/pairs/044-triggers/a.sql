CREATE TABLE articles (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    body text,
    updated_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

CREATE TABLE article_audit (
    article_id bigint,
    op text,
    at timestamptz DEFAULT now()
);

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_touch BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER articles_bump BEFORE UPDATE ON articles
    FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body) EXECUTE FUNCTION bump_version();
CREATE TRIGGER articles_noop AFTER INSERT ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION noop();
CREATE TRIGGER articles_check BEFORE INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION noop();
