CREATE SCHEMA app;
CREATE TYPE app.priority AS ENUM ('low', 'normal', 'high');

CREATE TYPE ticket_status AS ENUM ('open', 'in progress', 'closed');

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    title text NOT NULL,
    status ticket_status NOT NULL DEFAULT 'open',
    priority app.priority
);
