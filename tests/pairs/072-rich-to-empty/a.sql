CREATE EXTENSION citext;
CREATE EXTENSION hstore;

CREATE SCHEMA "Inventory Ω";
COMMENT ON SCHEMA "Inventory Ω" IS 'stock keeping';

CREATE TYPE "Inventory Ω".unit AS ENUM ('piece', 'kg', 'litre');

CREATE SEQUENCE "Inventory Ω".batch_no CYCLE MAXVALUE 9999;

CREATE FUNCTION "Inventory Ω".positive(n numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT n > 0 $$;

CREATE FUNCTION "Inventory Ω".log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "Inventory Ω".changes (item_id, op) VALUES (NEW.id, TG_OP);
    RETURN NEW;
END
$$;

CREATE TABLE "Inventory Ω".warehouses (
    id integer PRIMARY KEY,
    "name" citext NOT NULL UNIQUE,
    parent_id integer REFERENCES "Inventory Ω".warehouses (id)
);

CREATE TABLE "Inventory Ω".items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse_id integer NOT NULL REFERENCES "Inventory Ω".warehouses (id),
    sku varchar(32) NOT NULL,
    qty numeric(12,3) NOT NULL DEFAULT 0 CHECK ("Inventory Ω".positive(qty + 1)),
    unit "Inventory Ω".unit NOT NULL DEFAULT 'piece',
    attrs hstore,
    batch integer DEFAULT nextval('"Inventory Ω".batch_no'),
    CONSTRAINT "items: sku per warehouse" UNIQUE (warehouse_id, sku)
);
CREATE INDEX items_sku_idx ON "Inventory Ω".items (sku varchar_pattern_ops);
CREATE INDEX items_attrs_idx ON "Inventory Ω".items USING gin (attrs);

CREATE TABLE "Inventory Ω".changes (
    item_id bigint,
    op text,
    at timestamptz DEFAULT now()
);

CREATE TABLE "Inventory Ω".stock_moves (
    item_id bigint NOT NULL,
    moved_on date NOT NULL,
    delta numeric(12,3) NOT NULL
) PARTITION BY LIST (date_part('year', moved_on));
CREATE TABLE "Inventory Ω".stock_moves_2025 PARTITION OF "Inventory Ω".stock_moves
    FOR VALUES IN (2025);

CREATE TRIGGER items_log AFTER INSERT OR UPDATE ON "Inventory Ω".items
    FOR EACH ROW EXECUTE FUNCTION "Inventory Ω".log_change();
ALTER TABLE "Inventory Ω".items DISABLE TRIGGER items_log;

ALTER TABLE "Inventory Ω".items ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Inventory Ω".items FORCE ROW LEVEL SECURITY;
CREATE POLICY "only positive" ON "Inventory Ω".items FOR ALL TO PUBLIC
    USING (qty >= 0) WITH CHECK (qty >= 0);

CREATE VIEW "Inventory Ω".low_stock AS
    SELECT id, sku, qty FROM "Inventory Ω".items WHERE qty < 10
    WITH LOCAL CHECK OPTION;

CREATE MATERIALIZED VIEW "Inventory Ω".totals AS
    SELECT warehouse_id, sum(qty) AS qty FROM "Inventory Ω".items GROUP BY warehouse_id
    WITH NO DATA;
CREATE INDEX totals_wh_idx ON "Inventory Ω".totals (warehouse_id);
COMMENT ON MATERIALIZED VIEW "Inventory Ω".totals IS 'per warehouse';
