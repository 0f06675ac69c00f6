CREATE TABLE item (id int PRIMARY KEY, name varchar(50), price numeric);
CREATE VIEW item_v AS SELECT id, name FROM item;
CREATE RULE item_v_ins AS ON INSERT TO item_v DO INSTEAD INSERT INTO item (id, name) VALUES (NEW.id, NEW.name);
CREATE RULE item_del AS ON DELETE TO item DO ALSO NOTIFY item_changed;
CREATE RULE item_upd AS ON UPDATE TO item DO ALSO NOTIFY item_updated;
