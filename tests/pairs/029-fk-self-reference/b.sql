CREATE TABLE categories (
    id integer PRIMARY KEY,
    name text NOT NULL,
    parent_id integer REFERENCES categories (id) ON DELETE CASCADE
);

CREATE TABLE employees (
    id bigint PRIMARY KEY,
    manager_id bigint REFERENCES employees (id) ON DELETE SET NULL,
    name text NOT NULL
);
