CREATE TABLE post (id int PRIMARY KEY, tags text, title text, body text);
CREATE INDEX post_tags ON post (string_to_array(tags, ' '));
ALTER INDEX post_tags ALTER COLUMN 1 SET STATISTICS 3000;
CREATE INDEX post_title ON post (lower(title), id);
ALTER INDEX post_title ALTER COLUMN 1 SET STATISTICS 200;
CREATE INDEX post_body ON post (md5(body));
ALTER INDEX post_body ALTER COLUMN 1 SET STATISTICS 50;
