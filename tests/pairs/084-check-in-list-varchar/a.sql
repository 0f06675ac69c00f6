CREATE TABLE ticket (id integer PRIMARY KEY, state varchar(16) NOT NULL);
