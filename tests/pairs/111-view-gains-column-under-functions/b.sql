CREATE TABLE task (id integer PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false, due date);
CREATE VIEW open_task AS SELECT id, title, due FROM task WHERE NOT done;
CREATE VIEW late_task AS SELECT id, due FROM task WHERE due < current_date;
CREATE FUNCTION open_tasks() RETURNS SETOF open_task LANGUAGE sql STABLE
    AS $$ SELECT * FROM open_task $$;
CREATE FUNCTION task_label(t open_task) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT '#' || t.id || ' ' || t.title $$;
CREATE FUNCTION late_tasks() RETURNS SETOF late_task LANGUAGE sql STABLE
    AS $$ SELECT * FROM late_task $$;
