CREATE TABLE item (id int PRIMARY KEY, name text, price numeric);
CREATE VIEW item_v AS SELECT id, name FROM item;
CREATE RULE item_v_ins AS ON INSERT TO item_v DO INSTEAD INSERT INTO item (id, name) VALUES (NEW.id, NEW.name);
COMMENT ON RULE item_v_ins ON item_v IS 'writes through';
CREATE RULE item_del AS ON DELETE TO item DO ALSO NOTIFY item_gone;
ALTER TABLE item DISABLE RULE item_del;
CREATE RULE item_ins AS ON INSERT TO item WHERE NEW.price < 0 DO INSTEAD NOTHING;
