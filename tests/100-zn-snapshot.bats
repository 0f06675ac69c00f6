#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-snapshot against a real server: completeness, canonical bytes, and
# changes that show up in exactly the attribute that changed.

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
}

snap() {
	run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$1"
}

@test "the fixture snapshots to the expected graph, every object kind included" {
	zn_load_fixture full.sql
	snap g.jsonl
	graph_body "$BATS_TEST_TMPDIR/g.jsonl" >"$BATS_TEST_TMPDIR/body"
	diff -u "$EXPECTED/full.body.jsonl" "$BATS_TEST_TMPDIR/body"
}

@test "two snapshots of the same database are byte-identical" {
	zn_load_fixture full.sql
	snap a.jsonl
	snap b.jsonl
	cmp "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
}

@test "the header carries version, source, server version and the body hash" {
	zn_load_fixture full.sql
	snap g.jsonl
	run jq -c 'select(.kind == "graph") | [.v, .source.type, .source.dbname, (.server_version_num >= 120000)]' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output "[1,\"database\",\"$ZN_TEST_DB\",true]"
	# The hash is SHA-256 of the body lines, each with its newline.
	want=$(sed '1d;$d' "$BATS_TEST_TMPDIR/g.jsonl" | sha256sum | cut -d' ' -f1)
	run jq -r 'select(.kind == "graph" or .kind == "end") | .hash' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output "sha256:$want
sha256:$want"
	run jq -r 'select(.kind == "end") | .objects' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output "$(($(wc -l <"$BATS_TEST_TMPDIR/g.jsonl") - 2))"
}

@test "dropping and recreating the same schema gives the same graph" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c 'DROP SCHEMA app, "Weird ""Schema""; DROP" CASCADE' \
	    -c 'DROP EXTENSION btree_gist'
	zn_load_fixture full.sql
	snap b.jsonl
	cmp "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
}

@test "an empty database is a graph with only the public schema" {
	snap g.jsonl
	run jq -c 'select(.kind != "graph") | [.kind, .name, .objects]' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output '["schema","public",null]
["end",null,1]'
}

# Each one-attribute change must change exactly the leaves of that
# attribute, with the server's rendering of the new value.

@test "a changed column default changes only that default" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c "ALTER TABLE app.users ALTER COLUMN mood SET DEFAULT 'happy'"
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output "table app.users .columns[3].default: \"'ok'::app.mood\" -> \"'happy'::app.mood\""
}

@test "a changed index predicate changes only that index's predicate" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c 'DROP INDEX app.users_live_email' \
	    -c 'CREATE INDEX users_live_email ON app.users (lower(email) DESC NULLS LAST, org_id) WHERE deleted_at IS NOT NULL'
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output 'table app.users .indexes[0].definition: "CREATE INDEX users_live_email ON app.users USING btree (lower(email) DESC NULLS LAST, org_id) WHERE (deleted_at IS NULL)" -> "CREATE INDEX users_live_email ON app.users USING btree (lower(email) DESC NULLS LAST, org_id) WHERE (deleted_at IS NOT NULL)"
table app.users .indexes[0].where: "(deleted_at IS NULL)" -> "(deleted_at IS NOT NULL)"'
}

@test "a changed foreign key action changes only that action" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c 'ALTER TABLE app.users DROP CONSTRAINT users_org_fk' \
	    -c 'ALTER TABLE app.users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES app.orgs (id) ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED'
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output 'table app.users .foreign_keys[0].definition: "FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED" -> "FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON UPDATE RESTRICT ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED"
table app.users .foreign_keys[0].on_delete: "CASCADE" -> "RESTRICT"'
}

@test "a changed identity increment changes only that increment" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c 'ALTER TABLE app.orgs ALTER COLUMN id SET INCREMENT BY 5'
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output 'table app.orgs .columns[0].identity.increment: "3" -> "5"'
}

@test "comments, NOT VALID, RLS, trigger state and sequence options each show where they belong" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c "COMMENT ON COLUMN app.users.email IS 'primary address'" \
	    -c 'ALTER TABLE app.users VALIDATE CONSTRAINT users_email_check' \
	    -c 'ALTER TABLE app.users NO FORCE ROW LEVEL SECURITY' \
	    -c 'ALTER TABLE app.users ENABLE TRIGGER users_touch' \
	    -c 'ALTER SEQUENCE app.counter NO CYCLE'
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output 'sequence app.counter .cycle: true -> false
table app.users .checks[0].definition: "CHECK ((email ~~ '"'"'%@%'"'"'::text)) NOT VALID" -> "CHECK ((email ~~ '"'"'%@%'"'"'::text))"
table app.users .checks[0].not_valid: true -> false
table app.users .columns[2].comment: null -> "primary address"
table app.users .rls.forced: true -> false
trigger app.users.users_touch .enabled: "disabled" -> "origin"'
}

@test "a renamed column is the only change, and a new table is an added record" {
	zn_load_fixture full.sql
	snap a.jsonl
	zn_sql -c 'ALTER TABLE app.cache RENAME COLUMN v TO value' \
	    -c 'CREATE TABLE app.extra (id int)'
	snap b.jsonl
	run graph_changes "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/b.jsonl"
	assert_output 'table app.cache .columns[1].name: "v" -> "value"
added table app.extra'
}

@test "extension members and the tool's own objects never appear" {
	zn_load_fixture full.sql
	zn_sql -c 'CREATE EXTENSION pgcrypto' -c 'CREATE EXTENSION pg_trgm' \
	    -c 'CREATE TABLE _zanith_migrations (id text PRIMARY KEY, at timestamptz DEFAULT now())' \
	    -c 'CREATE TABLE app._zanith_dropped_users_1 (id int)' \
	    -c 'ALTER TABLE app.users ADD COLUMN _zanith_dropped_nick_20260101 text' \
	    -c 'CREATE SCHEMA _zanith_archive' \
	    -c 'CREATE TABLE _zanith_archive.users (id int)' \
	    -c 'CREATE INDEX ON app.users USING gin (email gin_trgm_ops)'
	snap g.jsonl
	run grep -c -e '_zanith_' -e '"name":"gen_random_uuid"' -e '"name":"similarity"' -e '"name":"digest"' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output 0
	run jq -r 'select(.kind == "extension") | .name + " " + .version' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output 'btree_gist 1.7
pg_trgm 1.6
pgcrypto 1.3'
	run jq -r 'select(.kind == "function") | .name' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_output 'add
add
touch'
	# An index of ours that uses an extension's operator class is ours.
	run jq -r 'select(.name == "users") | .indexes[].keys[].opclass' "$BATS_TEST_TMPDIR/g.jsonl"
	assert_line 'public.gin_trgm_ops'
}

@test "-n and -N select schemas by shell pattern" {
	zn_load_fixture full.sql
	run_zn 0 zn-snapshot --json -n app
	run jq -r 'select(.kind == "schema") | .name' <<<"$output"
	assert_output app
	run_zn 0 zn-snapshot --json -N 'W*' -N public
	run jq -r 'select(.kind == "schema") | .name' <<<"$output"
	assert_output app
	run_zn 0 zn-snapshot --json -n 'W*'
	g=$output
	run jq -r 'select(.kind == "table") | .name' <<<"$g"
	assert_output select
	# The tables of other schemas are out, and so are their triggers.
	run jq -r 'select(.kind == "trigger") | .name' <<<"$g"
	assert_output 'Trigger; "x"'
}

@test "snapshot.schemas in zanith.yaml filters, and -n overrides it" {
	zn_load_fixture full.sql
	printf 'snapshot:\n  schemas: [public]\n' >"$BATS_TEST_TMPDIR/zanith.yaml"
	run_zn 0 zn-snapshot --json -C "$BATS_TEST_TMPDIR"
	run jq -r 'select(.kind == "schema") | .name' <<<"$output"
	assert_output public
	run_zn 0 zn-snapshot --json -C "$BATS_TEST_TMPDIR" -n app
	run jq -r 'select(.kind == "schema") | .name' <<<"$output"
	assert_output app
}

@test "-o writes the same records as stdout, replacing the file" {
	zn_load_fixture full.sql
	snap a.jsonl
	echo stale >"$BATS_TEST_TMPDIR/out.jsonl"
	run_zn 0 zn-snapshot -o "$BATS_TEST_TMPDIR/out.jsonl"
	assert_output ''
	cmp "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/out.jsonl"
	run ls "$BATS_TEST_TMPDIR"
	refute_output --partial '.tmp'
	# The new file gets the mode the umask allows, as with a redirection.
	(umask 022 && zn-snapshot -o "$BATS_TEST_TMPDIR/m.jsonl")
	run stat -c %a "$BATS_TEST_TMPDIR/m.jsonl"
	assert_output 644
	(umask 077 && zn-snapshot -o "$BATS_TEST_TMPDIR/m.jsonl")
	run stat -c %a "$BATS_TEST_TMPDIR/m.jsonl"
	assert_output 600
}

@test "-o into a FIFO or a device writes into it, never replaces it" {
	zn_load_fixture full.sql
	snap a.jsonl
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	cat "$BATS_TEST_TMPDIR/fifo" >"$BATS_TEST_TMPDIR/got" 3>&- &
	run_zn 0 zn-snapshot -o "$BATS_TEST_TMPDIR/fifo"
	wait
	[ -p "$BATS_TEST_TMPDIR/fifo" ] || fail "the FIFO was replaced"
	cmp "$BATS_TEST_TMPDIR/a.jsonl" "$BATS_TEST_TMPDIR/got"
	run ls "$BATS_TEST_TMPDIR"
	refute_output --partial '.tmp'
}

@test "on a terminal it prints a summary instead of records" {
	command -v script >/dev/null || skip "script(1) not installed"
	zn_load_fixture full.sql
	run script -qec "zn-snapshot" /dev/null
	assert_success
	assert_output --partial '10  tables'
	assert_output --partial '35  columns'
	assert_output --partial 'foreign keys'
	assert_output --partial 'sha256:'
	refute_output --partial '"kind"'
	# --json forces records, and NO_COLOR drops the escapes.
	run script -qec "zn-snapshot --json" /dev/null
	assert_output --partial '"kind":"graph"'
	run env NO_COLOR=1 script -qec "zn-snapshot" /dev/null
	refute_output --partial $'\033['
}

@test "the number of catalog queries does not grow with the number of tables" {
	zn_sql -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()'
	count_queries() {
		local log=$ZN_TEST_PGHOST/server.log before
		before=$(grep -c 'LOG:  statement:\|LOG:  execute' "$log")
		run_zn 0 zn-snapshot --json
		echo $(($(grep -c 'LOG:  statement:\|LOG:  execute' "$log") - before))
	}
	# One check from the start: the names its tree uses are one query.
	zn_sql -c "CREATE TABLE t0 (v text CHECK (v <> ''))"
	small=$(count_queries)
	for i in $(seq 1 60); do
		echo "CREATE TABLE t$i (id int PRIMARY KEY, r int REFERENCES t1, v text CHECK (v <> ''));"
		echo "CREATE INDEX ON t$i (v);"
	done >"$BATS_TEST_TMPDIR/many.sql"
	zn_sql -f "$BATS_TEST_TMPDIR/many.sql"
	large=$(count_queries)
	zn_sql -c "ALTER SYSTEM RESET log_statement" -c 'SELECT pg_reload_conf()'
	[ "$small" -gt 0 ]
	assert_equal "$large" "$small"
}

@test "the snapshot is one repeatable-read, read-only snapshot, shared by its two sessions" {
	zn_sql -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()'
	log=$ZN_TEST_PGHOST/server.log
	from=$(($(wc -l <"$log") + 1))
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 0 zn-snapshot --json
	mid=$(($(wc -l <"$log") + 1))
	ZN_SNAPSHOT_CONNECTIONS=1 run_zn 0 zn-snapshot --json
	zn_sql -c "ALTER SYSTEM RESET log_statement" -c 'SELECT pg_reload_conf()'
	# Two sessions: the first exports its snapshot, the second takes it.
	run grep -c 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' <(sed -n "$from,$((mid - 1))p" "$log")
	assert_output 2
	run grep -c 'pg_export_snapshot()' <(sed -n "$from,$((mid - 1))p" "$log")
	assert_output 1
	run grep -c "SET TRANSACTION SNAPSHOT '[0-9A-F-]*';SET LOCAL search_path = ''" <(sed -n "$from,$((mid - 1))p" "$log")
	assert_output 1
	run grep -c "set_config('search_path', '', false)" <(sed -n "$from,$((mid - 1))p" "$log")
	assert_output 1
	# ZN_SNAPSHOT_CONNECTIONS=1: one session, one transaction.
	run grep -c 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' <(tail -n +"$mid" "$log")
	assert_output 1
	run grep -c 'pg_export_snapshot\|SET TRANSACTION SNAPSHOT' <(tail -n +"$mid" "$log")
	assert_output 0
}

@test "unset, ZN_SNAPSHOT_CONNECTIONS leaves it to the size: one session below 100 relations, two from 100" {
	zn_sql -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()'
	log=$ZN_TEST_PGHOST/server.log
	zn_sql -c "CREATE TABLE r1 (id int)"
	from=$(($(wc -l <"$log") + 1))
	env -u ZN_SNAPSHOT_CONNECTIONS zn-snapshot --json >"$BATS_TEST_TMPDIR/small.jsonl"
	mid=$(($(wc -l <"$log") + 1))
	for i in $(seq 2 100); do echo "CREATE VIEW v$i AS SELECT $i AS n;"; done >"$BATS_TEST_TMPDIR/views.sql"
	zn_sql -f "$BATS_TEST_TMPDIR/views.sql"
	mid2=$(($(wc -l <"$log") + 1))
	env -u ZN_SNAPSHOT_CONNECTIONS zn-snapshot --json >"$BATS_TEST_TMPDIR/large.jsonl"
	zn_sql -c "ALTER SYSTEM RESET log_statement" -c 'SELECT pg_reload_conf()'
	run grep -c 'pg_export_snapshot()' <(sed -n "$from,$((mid - 1))p" "$log")
	assert_output 0
	run grep -c 'pg_export_snapshot()' <(tail -n +"$mid2" "$log")
	assert_output 1
	grep -q '"name":"r1"' "$BATS_TEST_TMPDIR/small.jsonl"
	[ "$(grep -c '"kind":"view"' "$BATS_TEST_TMPDIR/large.jsonl")" = 99 ]
}

@test "one session or two, the graph is the same byte for byte" {
	zn_load_fixture full.sql
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/two"
	ZN_SNAPSHOT_CONNECTIONS=1 run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/one"
	cmp "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/two"
}

@test "read a few relations at a time, in one session or two, the graph is the same byte for byte" {
	zn_load_fixture full.sql
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/whole"
	[ "$(grep -c '"kind":"\(table\|view\|materialized_view\)"' "$BATS_TEST_TMPDIR/whole")" -gt 6 ]
	zn_sql -c "ALTER SYSTEM SET log_statement = 'all'" -c 'SELECT pg_reload_conf()'
	log=$ZN_TEST_PGHOST/server.log
	for c in 1 2; do
		for n in 1 2 5; do
			from=$(($(wc -l <"$log") + 1))
			ZN_SNAPSHOT_BATCH=$n ZN_SNAPSHOT_CONNECTIONS=$c run_zn 0 zn-snapshot --json
			printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/batch$c.$n"
			cmp "$BATS_TEST_TMPDIR/whole" "$BATS_TEST_TMPDIR/batch$c.$n"
			# In batches, each read by index, once a session.
			run grep -c 'SET LOCAL enable_seqscan = off' <(tail -n +"$from" "$log")
			assert_output "$c"
		done
	done
	# One batch: as ever.
	from=$(($(wc -l <"$log") + 1))
	ZN_SNAPSHOT_BATCH=100000 run_zn 0 zn-snapshot --json
	zn_sql -c "ALTER SYSTEM RESET log_statement" -c 'SELECT pg_reload_conf()'
	run grep -c 'enable_seqscan' <(tail -n +"$from" "$log")
	assert_output 0
}

@test "a second session the server refuses leaves the snapshot to the first, same graph" {
	zn_load_fixture full.sql
	# Superusers are exempt from connection limits; this role is not.
	zn_sql -c "DROP ROLE IF EXISTS zn_one_session" \
	    -c "CREATE ROLE zn_one_session LOGIN CONNECTION LIMIT 1"
	url="dbname=$PGDATABASE user=zn_one_session"
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 0 zn-snapshot --json -d "$url"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/refused"
	ZN_SNAPSHOT_CONNECTIONS=1 run_zn 0 zn-snapshot --json -d "$url"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/one"
	zn_sql -c "DROP ROLE zn_one_session"
	cmp "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/refused"
	grep -q '"kind":"table"' "$BATS_TEST_TMPDIR/one"
}

# Keys, foreign keys and indexes on plain columns are written by
# zn-snapshot from the catalogs; ZN_SNAPSHOT_CHECK=1 has the server's
# deparsers render them too and stops on any difference.
render_schema() {
	zn_sql <<'SQL'
CREATE SCHEMA "Odd ""S";
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE public."select" (
    "from" int PRIMARY KEY, "Mixed" text, "quo""te" varchar(20),
    arr text[], m mood, r int4range, d posint, j jsonb, t timestamptz,
    c text COLLATE "C",
    UNIQUE NULLS NOT DISTINCT ("Mixed"),
    UNIQUE ("quo""te") INCLUDE (arr, t) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "Odd ""S".child (
    id bigint GENERATED ALWAYS AS IDENTITY, parent int, p2 int,
    "user" text,
    CONSTRAINT "PK" PRIMARY KEY (id) INCLUDE ("user"),
    FOREIGN KEY (parent) REFERENCES public."select" ("from") MATCH FULL
        ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE);
ALTER TABLE "Odd ""S".child ADD FOREIGN KEY (p2)
    REFERENCES public."select" ON DELETE SET NULL (p2) NOT VALID;
ALTER TABLE "Odd ""S".child ADD UNIQUE (id, "user");
ALTER TABLE "Odd ""S".child ADD CONSTRAINT "both" FOREIGN KEY (p2, "user")
    REFERENCES "Odd ""S".child (id, "user") ON UPDATE RESTRICT
    ON DELETE SET DEFAULT;
CREATE OPERATOR CLASS "Odd ""S".rev_ops FOR TYPE int USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=,
    OPERATOR 5 >, FUNCTION 1 btint4cmp(int, int);
CREATE INDEX ON public."select" ("Mixed" DESC, "quo""te" NULLS FIRST);
CREATE INDEX ON public."select" (t DESC NULLS LAST, "from" ASC);
CREATE INDEX ON public."select" ("Mixed" text_pattern_ops);
CREATE INDEX ON public."select" ("quo""te" varchar_pattern_ops);
CREATE UNIQUE INDEX "Quo" ON public."select" ("quo""te") NULLS NOT DISTINCT;
CREATE INDEX ON public."select" USING gin (arr);
CREATE INDEX ON public."select" (m);
CREATE INDEX ON public."select" USING gist (r);
CREATE INDEX ON public."select" (d);
CREATE INDEX ON public."select" USING gin (j jsonb_path_ops);
CREATE INDEX ON public."select" USING gin (j);
CREATE INDEX ON public."select" ("Mixed" COLLATE "C");
CREATE INDEX ON public."select" (c);
CREATE INDEX ON public."select" USING hash ("Mixed");
CREATE INDEX ON public."select" USING brin (t);
CREATE INDEX ON public."select" ("from") INCLUDE (j, "Mixed");
CREATE INDEX ON public."select" ("from" "Odd ""S".rev_ops);
CREATE INDEX ON public."select" ("from") WITH (fillfactor = 70);
CREATE INDEX ON public."select" (lower("Mixed")) WHERE "from" > 0;
CREATE INDEX ON public."select" ((j ->> 'a, b'), ("from" + 1) DESC, t,
    (arr[1] || ')') COLLATE "C" text_pattern_ops)
    INCLUDE (m) WITH (fillfactor = 80)
    WHERE "Mixed" <> E'WHERE \\ '')' AND r @> 3;
CREATE INDEX "user" ON "Odd ""S".child ("user", parent);
SQL
}

# alike: the graph ($plain) is the same compared with the server's
# renderings (ZN_SNAPSHOT_CHECK=1) and made of them, asked for one by
# one (ZN_SNAPSHOT_CHECK=fallback).
alike() {
	run_zn 0 zn-snapshot --json
	plain=$output
	ZN_SNAPSHOT_CHECK=1 run_zn 0 zn-snapshot --json
	assert_equal "$output" "$plain"
	ZN_SNAPSHOT_CHECK=fallback run_zn 0 zn-snapshot --json
	assert_equal "$output" "$plain"
}

@test "keys, foreign keys and indexes are written as the server's deparsers write them" {
	render_schema
	alike
	# Spot checks that these are the definitions, written here.
	printf '%s\n' "$plain" >"$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"FOREIGN KEY (parent) REFERENCES public.\"select\"(\"from\") MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE"' "$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"CREATE INDEX \"select_quo\"\"te_idx\" ON public.\"select\" USING btree (\"quo\"\"te\" varchar_pattern_ops)"' "$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"CREATE INDEX select_t_from_idx ON public.\"select\" USING btree (t DESC NULLS LAST, \"from\")"' "$BATS_TEST_TMPDIR/g"
	grep -F 'USING btree (\"from\" \"Odd \"\"S\".rev_ops)' "$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"UNIQUE (\"quo\"\"te\") INCLUDE (arr, t) DEFERRABLE INITIALLY DEFERRED"' "$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"CREATE INDEX \"user\" ON \"Odd \"\"S\".child USING btree (\"user\", parent)"' "$BATS_TEST_TMPDIR/g"
}

# Checks, index expressions and predicates are written by zn-snapshot
# from their node trees (lib/deparse.c) where it reads every node, and
# by the server otherwise (NaN, a timestamp or jsonb constant, COALESCE,
# CASE, IS DISTINCT FROM, a collation, a row type's null test, a
# polymorphic function, a tree too deep): both kinds are here.
deparse_schema() {
	zn_sql <<'SQL'
CREATE TYPE mood AS ENUM ('ok', 'it''s', 'sad');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b int);
CREATE SCHEMA "Odd ""S";
CREATE FUNCTION "Odd ""S".twice(int) RETURNS int LANGUAGE sql IMMUTABLE
    AS 'SELECT $1 * 2';
CREATE FUNCTION "Odd ""S"."left"(text) RETURNS text LANGUAGE sql IMMUTABLE
    AS 'SELECT $1';
CREATE OPERATOR "Odd ""S".=== (LEFTARG = int, RIGHTARG = int,
    FUNCTION = int4eq);
CREATE TABLE t (
    id int PRIMARY KEY,
    qty int CHECK (qty >= 0),
    neg int CHECK (neg > -5 AND neg < 2147483647),
    big bigint CHECK (big <> 10 AND big > '-9000000000'::bigint),
    small smallint CHECK (small < 7 AND small <> -3::smallint),
    amount numeric(12,2) CHECK (amount >= 0),
    price numeric CHECK (price > 0.5 AND price <> 'NaN'),
    price2 numeric(20,9) CHECK (price2 > 0.5 AND price2 < 1e6
        AND price2 <> -0.25 AND price2 <> 123456789.000012345
        AND price2 <> 0.0001 AND price2 <> 10000.5 AND price2 <> 1.5::numeric(4,2)
        AND price2 <> 0.000000001 AND price2 <> 99990000),
    code varchar(16) CHECK (char_length(code) > 0),
    "Mixed Case" text CHECK ("Mixed Case" <> 'it''s'
        AND "Mixed Case" <> E'back\\slash' AND "Mixed Case" <> 'ünï'),
    "order" text CHECK ("order" IN ('a', 'b', 'c')),
    vc varchar(10) CHECK (vc IN ('x', 'y')),
    m mood CHECK (m <> 'sad' AND m <> 'it''s'),
    flag boolean CHECK (flag IS NOT FALSE),
    f2 boolean CHECK (NOT f2 OR flag IS TRUE OR f2 IS UNKNOWN),
    ts timestamptz CHECK (ts IS NULL OR ts > '2020-01-01'),
    n int CHECK ("Odd ""S".twice(n) < 100),
    n2 int CHECK (n2 OPERATOR("Odd ""S".===) 3 OR n2 IS NULL),
    l text CHECK ("Odd ""S"."left"(l) <> ''),
    c text COLLATE "C" CHECK (c > 'a' COLLATE "POSIX"),
    d posint CHECK (d IS NOT NULL),
    p pair CHECK (p IS NOT NULL),
    arr int[] CHECK (array_length(arr, 1) < 5 AND arr <> '{}'),
    j jsonb CHECK (j ? 'k' AND j <> 'null'),
    co text CHECK (coalesce(co, '') <> 'z'),
    cs int CHECK (CASE WHEN cs > 0 THEN true ELSE false END),
    nl text CHECK (nl IS DISTINCT FROM 'q'),
    ch char(3) CHECK (ch <> 'abc' AND ch <> NULL),
    tz timestamp CHECK (tz < (now() AT TIME ZONE 'UTC')),
    vt varchar(5) CHECK (vt::varchar(3) <> 'ab'),
    nm numeric CHECK (nm::numeric(5,2) < 100 AND nm::numeric(7,-2) > 0),
    io int CHECK (io::text <> '7' AND io::text::int > 0),
    b2 boolean CHECK (b2 = true),
    ar text[] CHECK (ar <> ARRAY['a', 'b'] AND ar <> ARRAY[]::text[])
);
ALTER TABLE t ADD CONSTRAINT nv CHECK (qty < 1000) NOT VALID;
ALTER TABLE t ADD CONSTRAINT ni CHECK (qty <> 13) NO INHERIT;
CREATE TABLE child () INHERITS (t);
CREATE INDEX ON t (lower("Mixed Case"));
CREATE INDEX ON t ((qty + 1) DESC NULLS LAST, lower(code) text_pattern_ops);
CREATE INDEX ON t (date_trunc('day', ts AT TIME ZONE 'UTC'));
CREATE INDEX ON t (qty) WHERE m <> 'sad';
CREATE INDEX ON t (qty) WHERE flag AND qty > 0;
CREATE INDEX ON t ((j ->> 'k'));
CREATE INDEX ON t (lower(c) COLLATE "POSIX");
CREATE INDEX ON t (("Odd ""S".twice(n)));
CREATE UNIQUE INDEX ON t (lower(code)) INCLUDE (qty) WHERE code IS NOT NULL;
CREATE INDEX ON t USING gin ((ARRAY[qty, n]));
CREATE INDEX ON t ((vt::text)) WHERE vt IN ('a', 'b');
CREATE INDEX ON t (upper("order"), "Mixed Case", (- qty));
-- Deeper than the client reads (64 levels): the server writes them.
DO $$ BEGIN
    EXECUTE 'CREATE TABLE deep (x int CHECK (' || repeat('NOT ', 99) ||
        'x > 0))';
    EXECUTE 'CREATE INDEX ON deep ((x' || repeat(' + 1', 150) || '))';
END $$;
SQL
}

@test "checks, index expressions and predicates are written from their trees as the server writes them" {
	deparse_schema
	alike
	PGOPTIONS='-c quote_all_identifiers=on' run_zn 0 zn-snapshot --json
	quoted=$output
	PGOPTIONS='-c quote_all_identifiers=on' ZN_SNAPSHOT_CHECK=1 \
	    run_zn 0 zn-snapshot --json
	assert_equal "$output" "$quoted"
	printf '%s\n' "$plain" >"$BATS_TEST_TMPDIR/g"
	grep -F '"definition":"CHECK (((vc)::text = ANY (ARRAY[('"'x'"'::character varying)::text, ('"'y'"'::character varying)::text])))"' "$BATS_TEST_TMPDIR/g"
	grep -F '(n2 OPERATOR(\"Odd \"\"S\".===) 3)' "$BATS_TEST_TMPDIR/g"
	grep -F '\"Odd \"\"S\".\"left\"(l)' "$BATS_TEST_TMPDIR/g"
	grep -F "(m <> 'it''s'::public.mood)" "$BATS_TEST_TMPDIR/g"
	grep -F "(neg > '-5'::integer)" "$BATS_TEST_TMPDIR/g"
	grep -F '(nm)::numeric(7,-2)' "$BATS_TEST_TMPDIR/g"
	grep -F "(price2 <> 123456789.000012345) AND (price2 <> 0.0001)" "$BATS_TEST_TMPDIR/g"
	grep -F "(price2 < '1000000'::numeric)" "$BATS_TEST_TMPDIR/g"
	grep -F "(date_trunc('day'::text, (ts AT TIME ZONE 'UTC'::text)))" "$BATS_TEST_TMPDIR/g"
	grep -F '"where":"(flag AND (qty > 0))"' "$BATS_TEST_TMPDIR/g"
	grep -F 'NOT VALID' "$BATS_TEST_TMPDIR/g"
}

# A table whose checks and indexes the client writes is never opened by
# the snapshot: it is read while another session holds it in ACCESS
# EXCLUSIVE mode, which the server's deparsers would wait for.
@test "a table whose checks and indexes are written here is read while another session locks it" {
	zn_sql <<'SQL'
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE s (id int PRIMARY KEY, qty int CHECK (qty >= 0),
    code varchar(16) CHECK (char_length(code) > 0), m mood,
    CHECK (qty < 100 OR m <> 'sad'));
CREATE INDEX ON s (lower(code)) WHERE m <> 'sad';
CREATE INDEX ON s ((qty + 1) DESC);
SQL
	run_zn 0 zn-snapshot --json
	free=$output
	psql -X -q -d "$ZN_TEST_DB" -c 'BEGIN' -c 'LOCK s IN ACCESS EXCLUSIVE MODE' -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 3>&- &
	locker=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.s'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	run_zn 0 zn-snapshot --lock-wait 2s --json
	locked=$output
	# The server's renderings wait for the lock, and give up.
	ZN_SNAPSHOT_CHECK=fallback run_zn 3 zn-snapshot --lock-wait 1s --json
	kill "$locker" 2>/dev/null || true
	wait
	assert_equal "$locked" "$free"
}

@test "with quote_all_identifiers on, the definitions written here still match the server's" {
	render_schema
	PGOPTIONS='-c quote_all_identifiers=on' run_zn 0 zn-snapshot --json
	plain=$output
	[[ $plain == *'REFERENCES \"public\".\"select\"(\"from\")'* ]]
	PGOPTIONS='-c quote_all_identifiers=on' ZN_SNAPSHOT_CHECK=1 \
	    run_zn 0 zn-snapshot --json
	assert_equal "$output" "$plain"
}
