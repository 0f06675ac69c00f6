CREATE SEQUENCE invoice_numbers AS integer
    START 1000 INCREMENT 1 MINVALUE 1000 MAXVALUE 999999 CACHE 10;
COMMENT ON SEQUENCE invoice_numbers IS 'printed invoice numbers';

CREATE SEQUENCE batch_seq AS smallint INCREMENT 2 MINVALUE 0 MAXVALUE 100 START 0 CYCLE;

CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    number integer NOT NULL DEFAULT nextval('invoice_numbers')
);
