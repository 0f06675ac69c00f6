CREATE TYPE color AS ENUM ('red', 'green');
CREATE TYPE shade AS ENUM ('red', 'green', 'blue');
CREATE TABLE paint (id integer PRIMARY KEY, c shade NOT NULL DEFAULT 'red', t color, u shade);
