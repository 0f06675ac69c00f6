CREATE TABLE public.item (id int, qty int CONSTRAINT qty_present
    CHECK (qty IS NOT NULL));
INSERT INTO public.item SELECT g, g FROM generate_series(1, 500) g;
