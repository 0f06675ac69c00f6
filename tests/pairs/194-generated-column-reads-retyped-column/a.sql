CREATE TABLE public.reading (id int PRIMARY KEY, raw int, note text);
INSERT INTO public.reading VALUES (1, 10, 'a'), (2, 20, NULL);
