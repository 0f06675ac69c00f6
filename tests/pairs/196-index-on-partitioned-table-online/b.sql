CREATE TABLE public.events (id bigint, at date NOT NULL, kind text,
    body text) PARTITION BY RANGE (at);
CREATE TABLE public.events_h1 PARTITION OF public.events
    FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
CREATE TABLE public.events_h2 PARTITION OF public.events
    FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
CREATE INDEX events_kind ON public.events (kind, at);
CREATE UNIQUE INDEX events_id_at ON public.events (id, at);
