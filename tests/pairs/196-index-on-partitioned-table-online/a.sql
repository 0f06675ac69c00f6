CREATE TABLE public.events (id bigint, at date NOT NULL, kind text,
    body text) PARTITION BY RANGE (at);
CREATE TABLE public.events_h1 PARTITION OF public.events
    FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
CREATE TABLE public.events_h2 PARTITION OF public.events
    FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
INSERT INTO public.events SELECT g, '2026-01-01'::date + (g % 360),
    'k' || (g % 7), 'b' FROM generate_series(1, 2000) g;
