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

@test "a type change under a default is one ALTER TABLE: the default dropped before, set after, both ways" {
	sed 's/nick text/nick varchar(40)/' old.sql >new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "alterColumnType" ]
	op=$(printf '%s\n' "$output" | jq -c 'select(.kind == "op")')
	[ "$(jq -r '.sql | length' <<<"$op")" = 1 ]
	[ "$(jq -r '.sql[0]' <<<"$op")" = "ALTER TABLE public.users ALTER COLUMN nick DROP DEFAULT, ALTER COLUMN nick TYPE character varying(40), ALTER COLUMN nick SET DEFAULT 'x'::character varying" ]
	[ "$(jq -r '.reverse[0]' <<<"$op")" = "ALTER TABLE public.users ALTER COLUMN nick DROP DEFAULT, ALTER COLUMN nick TYPE text, ALTER COLUMN nick SET DEFAULT 'x'::text" ]
	# And the server takes it, both ways.
	zn_sql -q -f old.sql
	zn_sql -q -c "INSERT INTO orgs VALUES (1)" -c "INSERT INTO users (id) VALUES (1)"
	zn_sql -q -c "$(jq -r '.sql[0]' <<<"$op")"
	[ "$(psql -X -q -A -t -c "INSERT INTO users (id) VALUES (2) RETURNING nick")" = x ]
	zn_sql -q -c "$(jq -r '.reverse[0]' <<<"$op")"
	[ "$(psql -X -A -t -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nick'")" = text ]
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

@test "a new table's foreign keys to tables there before are in its CREATE TABLE; those to new tables, to itself, and NOT VALID ones come after" {
	cp old.sql new.sql
	cat >>new.sql <<-'SQL'
	CREATE TABLE tags (id bigint PRIMARY KEY);
	CREATE TABLE posts (
	    id bigint PRIMARY KEY,
	    org_id bigint NOT NULL REFERENCES orgs ON DELETE CASCADE,
	    user_id bigint CONSTRAINT posts_user REFERENCES users (id),
	    tag_id bigint REFERENCES tags,
	    parent_id bigint REFERENCES posts
	);
	ALTER TABLE posts ADD CONSTRAINT posts_late FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
	COMMENT ON CONSTRAINT posts_user ON posts IS 'the author';
	SQL
	run_zn 0 zn-diff --scratch-url "$URL" old.sql new.sql
	[ "$(ops)" = "createTable createTable addForeignKey addForeignKey addForeignKey" ]
	printf '%s\n' "$output" >plan.jsonl
	jq -r 'select(.op == "createTable" and .args.table == "posts") | .sql[]' plan.jsonl >create.sql
	grep -qx '    CONSTRAINT posts_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id) ON DELETE CASCADE,' create.sql
	grep -qx '    CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES public.users(id)' create.sql
	grep -qx "COMMENT ON CONSTRAINT posts_user ON public.posts IS 'the author'" create.sql
	[ "$(jq -r 'select(.op == "addForeignKey") | .args.name' plan.jsonl | sort | paste -sd' ' -)" = "posts_late posts_parent_id_fkey posts_tag_id_fkey" ]
	# The classifier sees the lock the CREATE TABLE takes on each table
	# it references that was there before.
	run_zn 0 zn-classify <plan.jsonl
	[ "$(printf '%s\n' "$output" | jq -r 'select(.op == "createTable" and .args.table == "posts") | [.risk.facts.locks[] | .relation + " " + .mode] | sort | join(",")')" = "public.orgs SHARE ROW EXCLUSIVE,public.users SHARE ROW EXCLUSIVE" ]
	# Applied and planned again: nothing to do.
	zn_sql -q -f old.sql
	run_zn 0 zn-apply -d "dbname=$ZN_TEST_DB" plan.jsonl
	run_zn 0 zn-diff --scratch-url "$URL" --exit-code @ new.sql -d "dbname=$ZN_TEST_DB"
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

@test "a parked column or table lists the foreign keys that reference it, whatever the names" {
	# "p " is p's name and a space: the keys of one are not the other's.
	# q"é is no plain JSON string: its references are found too.
	cat >old.sql <<-'SQL'
	CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE);
	CREATE TABLE "p " (id int PRIMARY KEY, k int UNIQUE);
	CREATE TABLE c (p_k int REFERENCES p (k), p_id int REFERENCES p (id),
	    s_k int REFERENCES "p " (k));
	CREATE TABLE d (p_k int CONSTRAINT d_to_p REFERENCES p (k));
	CREATE TABLE "q""é" (k int UNIQUE, v int);
	CREATE TABLE r (k int CONSTRAINT r_to_q REFERENCES "q""é" (k));
	CREATE TABLE gone (id int PRIMARY KEY);
	CREATE TABLE e (g int CONSTRAINT e_to_gone REFERENCES gone);
	SQL
	cat >new.sql <<-'SQL'
	CREATE TABLE p (id int PRIMARY KEY);
	CREATE TABLE "p " (id int PRIMARY KEY, k int UNIQUE);
	CREATE TABLE c (p_k int, p_id int REFERENCES p (id),
	    s_k int REFERENCES "p " (k));
	CREATE TABLE d (p_k int);
	CREATE TABLE "q""é" (v int);
	CREATE TABLE r (k int);
	CREATE TABLE e (g int);
	SQL
	zn_sql -f old.sql
	run_zn zn-snapshot -o a.graph
	run_zn zn-diff --json --scratch-url "$URL" a.graph new.sql
	went=$(printf '%s\n' "$output" | jq -r 'select(.op == "softDropColumn" or .op == "softDropTable") | [.op, (if .op == "softDropTable" then .args.table else .args.table + "." + .args.name end), ([.args.went_with[] | select(.kind == "foreign_key") | .name] | sort | join(" "))] | join(" | ")' | sort)
	assert_equal "$went" 'softDropColumn | p.k | c_p_k_fkey d_to_p
softDropColumn | q"é.k | r_to_q
softDropTable | gone | e_to_gone'
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
	SOURCE_DATE_EPOCH=yesterday run_zn 64 zn generate again
	[[ $stderr == *"SOURCE_DATE_EPOCH must be seconds"* ]]
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

@test "renaming a table renames its serial sequence and key, and leaves the default alone" {
	zn_sql -c "CREATE TABLE users (id serial PRIMARY KEY, name text)"
	printf 'tables:\n  people:\n    renamed_from: users\n    columns:\n      id: {type: serial, primary_key: true}\n      name: text\n' >b.yaml
	run_zn zn-snapshot -o a.graph
	run_zn zn-diff --scratch-url "$URL" a.graph b.yaml
	printf '%s\n' "$output" >plan
	[ "$(ops)" = "renameSequence renameTable renameConstraint" ]
	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan
	zn_sql -c "INSERT INTO people (name) VALUES ('x')"
	run_zn zn-snapshot -o after.graph
	run_zn zn-diff --json --scratch-url "$URL" after.graph b.yaml
	[ "$(ops)" = "" ]
}

@test "usage and configuration mistakes, and a database that is down" {
	run_zn 64 zn-diff a b c
	run_zn 64 zn-diff - -
	[[ $stderr == *"only one of FROM and TO can be stdin"* ]]
	run_zn 64 zn-diff --read x old.sql
	run_zn 64 zn-diff -o '' old.sql old.sql
	# No operands and no schema in zanith.yaml: nothing to compare with.
	run_zn 2 zn-diff
	[[ $stderr == *"set 'schema' in zanith.yaml"* ]]
	run_zn 2 zn-diff -d "host=$BATS_TEST_TMPDIR port=5999 password=s3cret" @ old.sql
	[[ $stderr == *"cannot connect"* && $stderr != *s3cret* ]]
	printf 'schema: [1, 2]\n' >zanith.yaml
	run_zn 65 zn-diff
	[[ $stderr == *"zanith.yaml:1:"* ]]
}

@test "a graph from stdin, and graphs whose rename hints are damaged" {
	zn_sql -f old.sql
	run_zn zn-snapshot -o a.graph
	run bash -c 'zn-snapshot | zn-diff --json --scratch-url "$1" - old.sql' _ "$URL"
	assert_success
	[ "$(ops)" = "" ]
	for bad in '"renames":3' '"renames":[{"kind":"view","schema":"s","name":"n","from":"o"}]' \
	    '"renames":[{"kind":"column","schema":"s","name":"n","from":"o"}]' \
	    '"renames":[{"kind":"table","schema":"s","name":"n"}]'; do
		sed "1s/}\$/,$bad}/" a.graph >bad.graph
		run_zn 65 zn-diff bad.graph a.graph
		[[ $stderr == *"bad.graph:1:"*"rename hint"* || $stderr == *"bad.graph:1:"*renames* ]] ||
		    fail "$bad: $stderr"
	done
}

@test "damaged op streams are refused with the line and what is wrong" {
	cp old.sql new.sql
	echo 'CREATE INDEX users_email ON users (email);' >>new.sql
	run_zn zn-diff --scratch-url "$URL" old.sql new.sql
	printf '%s\n' "$output" >plan
	check() {	# sed-script expected-message
		sed "$1" plan >bad
		run_zn 65 zn-diff --read bad
		[[ $stderr == *"$2"* ]] || fail "$1: $stderr"
	}
	check '1s/"plan"/"graph"/' "not an op stream"
	check '1s/"v":1/"v":2/' "version is not 1"
	check '2s/"kind":"op"/"kind":"opx"/' "unknown record kind 'opx'"
	check '2s/"step":1/"step":3/' "expected 1"
	check '2s/"sql":\[[^]]*\]/"sql":[]/' 'no "sql" list'
	check '2s/"transactional":false/"transactional":"no"/' 'no boolean "transactional"'
	check '$p' "record after the trailer"
	check '$s/"ops":1/"ops":2/' "counts other ops"
	check '2s/{/[/' "bad:2"
	# A stream made from migration files: each file's checksum is checked.
	mkdir mig
	run_zn zn-diff --scratch-url "$URL" -o mig old.sql new.sql
	run_zn zn-diff --read mig
	printf '%s\n' "$output" >plan
	check '2s/"checksum":"sha256:[0-9a-f]*"/"checksum":"sha256:00"/' "checksum mismatch: migration"
}

@test "migration files with mistakes are refused at their line and column" {
	mkdir mig
	bad() {	# file-body expected-message
		rm -f mig/*
		printf '%b' "$1" >mig/20260101_000000_x.yaml
		run_zn 65 zn-diff --read mig
		[[ $stderr == *"20260101_000000_x.yaml:"*"$2"* ]] || fail "$2: $stderr"
	}
	bad '- op: rawSql\n' "a mapping with 'ops'"
	bad 'id: other\nops: []\n' "the file's name"
	bad 'ops: {}\n' "needs a list 'ops'"
	bad 'ops: [3]\n' "an op must be a mapping"
	bad 'ops:\n  - {op: rawSql, sql: {a: 1}}\n' "must be SQL text or a list"
	bad 'ops:\n  - {op: rawSql, sql: [1]}\n' "a statement must be text"
	bad 'ops:\n  - {op: rawSql, sql: []}\n' "'sql' is empty"
	bad 'ops:\n  - {op: rawSql}\n' "needs 'sql'"
	bad 'ops:\n  - {op: rawSql, sql: x, transactional: maybe}\n' "true or false"
	bad 'ops:\n  - {op: rawSql, sql: x, args: [1]}\n' "'args' must be a mapping"
	bad 'ops:\n  - {op: rawSql, sql: x, target: [1]}\n' "'target' must be text"
	bad 'ops:\n  - {op: rawSql, sql: x\n' "did not find expected"
}

@test "changes zn-diff does not plan stop it with exit 2 and say why" {
	printf 'CREATE TABLE e (at date, v int) PARTITION BY RANGE (at);\n' >a.sql
	printf 'CREATE TABLE e (at date, v int) PARTITION BY LIST (v);\n' >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.e: the partition key changes (PostgreSQL cannot alter it: create a new partitioned table, move the rows and partitions to it, then rename it); zn-diff does not plan that change"* ]]
	# A partition's new parent is refused, saying what to run; its new
	# bounds under the same parent are planned.
	printf '%s\n' 'CREATE TABLE p (at date) PARTITION BY RANGE (at);' \
	    'CREATE TABLE q (at date) PARTITION BY RANGE (at);' \
	    "CREATE TABLE c PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');" >a.sql
	sed 's/PARTITION OF p/PARTITION OF q/' a.sql >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.c: the table's partition parent changes, or it becomes or stops being a partition (detach it, or attach it to its new parent, with ALTER TABLE ... DETACH PARTITION and ATTACH PARTITION ... FOR VALUES"* ]]
	sed "s/TO ('2027-01-01')/TO ('2028-01-01')/" a.sql >b.sql
	run_zn 0 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $output == *'"op":"alterPartitionBound"'* ]]
	[[ $output == *"ALTER TABLE public.p ATTACH PARTITION public.c FOR VALUES FROM ('2026-01-01') TO ('2028-01-01')"* ]]
	printf 'CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a + 1) STORED);\n' >a.sql
	printf 'CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a + 2) STORED);\n' >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.g.b: the generation expression changes"* ]]
	# An attribute's type, while a column stores the type: directly,
	# through a domain, or inside another composite type.
	local use
	for use in 'measure' 'measure[]' 'dm' 'outer_t'; do
		printf '%s\n' 'CREATE TYPE measure AS (qty integer);' \
		    'CREATE DOMAIN dm AS measure;' \
		    'CREATE TYPE outer_t AS (m measure);' \
		    "CREATE TABLE stock (m $use);" >a.sql
		sed 's/qty integer/qty bigint/' a.sql >b.sql
		run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
		[[ $stderr == *"public.measure: an attribute's type changes while a column stores the type"* ]] ||
		    fail "$use: $stderr"
	done
	# What PostgreSQL cannot alter is refused, saying what to do.
	printf "CREATE COLLATION co (provider = libc, locale = 'C');\n" >a.sql
	printf "CREATE COLLATION co (provider = libc, locale = 'POSIX');\n" >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.co: a collation cannot be altered (create one under another name"* ]]
	printf 'CREATE TYPE rg AS RANGE (subtype = int4);\n' >a.sql
	printf 'CREATE TYPE rg AS RANGE (subtype = int8);\n' >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.rg: a range type cannot be altered"* ]]
	printf 'CREATE TEXT SEARCH DICTIONARY td (TEMPLATE = simple);\n' >a.sql
	printf 'CREATE TEXT SEARCH DICTIONARY td (TEMPLATE = snowball, LANGUAGE = english);\n' >b.sql
	run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $stderr == *"public.td: a text search dictionary's template cannot be altered"* ]]
	# Stored nowhere, it is altered.
	printf '%s\n' 'CREATE TYPE measure AS (qty integer);' \
	    'CREATE TYPE outer_t AS (m measure);' >a.sql
	sed 's/qty integer/qty bigint/' a.sql >b.sql
	run_zn 0 zn-diff --scratch-url "$URL" a.sql b.sql
	[[ $output == *"ALTER ATTRIBUTE qty TYPE bigint"* ]]
}

@test "rename hints that cannot be right are refused in the YAML" {
	printf 'tables:\n  t:\n    renamed_from: t\n    columns: {a: int}\n' >h.yaml
	run_zn 65 zn-snapshot --declared h.yaml --sql
	[[ $stderr == *"h.yaml:3:"*"cannot be renamed from itself"* ]]
	printf 'tables:\n  t:\n    columns: {a: int}\n    uniques:\n      - {columns: [a], renamed_from: old}\n' >h.yaml
	run_zn 65 zn-snapshot --declared h.yaml --sql
	[[ $stderr == *"a renamed constraint needs a 'name'"* ]]
	printf 'enums:\n  e: [a, {renamed_from: b}]\n' >h.yaml
	run_zn 65 zn-snapshot --declared h.yaml --sql
	[[ $stderr == *"needs 'value'"* ]]
	run_zn 64 zn-snapshot --declared old.sql --sql
	run_zn zn-snapshot --declared "$ZN_TOP/examples/schema.yaml" --sql
	[[ $output == *"CREATE TABLE app.orgs"* ]]
}

@test "on a terminal it prints the plan for people" {
	command -v script >/dev/null || skip "script(1) not installed"
	cp old.sql new.sql
	echo 'CREATE INDEX users_email ON users (email);' >>new.sql
	sed -i '/nick text/d; s/email text,/email text/' new.sql
	run env NO_COLOR=1 script -qec "zn-diff --scratch-url '$URL' old.sql new.sql" /dev/null
	assert_success
	assert_output --partial '2 ops from '
	assert_output --partial 'addIndex'
	assert_output --partial 'non-transactional'
	assert_output --partial '1 removal parks data, reversibly.'
	refute_output --partial '"kind"'
	run env NO_COLOR=1 script -qec "zn-diff --scratch-url '$URL' old.sql old.sql" /dev/null
	assert_output --partial 'No differences'
}

@test "column order is not managed: a column declared in the middle is added at the end, and order is never a difference" {
	zn_sql -f old.sql
	# A new column between two old ones, and two old ones swapped.
	cat >new.sql <<-'SQL'
	CREATE TABLE orgs (id bigint PRIMARY KEY);
	CREATE TABLE users (
	    id bigint PRIMARY KEY,
	    created timestamptz,
	    email text,
	    org_id bigint,
	    nick text NOT NULL DEFAULT 'x'
	);
	SQL
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" "addColumn"
	[[ "$stderr" == *"order"* ]] || fail "no warning: $stderr"
	run_zn 0 sh -c 'zn-diff -d "$1" --scratch-url "$2" @ new.sql | zn-apply -d "$1"' _ "$ZN_TEST_DB" "$URL"
	# The column is the table's last; nothing is left to do, either way.
	[ "$(psql -X -A -t -d "$ZN_TEST_DB" -c "SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 ORDER BY attnum DESC LIMIT 1")" = created ]
	run_zn 0 zn-diff --exit-code -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" ""
	run_zn 0 zn-diff --exit-code -d "$ZN_TEST_DB" --scratch-url "$URL" new.sql @
	assert_equal "$(ops)" ""
}

@test "serial to identity and back keeps numbering: the new sequence goes on from the largest value, and so does the reverse" {
	zn_sql -c "CREATE TABLE a (id serial PRIMARY KEY, v text)" \
	    -c "CREATE TABLE b (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)" \
	    -c "INSERT INTO a (v) SELECT 'x' FROM generate_series(1, 5)" \
	    -c "INSERT INTO b (v) SELECT 'x' FROM generate_series(1, 7)"
	cat >new.sql <<-'SQL'
	CREATE TABLE a (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);
	CREATE TABLE b (id serial PRIMARY KEY, v text);
	SQL
	run_zn 0 sh -c 'zn-diff -d "$1" --scratch-url "$2" @ new.sql >plan && zn-apply -d "$1" <plan' _ "$ZN_TEST_DB" "$URL"
	zn_sql -c "INSERT INTO a (v) VALUES ('new')" -c "INSERT INTO b (v) VALUES ('new')"
	[ "$(psql -X -A -t -c "SELECT max(id) FROM a")" = 6 ]
	[ "$(psql -X -A -t -c "SELECT max(id) FROM b")" = 8 ]
	run_zn 0 zn-diff --exit-code -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" ""
	# The reverses, last op first, go back and number on too.
	run_zn 0 "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan reverse
	zn_sql -c "INSERT INTO a (v) VALUES ('back')" -c "INSERT INTO b (v) VALUES ('back')"
	[ "$(psql -X -A -t -c "SELECT max(id) FROM a")" = 7 ]
	[ "$(psql -X -A -t -c "SELECT max(id) FROM b")" = 9 ]
	[ "$(psql -X -A -t -c "SELECT attidentity FROM pg_attribute WHERE attrelid = 'b'::regclass AND attname = 'id'")" = d ]
}

@test "privileges are planned beside SQL declarations, and left alone beside YAML, which cannot hold them" {
	zn_sql -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN CREATE ROLE zn_reader; END IF; END \$\$" \
	    -c "CREATE TABLE t (id integer PRIMARY KEY, v text)" \
	    -c "GRANT SELECT ON t TO zn_reader" \
	    -c "GRANT UPDATE (v) ON t TO PUBLIC"
	printf 'CREATE TABLE t (id integer PRIMARY KEY, v text);\nGRANT SELECT, INSERT ON t TO zn_reader;\n' >new.sql
	cat >new.yaml <<-'YAML'
	schemas:
	  public:
	    tables:
	      t:
	        columns:
	          id: {type: integer, primary_key: true}
	          v: text
	YAML
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" "setPrivileges"
	[[ "$output" == *'GRANT INSERT ON TABLE public.t TO zn_reader'* ]]
	[[ "$output" == *'REVOKE UPDATE (v) ON TABLE public.t FROM PUBLIC'* ]]
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.yaml
	assert_equal "$(ops)" ""
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --offline @ new.yaml
	assert_equal "$(ops)" ""
}

@test "a child that keeps as its own a column its parent drops keeps it, and its data: ONLY under drop and archive, refused under soft drop" {
	local policy
	for policy in drop archive; do
		zn_sql -q -c "DROP TABLE IF EXISTS pc, pp CASCADE" \
		    -c "DROP SCHEMA IF EXISTS _zanith_archive CASCADE" \
		    -c "CREATE TABLE pp (id integer PRIMARY KEY, note text)" \
		    -c "CREATE TABLE pc (extra integer) INHERITS (pp)" \
		    -c "INSERT INTO pp VALUES (1, 'parent')" \
		    -c "INSERT INTO pc VALUES (2, 'child', 7)"
		printf '%s\n' 'CREATE TABLE pp (id integer PRIMARY KEY);' \
		    'CREATE TABLE pc (note text, extra integer) INHERITS (pp);' >new.sql
		run_zn 0 sh -c 'zn-diff --drop-policy "$3" -d "$1" --scratch-url "$2" @ new.sql >plan && zn-apply -d "$1" <plan' _ "$ZN_TEST_DB" "$URL" "$policy"
		grep -q 'ALTER TABLE ONLY public.pp DROP COLUMN note' plan ||
		    fail "$policy: $(cat plan)"
		# The child's rows keep their value; its column is its own.
		[ "$(psql -X -A -t -c "SELECT note FROM pc")" = child ]
		[ "$(psql -X -A -t -c "SELECT attislocal FROM pg_attribute WHERE attrelid = 'pc'::regclass AND attname = 'note'")" = t ]
		run_zn 0 zn-diff --exit-code -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
		assert_equal "$(ops)" ""
		# The reverse gives the parent its column back (and, archived,
		# its values) without touching the child's.
		run_zn 0 "$ZN_TEST_BUILD/test/libcheck" apply "$ZN_TEST_DB" plan reverse
		[ "$(psql -X -A -t -c "SELECT note FROM pc")" = child ]
		if [ "$policy" = archive ]; then
			[ "$(psql -X -A -t -c "SELECT note FROM ONLY pp")" = parent ]
		fi
	done
	# Soft drop (the default) would rename the child's column with the
	# parent's: refused, inherited or merged alike.
	for old in 'CREATE TABLE pc (extra integer) INHERITS (pp);' \
	    'CREATE TABLE pc (note text, extra integer) INHERITS (pp);'; do
		zn_sql -q -c "DROP TABLE pc, pp" \
		    -c 'CREATE TABLE pp (id integer PRIMARY KEY, note text)' \
		    -c "$old"
		run_zn 2 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
		[[ $stderr == *"public.pp.note: table public.pc keeps this column as its own, and parking it would rename the child's as well"* ]] ||
		    fail "$old: $stderr"
	done
}

@test "default privileges and privileges on types are planned beside SQL declarations, and left alone beside YAML" {
	zn_sql -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN CREATE ROLE zn_reader; END IF; END \$\$" \
	    -c "CREATE TYPE mood AS ENUM ('ok')" \
	    -c "REVOKE USAGE ON TYPE mood FROM PUBLIC" \
	    -c "ALTER DEFAULT PRIVILEGES FOR ROLE zn_reader GRANT SELECT ON TABLES TO PUBLIC" \
	    -c "CREATE TABLE t (id integer PRIMARY KEY, m mood)"
	cat >new.sql <<-'SQL'
	CREATE TYPE mood AS ENUM ('ok');
	GRANT USAGE ON TYPE mood TO zn_reader;
	ALTER DEFAULT PRIVILEGES FOR ROLE zn_reader REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
	CREATE TABLE t (id integer PRIMARY KEY, m mood);
	SQL
	cat >new.yaml <<-'YAML'
	schemas:
	  public:
	    enums:
	      mood: [ok]
	    tables:
	      t:
	        columns:
	          id: {type: integer, primary_key: true}
	          m: mood
	YAML
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" "setDefaultPrivileges setDefaultPrivileges setPrivileges"
	[[ "$output" == *'"ALTER DEFAULT PRIVILEGES FOR ROLE zn_reader REVOKE SELECT ON TABLES FROM PUBLIC"'* ]]
	[[ "$output" == *'"ALTER DEFAULT PRIVILEGES FOR ROLE zn_reader REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"'* ]]
	[[ "$output" == *'"GRANT USAGE ON TYPE public.mood TO PUBLIC","GRANT USAGE ON TYPE public.mood TO zn_reader"'* ]]
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.yaml
	assert_equal "$(ops)" ""
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --offline @ new.yaml
	assert_equal "$(ops)" ""
}

@test "operator classes: a changed class is made again while nothing names it, and refused, saying what to do, while something does, or when a parked table keeps an index on it; an operator made again under a class or family is refused" {
	# rev_ops and what names it: an index, an exclusion constraint, a
	# range type, a partition key.
	cls() {
		printf '%s\n' 'CREATE FUNCTION rc(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS $$SELECT btint4cmp($2, $1)$$;' \
		    "CREATE OPERATOR CLASS rev_ops FOR TYPE int USING btree AS OPERATOR 1 >, OPERATOR 3 =$1, FUNCTION 1 rc(int, int);"
	}
	local user want
	while IFS='|' read -r user want; do
		{ cls ''; printf '%s\n' "$user"; } >a.sql
		{ cls ', OPERATOR 5 <'; printf '%s\n' "$user"; } >b.sql
		run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
		[[ $stderr == "zn-diff: public.rev_ops USING btree: the operator class changes while $want uses it, and PostgreSQL can neither alter a class's members nor drop a class in use (make the new class under another name, move what uses this one to it, then drop this one); zn-diff does not plan that change"* ]] ||
		    fail "$user: $stderr"
	done <<-'EOF2'
	CREATE TABLE t (n int); CREATE INDEX t_n ON t (n rev_ops);|index public.t_n
	CREATE TABLE u (n int, CONSTRAINT u_x EXCLUDE USING btree (n rev_ops WITH =));|constraint u_x on public.u
	CREATE TYPE rr AS RANGE (subtype = int, subtype_opclass = rev_ops);|range type public.rr
	CREATE TABLE p (n int) PARTITION BY RANGE (n rev_ops);|the partition key of public.p
	EOF2
	# Nothing names it: dropped and made again in one step, and back.
	cls '' >a.sql
	cls ', OPERATOR 5 <' >b.sql
	run_zn 0 zn-diff --scratch-url "$URL" a.sql b.sql
	assert_equal "$(ops)" "replaceOperatorClass"
	op=$(printf '%s\n' "$output" | jq -c 'select(.kind == "op")')
	[ "$(jq -r '.sql[0]' <<<"$op")" = 'DROP OPERATOR CLASS public.rev_ops USING btree' ]
	[[ "$(jq -r '.sql[1]' <<<"$op")" == 'CREATE OPERATOR CLASS public.rev_ops FOR TYPE integer USING btree FAMILY public.rev_ops AS OPERATOR 1 >(integer,integer), OPERATOR 3 =(integer,integer), OPERATOR 5 <(integer,integer), FUNCTION 1 '* ]]
	[ "$(jq -r '.reverse[0]' <<<"$op")" = 'DROP OPERATOR CLASS public.rev_ops USING btree' ]
	# Dropped with a table that a soft drop parks: its index keeps the
	# class, so the class cannot go; with plain drops, the table first.
	{ cls ''; echo 'CREATE TABLE t (n int); CREATE INDEX t_n ON t (n rev_ops);'; } >a.sql
	echo 'CREATE TABLE keep (id int);' >b.sql
	for policy in soft archive; do
		run_zn 2 zn-diff --drop-policy "$policy" --scratch-url "$URL" a.sql b.sql
		[[ $stderr == "zn-diff: public.rev_ops USING btree: a table this plan parks (soft drop or archive) keeps an index that uses the operator class, which PostgreSQL then cannot drop (plan with --drop-policy drop, or keep the class until the parked table is purged)"* ]] ||
		    fail "$policy: $stderr"
	done
	run_zn 0 zn-diff --drop-policy drop --scratch-url "$URL" a.sql b.sql
	assert_equal "$(ops)" "createTable dropTable dropOperatorClass dropOperatorFamily dropFunction"
	# An operator made again (another function) while a class or a
	# family has it as a member.
	for member in 'CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 <#;' \
	    'CREATE OPERATOR FAMILY f USING btree; ALTER OPERATOR FAMILY f USING btree ADD OPERATOR 1 <# (int, int);'; do
		printf '%s\n' 'CREATE FUNCTION lt1(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS $$SELECT $1 < $2$$;' \
		    'CREATE FUNCTION lt2(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS $$SELECT $1 < $2$$;' \
		    'CREATE OPERATOR <# (FUNCTION = lt1, LEFTARG = int, RIGHTARG = int);' "$member" >a.sql
		sed 's/FUNCTION = lt1/FUNCTION = lt2/' a.sql >b.sql
		run_zn 2 zn-diff --scratch-url "$URL" a.sql b.sql
		[[ $stderr == "zn-diff: public.<#(integer, integer): the operator changes while operator "*" public."[cf]" USING btree has it as a member: PostgreSQL cannot make it again under a class, and would drop it from a family silently (give the class or family another operator first)"* ]] ||
		    fail "$member: $stderr"
	done
}

@test "operator classes and families are planned beside SQL declarations, and left alone beside YAML, which cannot hold them" {
	zn_sql -q -c 'CREATE TABLE t (id integer PRIMARY KEY, v text)' \
	    -c 'CREATE OPERATOR FAMILY fam USING btree' \
	    -c 'CREATE OPERATOR CLASS my_text_ops FOR TYPE text USING hash AS OPERATOR 1 =, FUNCTION 1 hashtext(text)'
	printf 'CREATE TABLE t (id integer PRIMARY KEY, v text);\n' >new.sql
	cat >new.yaml <<-'YAML'
	schemas:
	  public:
	    tables:
	      t:
	        columns:
	          id: {type: integer, primary_key: true}
	          v: text
	YAML
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --drop-policy drop --scratch-url "$URL" @ new.sql
	assert_equal "$(ops)" "dropOperatorFamily dropOperatorClass dropOperatorFamily"
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --scratch-url "$URL" @ new.yaml
	assert_equal "$(ops)" ""
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --offline @ new.yaml
	assert_equal "$(ops)" ""
}
