CREATE TABLE public.item (id int, qty int NOT NULL CONSTRAINT qty_present
    CHECK (qty IS NOT NULL));
