CREATE SEQUENCE counter AS bigint INCREMENT 1 MINVALUE 1 MAXVALUE 1000 CACHE 1 NO CYCLE;

CREATE SEQUENCE ticker AS smallint;

CREATE SEQUENCE down_counter INCREMENT -1 MINVALUE -500 MAXVALUE 0 START 0;

CREATE TABLE jobs (
    id bigint PRIMARY KEY DEFAULT nextval('counter'),
    tick integer DEFAULT nextval('ticker')
);
