CREATE TABLE public.ticket (id int PRIMARY KEY, code text NOT NULL UNIQUE,
    title text);
