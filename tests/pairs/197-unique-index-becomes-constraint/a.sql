CREATE TABLE public.acct (id int NOT NULL, code text, email text,
    note text);
CREATE UNIQUE INDEX acct_code_key ON public.acct (code);
CREATE UNIQUE INDEX acct_email_idx ON public.acct (email) INCLUDE (note);
CREATE UNIQUE INDEX acct_id_idx ON public.acct (id);
INSERT INTO public.acct SELECT g, 'c' || g, 'e' || g, 'n' FROM
    generate_series(1, 500) g;
