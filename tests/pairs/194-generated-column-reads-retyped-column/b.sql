CREATE TABLE public.reading (id int PRIMARY KEY, raw bigint, note text,
    doubled bigint GENERATED ALWAYS AS (raw * 2) STORED,
    note_len int GENERATED ALWAYS AS (length(note)) STORED);
