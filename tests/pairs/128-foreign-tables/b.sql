DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_ft_reader') THEN
        CREATE ROLE zn_ft_reader;
    END IF;
END $$;
CREATE SCHEMA remote;
CREATE FOREIGN DATA WRAPPER ft_wrap;
CREATE SERVER east FOREIGN DATA WRAPPER ft_wrap;
CREATE SERVER west FOREIGN DATA WRAPPER ft_wrap OPTIONS (region 'w');
CREATE SERVER north FOREIGN DATA WRAPPER ft_wrap;
CREATE DOMAIN remote.qty AS integer CHECK (VALUE >= 0);
CREATE FOREIGN TABLE remote.orders (
    id integer OPTIONS (column_name 'order_id') NOT NULL,
    customer text COLLATE "C" DEFAULT 'anon',
    amount numeric(10,2) CHECK (amount >= 0),
    amount_cents bigint GENERATED ALWAYS AS ((amount * 100)::bigint) STORED,
    qty remote.qty,
    placed_at timestamptz
) SERVER east OPTIONS (schema_name 'sales', table_name 'orders', fetch 'all');
COMMENT ON FOREIGN TABLE remote.orders IS 'orders in the east';
COMMENT ON COLUMN remote.orders.amount IS 'how much';
GRANT SELECT ON remote.orders TO zn_ft_reader;
GRANT UPDATE (customer) ON remote.orders TO zn_ft_reader;
CREATE VIEW remote.big_orders AS SELECT id, amount FROM remote.orders WHERE amount > 100;
CREATE FUNCTION remote.order_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM remote.orders; END;
CREATE TABLE remote.events (id integer, at timestamptz);
CREATE FOREIGN TABLE remote.old_events (note text) INHERITS (remote.events) SERVER west OPTIONS (batch '10');
COMMENT ON COLUMN remote.old_events.note IS 'free text';
CREATE TABLE remote.metrics (day date NOT NULL, v integer) PARTITION BY RANGE (day);
CREATE TABLE remote.metrics_2025 PARTITION OF remote.metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE FOREIGN TABLE remote.metrics_2024 PARTITION OF remote.metrics FOR VALUES FROM ('2023-01-01') TO ('2025-01-01') SERVER west;
CREATE FOREIGN TABLE "remote"."Odd ""Name""" ("a b" integer, "c""d" text OPTIONS ("x y" 'z''w')) SERVER north;
