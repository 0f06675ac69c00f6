CREATE TABLE settings (
    id integer PRIMARY KEY,
    theme text DEFAULT 'light'::text,
    retries integer DEFAULT 5,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    flag boolean,
    labels text[] DEFAULT ARRAY['a', 'b']
);
