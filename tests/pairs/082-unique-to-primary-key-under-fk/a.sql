CREATE TABLE account (id integer NOT NULL, email text NOT NULL,
    CONSTRAINT account_id_key UNIQUE (id));
CREATE TABLE login (id integer PRIMARY KEY,
    account_id integer NOT NULL REFERENCES account (id));
CREATE TABLE grant_ (id integer PRIMARY KEY,
    account_id integer REFERENCES account (id) ON DELETE CASCADE);
