CREATE TABLE profiles (
    id bigint PRIMARY KEY,
    name text
);
