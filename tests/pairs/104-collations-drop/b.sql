CREATE SCHEMA app;
CREATE TABLE app.person (id int PRIMARY KEY);
CREATE INDEX person_id ON app.person (id);
