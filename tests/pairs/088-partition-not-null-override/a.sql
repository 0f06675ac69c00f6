CREATE TABLE m (id integer NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);
