CREATE TYPE ticket_state AS ENUM ('open', 'pending', 'closed');

CREATE TYPE "Quirky Ω" AS ENUM ('it''s', 'a;b');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'pending',
    quirk "Quirky Ω"
);
CREATE INDEX tickets_open_idx ON tickets (id) WHERE state = 'pending';
