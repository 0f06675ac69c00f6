CREATE SCHEMA search;
CREATE TABLE search.doc (id int PRIMARY KEY, body text);
