CREATE TABLE settings (
    id integer PRIMARY KEY,
    theme text,
    retries integer DEFAULT 3,
    created_at timestamptz DEFAULT now(),
    flag boolean DEFAULT false,
    labels text[]
);
