#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn init and zn pull: a new project, empty or with the live schema
# pulled into its declaration (zn-diff --yaml @empty @, or --sql), which
# materialises back to the graph the live database has: zero drift from
# the first day.

setup_file() {
	load helpers/common
	zn_pg_start
}

teardown_file() {
	load helpers/common
	zn_pg_stop
}

setup() {
	load helpers/common
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
}

# The graph hash of the live database and of the pulled declaration
# (materialised in an ephemeral cluster, as a project's zn-diff does).
same_graph() {
	local live pulled
	live=$(zn-snapshot -d "$1" | head -n 1 | jq -r .hash)
	pulled=$(zn-snapshot --declared "$2" | head -n 1 | jq -r .hash)
	[ -n "$live" ] && [ "$live" = "$pulled" ] ||
	    fail "live $live, pulled $pulled"
}

@test "zn init: zanith.yaml, migrations/ and schema.yaml that zn reads; nothing written over a file that is there" {
	run_zn 0 zn init p
	assert_output "wrote p/zanith.yaml, p/schema.yaml and p/migrations/"
	[ -d p/migrations ]
	grep -q '^schema: schema.yaml$' p/zanith.yaml
	run_zn 0 zn init --schema schema.sql s
	grep -q '^schema: schema.sql$' s/zanith.yaml
	(cd s && run_zn 0 zn-diff --exit-code --json)
	grep -q '^# database:' p/zanith.yaml
	cd p
	run_zn 0 zn status
	assert_line "0 migrations"
	# Every key it writes is one zn reads: a plan of an empty
	# declaration against an empty database is empty.
	run_zn 0 zn-diff --exit-code --json
	cp zanith.yaml was.yaml
	echo 'CREATE TABLE t (id int);' >schema.sql
	run_zn 1 zn init
	[[ "$stderr" == *"./zanith.yaml is there: nothing written"* ]]
	cmp zanith.yaml was.yaml
	grep -q 'CREATE TABLE t' schema.sql
	rm zanith.yaml
	run_zn 1 zn init --schema schema.sql .
	[[ "$stderr" == *"./schema.sql is there: nothing written"* ]]
	[ ! -e zanith.yaml ]
	run_zn 64 zn init --schema ../x.sql q
	run_zn 64 zn init --schema x.txt q
	run_zn 64 zn init a b
	run_zn 64 zn init --bogus
	[ ! -e q ] && [ ! -e a ]
	run_zn 0 zn -n init -d 'dbname=x y' q
	assert_output "zn-diff -d 'dbname=x y' --yaml @empty @ > q/schema.yaml"
	run_zn 0 zn -n init -d 'dbname=x y' --schema db.sql q
	assert_output "zn-diff -d 'dbname=x y' --sql @empty @ > q/db.sql"
	run_zn 0 zn -n pull -d x
	assert_output "zn-diff --yaml -d x @empty @"
	run_zn 0 zn -n pull --sql
	assert_output "zn-diff --sql @empty @"
}

@test "zn init -d with the database down, or refusing: exit 2 and nothing written" {
	PGHOST=/nonexistent run_zn 2 zn init -d "dbname=$ZN_TEST_DB" p
	[ ! -e p ]
	run_zn 2 zn init -d "dbname=no_such_db_$$" q
	[ ! -e q ]
	mkdir r
	run_zn 2 zn init -d "dbname=no_such_db_$$" r
	[ -z "$(ls -A r)" ]
}

@test "zn init -d: the example project's live schema pulled; it materialises to the same graph, and zn-diff finds nothing to do" {
	zn_sql -f "$ZN_TOP/examples/schema.sql"
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB" p
	grep -q "^database: 'dbname=$ZN_TEST_DB'$" p/zanith.yaml
	# YAML: the tables as tables, the trigger as SQL.
	grep -q '^      orgs:$' p/schema.yaml
	grep -q '^    - CREATE TRIGGER users_created ' p/schema.yaml
	same_graph "dbname=$ZN_TEST_DB" p/schema.yaml
	cd p
	run_zn 0 zn-diff --exit-code --json
	assert_line --partial '"ops":0'
	run_zn 0 zn generate first
	[[ "$stderr" == *"no differences; no migration written"* ]]
	# A conninfo with a password stays out of the file.
	cd ..
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB password=s3cret" q
	! grep -q s3cret q/zanith.yaml
	run_zn 0 zn init -d "postgresql://$(psql -X -A -t -c 'SELECT current_user'):s3cret@/$ZN_TEST_DB?host=$PGHOST" r
	! grep -q s3cret r/zanith.yaml
	cmp p/schema.yaml q/schema.yaml
	# As SQL, by the name of the file.
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB" --schema schema.sql s
	grep -q '^CREATE TABLE app.orgs ($' s/schema.sql
	same_graph "dbname=$ZN_TEST_DB" s/schema.sql
}

@test "zn init -d on 300 generated tables with foreign keys, checks and indexes: the same graph" {
	sh "$ZN_TOP/bench/gen-schema" 300 1 | zn_sql
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB" p
	same_graph "dbname=$ZN_TEST_DB" p/schema.yaml
	[ "$(grep -c '^      t_[0-9]*:$' p/schema.yaml)" = 300 ]
}

@test "zn-diff --sql: the plan as a script psql runs; @empty is a database just made; hostile names stay in their quotes" {
	zn_sql -c 'CREATE SCHEMA "we""ird
sch"; CREATE TABLE "we""ird
sch"."t;x" (id int PRIMARY KEY, "c'\''d" text DEFAULT $$a;b$$)' \
	    -c "SET check_function_bodies = off; CREATE FUNCTION public.n() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.later'" \
	    -c 'CREATE TABLE public.later (id int)'
	run_zn 0 zn-diff -d "dbname=$ZN_TEST_DB" --sql @empty @
	printf '%s\n' "$output" >pulled.sql
	# A name's newline does not end its comment line.
	[ "$(grep -c '^-- createTable' pulled.sql)" = 2 ]
	psql -X -q -d postgres -c 'CREATE DATABASE pulled' >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d pulled -f pulled.sql >/dev/null
	[ "$(zn-snapshot -d pulled | head -n 1 | jq -r .hash)" = "$(zn-snapshot | head -n 1 | jq -r .hash)" ]
	psql -X -q -d postgres -c 'DROP DATABASE pulled' >/dev/null
	run_zn 64 zn-diff --sql --json @empty @
	run_zn 64 zn-diff --sql -o x @empty @
	run_zn 64 zn-diff @empty @empty
	run_zn 0 zn-diff --json @ @empty
	assert_line --partial '"op":"softDropTable"'
}

@test "zn config check: zanith.yaml as every command reads it, and what each durable option comes to: ZN_* variable, environment, file" {
	run_zn 0 zn init p
	cd p
	run_zn 0 zn config check
	assert_line "./zanith.yaml: ok"
	assert_line "gates.max_risk           35"
	assert_line "apply.lock_wait          60s"
	assert_line "diff.drop_policy         soft"
	printf 'environments:\n  production: {max_risk: 60, lock_wait: 30s}\n' >>zanith.yaml
	ZN_ENV=production run_zn 0 zn config check
	assert_line "./zanith.yaml: ok, environment production"
	assert_line "gates.max_risk           60  (environment)"
	assert_line "apply.lock_wait          30s  (environment)"
	ZN_ENV=production ZN_LOCK_WAIT=5s run_zn 0 zn config --json
	[ "$(printf '%s\n' "$output" | jq -r '"\(.environment) \(."apply.lock_wait") \(."gates.max_risk") \(.environments | join(","))"')" = "production 5s 60 production" ]
	# An environment's servers: its database over the file's, and the
	# dispatcher's --env chooses it for every command a verb runs.
	printf 'database: dbname=%s\nshadow: {url: "dbname=s", sample_rows: 4}\nenvironments:\n  elsewhere: {database: "dbname=no_such_db_%s password=s3cret", scratch: "dbname=x", sample_rows: 9}\n' "$ZN_TEST_DB" "$$" >../env.yaml
	ZN_CONFIG=../env.yaml run_zn 0 zn config check
	assert_line "database                 dbname=$ZN_TEST_DB"
	assert_line "shadow                   dbname=s"
	assert_line "shadow.sample_rows       4"
	ZN_CONFIG=../env.yaml ZN_ENV=elsewhere run_zn 0 zn config check
	assert_line "database                 (a conninfo with a password)"
	assert_line "scratch                  dbname=x"
	assert_line "shadow.sample_rows       9"
	refute_output --partial s3cret
	ZN_CONFIG=../env.yaml run_zn 0 zn status
	ZN_CONFIG=../env.yaml run_zn 2 zn down --env elsewhere
	[[ "$stderr" == *"no_such_db_$$"* ]]
	printf 'environments:\n  e: {database: 5}\n' >../env2.yaml
	ZN_CONFIG=../env2.yaml run_zn 65 zn config check
	[[ "$stderr" == *"env2.yaml:2:"*"'database' must be a string"* ]]
	ZN_ENV=staging run_zn 65 zn config check
	[[ "$stderr" == *"ZN_ENV names environment staging, which zanith.yaml does not have"* ]]
	printf 'apply:\n  lock_wait: soon\n' >../bad.yaml
	ZN_CONFIG=../bad.yaml run_zn 65 zn config check
	[[ "$stderr" == *"bad.yaml:2:"*"lock_wait"* ]]
	printf 'bogus: 1\n' >>zanith.yaml
	run_zn 65 zn config check
	[[ "$stderr" == *"zanith.yaml:"*"unknown key 'bogus'"* ]]
	run_zn 64 zn-ledger -C .. config extra
}

# Kinds YAML holds and kinds it does not, in the orders that trip a
# fixed order of creation: a domain and a composite type a table uses, a
# domain over an enum, a routine that returns a table's rows and a view
# that calls it, partitions, inheritance, a materialized view with an
# index, triggers, a rule, privileges to a role of the test's own, and
# names with quotes, dots, line breaks and YAML's own line separators.
hostile_kinds() {
	zn_sql -q <<-'SQL'
	DO $$BEGIN CREATE ROLE zn_pull_reader; EXCEPTION WHEN duplicate_object THEN NULL; END$$;
	CREATE SCHEMA app;
	CREATE SCHEMA "odd.sch";
	CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
	CREATE TYPE app.level AS ENUM ('low', 'high');
	CREATE DOMAIN app.cheer AS app.mood CHECK (VALUE <> 'sad');
	CREATE DOMAIN app.email AS text CHECK (VALUE ~ '@') NOT NULL;
	CREATE TYPE app.pair AS (a int, b text);
	CREATE TYPE app.span AS RANGE (subtype = float8);
	CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
	CREATE TABLE app.users (
	    id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
	    email app.email,
	    nick text COLLATE app.ci,
	    "Odd ""col""" text DEFAULT 'it''s: #1' COLLATE "C",
	    mood app.cheer,
	    level app.level,
	    p app.pair,
	    s app.span,
	    total numeric(10,2) GENERATED ALWAYS AS (1.5) STORED,
	    CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email) DEFERRABLE INITIALLY DEFERRED
	);
	COMMENT ON CONSTRAINT users_email_key ON app.users IS 'one each';
	COMMENT ON COLUMN app.users."Odd ""col""" IS E'line one\nline two\u2028three';
	CREATE TABLE app."we""ird
	t" (id int PRIMARY KEY, user_id bigint REFERENCES app.users ON DELETE CASCADE, "x y" int CHECK ("x y" > 0) NO INHERIT);
	CREATE INDEX "we""ird ix" ON app."we""ird
	t" (lower("x y"::text) text_pattern_ops DESC NULLS LAST) WHERE id > 0;
	CREATE INDEX users_nick_c ON app.users (nick COLLATE "C");
	CREATE TABLE app.events (at timestamptz NOT NULL, what text) PARTITION BY RANGE (at);
	CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
	CREATE INDEX events_at ON app.events (at);
	CREATE TABLE app.base (id int, note text);
	CREATE TABLE app.child (extra int) INHERITS (app.base);
	CREATE TABLE "odd.sch".t (id int PRIMARY KEY);
	CREATE TABLE app.reff (t_id int REFERENCES "odd.sch".t);
	CREATE FUNCTION app.active() RETURNS SETOF app.users LANGUAGE sql STABLE AS 'SELECT * FROM app.users';
	CREATE VIEW app.active_users AS SELECT id, email FROM app.active();
	CREATE VIEW app.plain AS SELECT id FROM app.users WITH LOCAL CHECK OPTION;
	CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.users WITH NO DATA;
	CREATE UNIQUE INDEX counts_n ON app.counts (n);
	CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $f$BEGIN
	    RETURN NEW;
	END$f$;
	CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
	CREATE RULE no_del AS ON DELETE TO app.base DO INSTEAD NOTHING;
	CREATE AGGREGATE app.total(int) (sfunc = int4pl, stype = int);
	ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
	CREATE POLICY mine ON app.users AS RESTRICTIVE FOR SELECT TO zn_pull_reader USING (id > 0);
	GRANT USAGE ON SCHEMA app TO zn_pull_reader;
	GRANT SELECT ON app.users TO zn_pull_reader;
	GRANT UPDATE (nick) ON app.users TO zn_pull_reader;
	REVOKE EXECUTE ON FUNCTION app.active() FROM PUBLIC;
	CREATE SEQUENCE app.counter AS integer START 7 CACHE 4 CYCLE;
	COMMENT ON SEQUENCE app.counter IS 'true';
	SQL
}

@test "zn pull: every kind YAML holds written as YAML, the rest as SQL in its place; hostile names; it materialises to the same graph, and its checks are the scratch server's" {
	hostile_kinds
	# Roles are the server's: materialised where the role exists.
	run_zn 0 zn pull -d "dbname=$ZN_TEST_DB" --scratch-url "dbname=$ZN_TEST_DB"
	printf '%s\n' "$output" >pulled.yaml
	# YAML where YAML can: the tables, the partition, the enum, the
	# identity's numbers, the view that reads only a table.
	grep -q '^      users:$' pulled.yaml
	grep -q '^      events_2026:$' pulled.yaml
	grep -q '^          table: app.events$' pulled.yaml
	grep -q '^              start: "10"$' pulled.yaml
	grep -q '^      plain:$' pulled.yaml
	# An enum no domain uses, a sequence and a trigger's routine.
	grep -q '^        values: \[low, high\]$' pulled.yaml
	grep -q '^      counter:$' pulled.yaml
	grep -q '^        CREATE OR REPLACE FUNCTION app.touch()$' pulled.yaml
	grep -q '^      "we\\"ird\\nt":$' pulled.yaml
	grep -q '^            comment: "line one\\nline two\\u2028three"$' pulled.yaml
	# SQL first: the domains and types the tables use, and the enum a
	# domain is made of.
	sed -n '/^  first:$/,/^  last:$/p' pulled.yaml >first.txt
	grep -q 'CREATE DOMAIN app.cheer' first.txt
	grep -q 'CREATE TYPE app.mood AS ENUM' first.txt
	# SQL last: the routine of rows, the view on it, the trigger, the
	# rule, the grants.
	sed -n '/^  last:$/,$p' pulled.yaml >last.txt
	grep -q 'CREATE OR REPLACE FUNCTION app.active()' last.txt
	grep -q 'CREATE VIEW app.active_users' last.txt
	grep -q 'CREATE TRIGGER users_touch' last.txt
	# A key with a collation of its own: the index as SQL, built plainly
	# in the declaration's transaction; pg_catalog's collation as YAML.
	grep -q '^    - CREATE INDEX users_nick_c ON app.users ' last.txt
	! grep -q CONCURRENTLY pulled.yaml
	grep -q '^            collation: C$' pulled.yaml
	grep -q 'GRANT SELECT ON TABLE app.users TO zn_pull_reader' last.txt
	live=$(zn-snapshot -d "dbname=$ZN_TEST_DB" | head -n 1 | jq -r .hash)
	pulled=$(zn-snapshot --declared pulled.yaml --scratch-url "dbname=$ZN_TEST_DB" | head -n 1 | jq -r .hash)
	assert_equal "$pulled" "$live"
	# The file declares privileges too: a grant made since is a change.
	zn_sql -c 'GRANT INSERT ON app.users TO zn_pull_reader'
	run_zn 1 zn-diff -d "dbname=$ZN_TEST_DB" --scratch-url "dbname=$ZN_TEST_DB" --exit-code --json @ pulled.yaml
	assert_line --partial 'REVOKE INSERT ON TABLE app.users FROM zn_pull_reader'
}

@test "zn pull: the role a grant names missing on the scratch server is exit 2 and nothing written; --yaml with other FROM or flags is a usage error" {
	hostile_kinds
	run_zn 2 zn pull -d "dbname=$ZN_TEST_DB"
	[[ "$stderr" == *"the declaration pulled does not materialise"*'role "zn_pull_reader" does not exist'* ]]
	assert_output ""
	run_zn 64 zn-diff --yaml @ @empty
	run_zn 64 zn-diff --yaml @
	run_zn 64 zn-diff --yaml --sql @empty @
	run_zn 64 zn-diff --yaml --offline @empty @
	run_zn 64 zn-diff --yaml -o x @empty @
	PGHOST=/nonexistent run_zn 2 zn pull
}

@test "zn pull: a declaration that does not come back to the live graph is exit 2, the differences named, nothing written and nothing left behind" {
	# A column added to a parent after its child was made comes after
	# the child's own columns, an order no CREATE TABLE makes (and none
	# the planner changes): the check finds the graphs differ and names
	# the table.
	zn_sql -q -c 'CREATE TABLE base (id int)' \
	    -c 'CREATE TABLE sub (x int) INHERITS (base)' \
	    -c 'ALTER TABLE base ADD COLUMN z int'
	mkdir tmp
	TMPDIR=$PWD/tmp run_zn 2 zn pull -d "dbname=$ZN_TEST_DB"
	[[ "$stderr" == *"the declaration pulled does not materialise to the same schema"* ]]
	[[ "$stderr" == *"pulled and live: table public.sub (differs)"* ]]
	assert_output ""
	[ -z "$(ls -A tmp)" ]
	# As SQL it is written; its order is PostgreSQL's (zn-diff(1)).
	run_zn 0 zn pull --sql -d "dbname=$ZN_TEST_DB"
	assert_line --partial 'CREATE TABLE public.sub'
}

@test "zn pull: a partition's and a child's own NOT NULL, default and comment on the columns they inherit come back in sql.last" {
	zn_sql -q -c 'CREATE TABLE m (id int, at date, v text) PARTITION BY RANGE (at)' \
	    -c "CREATE TABLE m_2026 PARTITION OF m (v DEFAULT 'x') FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')" \
	    -c 'ALTER TABLE m_2026 ALTER COLUMN id SET NOT NULL' \
	    -c "CREATE TABLE base (id int, v text DEFAULT 'p')" \
	    -c 'CREATE TABLE sub (x int) INHERITS (base)' \
	    -c "ALTER TABLE sub ALTER COLUMN v SET DEFAULT 'c', ALTER COLUMN v SET NOT NULL" \
	    -c "COMMENT ON COLUMN sub.id IS 'the child''s'"
	run_zn 0 zn pull -d "dbname=$ZN_TEST_DB"
	printf '%s\n' "$output" >s.yaml
	assert_line --partial "ALTER TABLE public.m_2026 ALTER COLUMN id SET NOT NULL"
	assert_line --partial "ALTER TABLE public.sub ALTER COLUMN v SET DEFAULT 'c'::text"
	assert_line --partial "COMMENT ON COLUMN public.sub.id IS 'the child''s'"
	same_graph "dbname=$ZN_TEST_DB" s.yaml
}

@test "zn-schema(5) sql: first and last run in their places; a bad shape is exit 65 at its position" {
	cat >s.yaml <<-'YAML'
	sql:
	  first:
	    - CREATE DOMAIN public.pos AS int CHECK (VALUE > 0)
	  last:
	    - {sql: "COMMENT ON TABLE t IS 'from sql.last'"}
	tables:
	  t:
	    columns:
	      n: pos
	YAML
	run_zn 0 zn-snapshot --declared s.yaml --json
	assert_line --partial '"kind":"domain","schema":"public","name":"pos"'
	assert_line --partial '"comment":"from sql.last"'
	head -n 1 <<<"$output" | jq -e '.source.complete == true'
	# Each bad file, and what its error says: where, and about what (a
	# statement the server refuses, at its line).
	while IFS='|' read -r body want; do
		printf '%b' "$body" >bad.yaml
		run_zn 65 zn-snapshot --declared bad.yaml
		[[ "$stderr" == *"bad.yaml:"$want* ]] || fail "$body: $stderr"
	done <<-'CASES'
	sql: [x]\n|1:*mapping
	sql:\n  middle: []\n|2:*middle
	sql:\n  first: [1]\n|2:*SQL text
	sql:\n  last: [{sql: "SELECT 1", x: 2}]\n|2:*x
	sql:\n  last:\n    - CREATE TABLE t (n nosuchtype)\n|3:*nosuchtype
	CASES
	# Without the key a YAML file leaves privileges alone; with it,
	# even empty, it declares them.
	zn_sql -q -c 'DO $$BEGIN CREATE ROLE zn_pull_reader; EXCEPTION WHEN duplicate_object THEN NULL; END$$' \
	    -c 'CREATE TABLE public.g (id int)' \
	    -c 'GRANT SELECT ON public.g TO zn_pull_reader'
	printf 'tables:\n  g:\n    columns:\n      id: integer\n' >g.yaml
	run_zn 0 zn-diff -d "dbname=$ZN_TEST_DB" --scratch-url "dbname=$ZN_TEST_DB" --exit-code --json @ g.yaml
	printf 'sql: {}\n' >>g.yaml
	run_zn 1 zn-diff -d "dbname=$ZN_TEST_DB" --scratch-url "dbname=$ZN_TEST_DB" --exit-code --json @ g.yaml
	assert_line --partial 'REVOKE SELECT ON TABLE public.g FROM zn_pull_reader'
}
