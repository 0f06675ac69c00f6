CREATE TABLE public.acct (id int NOT NULL, code text, email text,
    note text);
ALTER TABLE public.acct ADD CONSTRAINT acct_code_key UNIQUE (code);
ALTER TABLE public.acct ADD CONSTRAINT acct_email_key UNIQUE (email)
    INCLUDE (note);
ALTER TABLE public.acct ADD CONSTRAINT acct_pkey PRIMARY KEY (id);
