CREATE TYPE priority AS ENUM ('low', 'high');

CREATE TABLE tasks (
    id integer PRIMARY KEY,
    priority priority NOT NULL DEFAULT 'low'
);
CREATE INDEX tasks_priority_idx ON tasks (priority);
