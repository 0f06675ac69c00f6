#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-diff: online forms, soft drops that keep data, exit codes, op
# streams and migration files read back, damaged input refused.

setup_file() { load helpers/common; zn_pg_start; }
teardown_file() { load helpers/common; zn_pg_stop; }
setup() {
	load helpers/common
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
	URL="host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=postgres"
	cat >old.sql <<-'SQL'
	CREATE TABLE orgs (id bigint PRIMARY KEY);
	CREATE TABLE users (
	    id bigint PRIMARY KEY,
	    org_id bigint,
	    email text,
	    nick text NOT NULL DEFAULT 'x'
	);
	SQL
}

ops() {
	printf '%s\n' "$output" | jq -r 'select(.kind == "op") | .op' | paste -sd' ' -
}

@test "an index added to an existing table is one CREATE INDEX CONCURRENTLY outside a transaction" {
	cp old.sql new.sql
	echo 'CREATE INDEX users_email ON users (email);' >>new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "addIndex" ]
	op=$(printf '%s\n' "$output" | jq -c 'select(.kind == "op")')
	[ "$(jq -r .transactional <<<"$op")" = false ]
	[ "$(jq -r '.sql | length' <<<"$op")" = 1 ]
	[ "$(jq -r '.sql[0]' <<<"$op")" = 'CREATE INDEX CONCURRENTLY users_email ON public.users USING btree (email)' ]
	[ "$(jq -r '.reverse[0]' <<<"$op")" = 'DROP INDEX CONCURRENTLY IF EXISTS public.users_email' ]
}

@test "a foreign key added to an existing table is NOT VALID, then validated by a later op" {
	cp old.sql new.sql
	echo 'ALTER TABLE users ADD CONSTRAINT users_org FOREIGN KEY (org_id) REFERENCES orgs (id);' >>new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "addForeignKey validateConstraint" ]
	printf '%s\n' "$output" | jq -r 'select(.step == 1) | .sql[0]' | grep -q 'NOT VALID$'
	printf '%s\n' "$output" | jq -r 'select(.step == 2) | .sql[0]' |
	    grep -qx 'ALTER TABLE public.users VALIDATE CONSTRAINT users_org'
}

@test "NOT NULL on an existing column goes through a validated CHECK; UNIQUE through a concurrent index" {
	sed -e 's/email text,/email text NOT NULL UNIQUE,/' old.sql >new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "addCheck addIndex addUnique validateConstraint alterColumnNullable" ]
	printf '%s\n' "$output" | jq -r 'select(.op == "addIndex") | .sql[0]' |
	    grep -q '^CREATE UNIQUE INDEX CONCURRENTLY users_email_key'
	printf '%s\n' "$output" | jq -r 'select(.op == "addUnique") | .sql[0]' |
	    grep -q 'ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key$'
}

@test "a new table gets the plain forms, and its foreign keys come after every table" {
	printf 'CREATE TABLE a (id int PRIMARY KEY, b_id int);\nCREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);\nALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;\nCREATE INDEX a_b ON a (b_id);\n' >cycle.sql
	: >empty.sql
	run_zn zn-diff --scratch-url "$URL" empty.sql cycle.sql
	[ "$(ops)" = "createTable createTable addForeignKey addForeignKey" ]
	! printf '%s\n' "$output" | grep -q 'CONCURRENTLY\|NOT VALID'
}

@test "a removed column is soft-dropped, keeps its data, and its reverse brings it back" {
	zn_sql -f old.sql
	zn_sql -c "INSERT INTO orgs VALUES (1); INSERT INTO users VALUES (7, 1, 'a@b', 'neo')"
	sed -e '/nick text/d' -e 's/email text,/email text/' old.sql >new.sql
	run_zn zn-snapshot -o a.graph
	run_zn zn-diff --scratch-url "$URL" a.graph new.sql
	printf '%s\n' "$output" >plan
	[ "$(ops)" = "softDropColumn" ]
	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan
	# Inserts that leave the column out keep working.
	zn_sql -c "INSERT INTO users (id, org_id, email) VALUES (8, 1, 'c@d')"
	zn_sql -c "DELETE FROM users WHERE id = 8"
	run_zn zn-snapshot -o b.graph
	run_zn zn-diff --json --scratch-url "$URL" b.graph new.sql
	[ "$(ops)" = "" ]
	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan reverse
	[ "$(psql -X -A -t -c 'SELECT nick FROM users WHERE id = 7')" = neo ]
	run_zn zn-snapshot -o c.graph
	diff <(sed '1d' a.graph) <(sed '1d' c.graph)
}

@test "--drop-policy drop and archive name their ops; a bad policy is a usage error" {
	sed -e '/nick text/d' -e 's/email text,/email text/' old.sql >new.sql
	run_zn zn-diff --drop-policy drop --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "dropColumn" ]
	run_zn zn-diff --drop-policy archive --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "archiveColumn" ]
	run_zn 64 zn-diff --drop-policy maybe old.sql new.sql
	[[ $stderr == *"soft, archive or drop"* ]]
}

@test "--exit-code: 1 with differences, 0 without" {
	run_zn zn-diff --exit-code --scratch-url "$URL" old.sql old.sql
	[ "$(ops)" = "" ]
	cp old.sql new.sql
	echo 'CREATE TABLE t (x int);' >>new.sql
	run_zn 1 zn-diff --exit-code --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "createTable" ]
}

@test "a stream reads back; truncated or altered streams are refused with 65" {
	cp old.sql new.sql
	echo 'CREATE INDEX users_email ON users (email);' >>new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	printf '%s\n' "$output" >plan
	run_zn zn-diff --read plan
	[ "$output" = "$(cat plan)" ]
	sed '$d' plan >cut
	run_zn 65 zn-diff --read cut
	[[ $stderr == *"truncated op stream"* ]]
	sed 's/CONCURRENTLY/CONCURRENTLY IF NOT EXISTS/' plan >edited
	run_zn 65 zn-diff --read edited
	[[ $stderr == *"checksum mismatch"* ]]
	head -c 0 plan >empty
	run_zn 65 zn-diff --read empty
}

@test "-o writes a migration file that reads back to the same ops, and survives hand edits" {
	cp old.sql new.sql
	echo 'CREATE INDEX users_email ON users (email);' >>new.sql
	echo "COMMENT ON TABLE users IS 'it''s
two lines';" >>new.sql
	export SOURCE_DATE_EPOCH=1767225600
	run_zn zn-diff --scratch-url "$URL" --json old.sql new.sql
	printf '%s\n' "$output" >plan
	run_zn zn-diff --scratch-url "$URL" -o mig --name add_email old.sql new.sql
	[ -f mig/20260101_000000_add_email.yaml ]
	grep -q '^      - |-$' mig/20260101_000000_add_email.yaml
	run_zn zn-diff --read mig/20260101_000000_add_email.yaml
	diff <(jq -c 'select(.kind == "op") | [.op, .sql, .reverse, .transactional]' plan) \
	    <(printf '%s\n' "$output" | jq -c 'select(.kind == "op") | [.op, .sql, .reverse, .transactional]')
	printf '%s\n' "$output" | jq -r 'select(.kind == "migration") | .id' |
	    grep -qx 20260101_000000_add_email
	# A person adds a raw SQL op at the end.
	cat >>mig/20260101_000000_add_email.yaml <<-'YAML'
	  - op: rawSql
	    sql: |
	      UPDATE public.users SET email = lower(email);
	YAML
	run_zn zn-diff --read mig
	[ "$(ops)" = "setComment addIndex rawSql" ]
	printf '%s\n' "$output" | jq -r 'select(.op == "rawSql") | .transactional' | grep -qx true
	run_zn zn-diff --read mig
}

@test "a migration file with a mistake is refused at its line and column" {
	mkdir mig
	printf 'ops:\n  - op: rawSql\n    sql: SELECT 1\n    colour: red\n' >mig/20260101_000000_x.yaml
	run_zn 65 zn-diff --read mig/20260101_000000_x.yaml
	[[ $stderr == *"20260101_000000_x.yaml:4:"*"unknown key 'colour'"* ]]
	printf 'ops:\n  - op: addIndex\n    transactional: false\n    sql: [SELECT 1, SELECT 2]\n' >mig/20260101_000000_x.yaml
	run_zn 65 zn-diff --read mig
	[[ $stderr == *"non-transactional op runs exactly one statement"* ]]
	printf 'ops:\n  - target: x\n' >mig/20260101_000000_x.yaml
	run_zn 65 zn-diff --read mig
	[[ $stderr == *"needs 'op'"* ]]
}

@test "zn generate NAME writes the next migration into the configured directory" {
	zn_sql -f old.sql
	cp old.sql new.sql
	echo 'ALTER TABLE users ADD COLUMN seen timestamptz;' >>new.sql
	printf 'database: dbname=%s\nschema: new.sql\nscratch: "%s"\nmigrations: db/migrations\n' \
	    "$ZN_TEST_DB" "$URL" >zanith.yaml
	export SOURCE_DATE_EPOCH=1767225600
	run_zn zn generate add_seen
	[ -f db/migrations/20260101_000000_add_seen.yaml ]
	run_zn zn-diff --read db/migrations
	[ "$(ops)" = "addColumn" ]
	run_zn 64 zn generate
	run_zn 64 zn-diff --name 'Bad Name' old.sql new.sql
}

@test "graphs from different major versions are not compared" {
	run_zn zn-snapshot -o a.graph
	jq -c 'if .kind == "graph" then .server_version_num = 140005 else . end' a.graph >b.graph
	run_zn 2 zn-diff a.graph b.graph
	[[ $stderr == *"PostgreSQL 15 and 14"* ]]
}

@test "the full fixture to nothing with soft drops parks everything and comes back" {
	zn_load_fixture full.sql
	run_zn zn-snapshot -o full.graph
	: >empty.sql
	run_zn zn-diff --scratch-url "$URL" full.graph empty.sql
	printf '%s\n' "$output" >plan
	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan
	run_zn zn-snapshot -o after.graph
	# Only what soft drops keep on purpose is left.
	[ "$(jq -r 'select(.kind != "graph" and .kind != "end") | .kind + " " + .name' after.graph | paste -sd, -)" = \
	    "extension btree_gist,schema public" ]
	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan reverse
	run_zn zn-snapshot -o back.graph
	diff <(sed 1d full.graph) <(sed 1d back.graph)
}

@test "declaring what is live with other spellings gives an empty diff" {
	zn_sql -c "CREATE TYPE mood AS ENUM ('sad', 'ok');
	    CREATE TABLE t (
	        a integer NOT NULL, b boolean DEFAULT false,
	        c character varying(10) DEFAULT 'x'::character varying,
	        d timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
	        e text[] DEFAULT '{}'::text[], f numeric(10,2), g double precision,
	        h character(1), m mood DEFAULT 'ok'::mood, n bigint DEFAULT 0,
	        CONSTRAINT t_pkey PRIMARY KEY (a));
	    CREATE INDEX t_b ON t USING btree (b ASC NULLS LAST);
	    CREATE INDEX t_c ON t (c text_ops);"
	cat >decl.yaml <<-'YAML'
	enums:
	  mood: [sad, ok]
	tables:
	  t:
	    columns:
	      a: {type: int4, primary_key: true}
	      b: {type: bool, default: "false"}
	      c: {type: varchar(10), default: "'x'"}
	      d: {type: timestamptz, default: CURRENT_TIMESTAMP}
	      e: {type: "text[]", default: "'{}'"}
	      f: {type: "decimal(10,2)"}
	      g: {type: float8}
	      h: {type: char}
	      m: {type: mood, default: "'ok'"}
	      n: {type: int8, default: "0"}
	    indexes:
	      t_b: {columns: [b], method: btree}
	      t_c: {columns: [c]}
	YAML
	run_zn zn-diff --json --exit-code --scratch-url "$URL" @ decl.yaml
	[ "$(ops)" = "" ]
}
