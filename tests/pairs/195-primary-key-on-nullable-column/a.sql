CREATE TABLE public.ticket (id int, code text, title text);
INSERT INTO public.ticket VALUES (1, 'a', 'x'), (2, 'b', 'y');
