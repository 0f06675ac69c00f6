CREATE TABLE counter (id integer PRIMARY KEY, small integer, big bigint);
