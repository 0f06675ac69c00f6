CREATE TYPE ticket_state AS ENUM ('open', 'waiting', 'closed');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'open'
);
