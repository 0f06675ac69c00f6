#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-snapshot --declared: a schema declared in SQL, materialised in a
# scratch database (a throwaway cluster, or a URL) and introspected there.
# What it declares must read exactly as the same schema loaded live, and
# the throwaway cluster must leave nothing behind, whatever happens.

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
	# A short private TMPDIR: scratch clusters are made inside it, so a
	# test can see exactly what is left behind.
	SCRATCH_TMP=$(mktemp -d /tmp/zt.XXXXXX)
	# As root the cluster runs as another user, who must reach it.
	chmod 755 "$SCRATCH_TMP"
	export TMPDIR=$SCRATCH_TMP
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	pkill -KILL -f "$SCRATCH_TMP/zn-scratch" 2>/dev/null || true
	rm -rf "$SCRATCH_TMP"
	stop_fake
}

# Nothing of a scratch cluster remains: no directory, no process.
nothing_left() {
	run ls -A "$SCRATCH_TMP"
	assert_output ''
	run pgrep -f "$SCRATCH_TMP/zn-scratch"
	assert_failure
}

@test "a declared schema reads exactly as the same schema loaded live" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json
	printf '%s\n' "$output" | sed 1d >body
	diff -u "$EXPECTED/full.body.jsonl" body
	run jq -c 'select(.kind == "graph") | .source' <<<"$output"
	assert_output "{\"type\":\"declared\",\"path\":\"$FIXTURES/full.sql\"}"
	nothing_left
}

@test "the declared and the live graph have the same hash" {
	zn_load_fixture full.sql
	run_zn 0 zn-snapshot --json
	live=$(jq -r 'select(.kind == "graph") | .hash' <<<"$output")
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json
	declared=$(jq -r 'select(.kind == "graph") | .hash' <<<"$output")
	assert_equal "$declared" "$live"
}

@test "a directory of .sql files is applied in name order" {
	mkdir schema
	printf 'CREATE TYPE mood AS ENUM (%s);\n' "'a', 'b'" >schema/01_types.sql
	printf 'CREATE TABLE t (id int PRIMARY KEY, m mood);\n' >schema/02_tables.sql
	printf 'not sql, and not read\n' >schema/README
	run_zn 0 zn-snapshot --declared schema --json
	run jq -r 'select(.kind == "table") | .columns[1].type' <<<"$output"
	assert_output 'public.mood'
	# Named the other way round, the table comes first and fails.
	mv schema/01_types.sql schema/03_types.sql
	run_zn 65 zn-snapshot --declared schema --json
	assert_equal "$stderr" 'zn-snapshot: schema/02_tables.sql:1:39: type "mood" does not exist (SQLSTATE 42704)'
	nothing_left
}

@test "an error in the declaration is file:line:col, exit 65, nothing left" {
	printf 'CREATE TABLE a (id int);\n\nCREATE TABLE b (\n    id intt\n);\n' >bad.sql
	run_zn 65 zn-snapshot --declared bad.sql --json
	assert_equal "$output" ''
	assert_equal "$stderr" 'zn-snapshot: bad.sql:4:8: type "intt" does not exist (SQLSTATE 42704)'
	printf 'CREATE TABLE ünï (x int);\nCREATE TABLE "ü" (x int) oops;\n' >bad2.sql
	run_zn 65 zn-snapshot --declared bad2.sql --json
	assert_equal "$stderr" 'zn-snapshot: bad2.sql:2:26: syntax error at or near "oops" (SQLSTATE 42601)'
	printf '\\i other.sql\n' >meta.sql
	run_zn 65 zn-snapshot --declared meta.sql --json
	[[ "$stderr" == 'zn-snapshot: meta.sql:1:1: syntax error at or near'* ]] ||
	    fail "unexpected: $stderr"
	nothing_left
}

@test "functions may use tables declared after them" {
	printf '%s\n' 'CREATE FUNCTION n() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM later $$;' \
	    'CREATE TABLE later (id int);' >order.sql
	run_zn 0 zn-snapshot --declared order.sql --json
	run jq -r 'select(.kind == "function") | .name' <<<"$output"
	assert_output n
}

@test "what is not a declaration is refused" {
	run_zn 2 zn-snapshot --declared missing.sql --json
	assert_equal "$stderr" "zn-snapshot: cannot open 'missing.sql': No such file or directory"
	echo 'CREATE TABLE x (id int);' >schema.txt
	run_zn 64 zn-snapshot --declared schema.txt --json
	assert_equal "$stderr" "zn-snapshot: 'schema.txt' is not a .sql or .yaml file, nor a directory of .sql files"
	echo 'tables: []' >schema.yaml
	run_zn 65 zn-snapshot --declared schema.yaml --json
	assert_equal "$stderr" "zn-snapshot: schema.yaml:1:9: 'tables' must be a mapping, not a list"
	mkdir empty
	run_zn 65 zn-snapshot --declared empty --json
	assert_equal "$stderr" 'zn-snapshot: empty: no .sql files to declare a schema with'
	printf 'SELECT 1;\0' >nul.sql
	run_zn 65 zn-snapshot --declared nul.sql --json
	assert_equal "$stderr" 'zn-snapshot: nul.sql: a NUL byte is not SQL'
	run_zn 64 zn-snapshot --scratch-url dbname=x
	nothing_left
}

interrupt() {
	local sig=$1
	printf 'CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n' >slow.sql
	zn-snapshot --declared slow.sql --json >out 2>err 3>&- &
	local pid=$! sock
	# Wait for the scratch server to be running the declaration.
	zn_wait_file "$SCRATCH_TMP/zn-scratch.*/.s.PGSQL.5432"
	sock=$(compgen -G "$SCRATCH_TMP/zn-scratch.*/.s.PGSQL.5432")
	PGHOST=${sock%/*} PGDATABASE=postgres zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND pid <> pg_backend_pid())"
	kill -"$sig" "$pid"
	status=0
	wait "$pid" || status=$?
}

@test "SIGINT in the middle: exit 130, no process and no directory left" {
	interrupt INT
	assert_equal "$status" 130
	nothing_left
}

@test "SIGTERM in the middle: exit 130, no process and no directory left" {
	interrupt TERM
	assert_equal "$status" 130
	nothing_left
}

@test "a throwaway cluster starts from the cached initdb; a broken one is replaced; off keeps none" {
	export ZN_SCRATCH_CACHE=$BATS_TEST_TMPDIR/cache
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json
	printf '%s\n' "$output" | sed 1d >first
	tmpl=$(compgen -G "$ZN_SCRATCH_CACHE/initdb-*")
	[ -f "$tmpl/PG_VERSION" ]
	# Nothing half-written is left beside it.
	run ls -A "$ZN_SCRATCH_CACHE"
	assert_output "${tmpl##*/}"
	# A template the server cannot start from: the run still succeeds,
	# from a new initdb, and the template is made again, whole.
	want=$(cat "$tmpl/PG_VERSION")
	echo 99 >"$tmpl/PG_VERSION"
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json
	printf '%s\n' "$output" | sed 1d >second
	diff -u first second
	diff -u "$EXPECTED/full.body.jsonl" second
	run cat "$tmpl/PG_VERSION"
	assert_output "$want"
	run ls -A "$ZN_SCRATCH_CACHE"
	assert_output "${tmpl##*/}"
	nothing_left
	# off: no cache at all.
	rm -rf "$ZN_SCRATCH_CACHE"
	XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg ZN_SCRATCH_CACHE=off \
	    run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json
	[ ! -e "$ZN_SCRATCH_CACHE" ]
	[ ! -e "$BATS_TEST_TMPDIR/xdg" ]
	nothing_left
}

@test "two first runs at once share the cache: one template, nothing half-written; a cache that cannot be written only costs an initdb" {
	export ZN_SCRATCH_CACHE=$BATS_TEST_TMPDIR/cache
	printf 'CREATE TABLE x (id int);\n' >s.sql
	zn-snapshot --declared s.sql --json >a.out 2>a.err 3>&- &
	a=$!
	zn-snapshot --declared s.sql --json >b.out 2>b.err 3>&- &
	b=$!
	wait "$a" || fail "first: $(cat a.err)"
	wait "$b" || fail "second: $(cat b.err)"
	diff -u <(sed 1d a.out) <(sed 1d b.out)
	run ls -A "$ZN_SCRATCH_CACHE"
	[[ $output == initdb-* && $output != *$'\n'* ]] || fail "cache holds: $output"
	nothing_left
	# A file where the cache directory would be: no cache, same graph.
	rm -rf "$ZN_SCRATCH_CACHE"
	: >"$BATS_TEST_TMPDIR/cache"
	run_zn 0 zn-snapshot --declared s.sql --json
	diff -u <(sed 1d a.out) <(printf '%s\n' "$output" | sed 1d)
	[ -f "$BATS_TEST_TMPDIR/cache" ]
	nothing_left
}

@test "--scratch-url materialises in a new database there and drops it" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json --scratch-url "dbname=$ZN_TEST_DB"
	printf '%s\n' "$output" | sed 1d >body
	diff -u "$EXPECTED/full.body.jsonl" body
	run psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zn\_scratch\_%'"
	assert_output 0
	# The database it names is only the way in: nothing is created there.
	run psql -X -A -t -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
	assert_output 0
	nothing_left
}

@test "the scratch server comes from zanith.yaml or ZN_SCRATCH_URL" {
	printf 'scratch: "dbname=%s"\n' "$ZN_TEST_DB" >zanith.yaml
	printf 'CREATE TABLE x (id int);\n' >s.sql
	run_zn 0 zn-snapshot --declared s.sql --json
	nothing_left
	rm zanith.yaml
	ZN_SCRATCH_URL="host=/nonexistent dbname=x" run_zn 2 zn-snapshot --declared s.sql --json
	[[ "$stderr" == "zn-snapshot: cannot connect to the database: "* ]] ||
	    fail "unexpected: $stderr"
}

@test "a scratch server that refuses to create databases is exit 2" {
	zn_sql -c 'CREATE ROLE nocreate LOGIN'
	printf 'CREATE TABLE x (id int);\n' >s.sql
	run_zn 2 zn-snapshot --declared s.sql --json --scratch-url "dbname=$ZN_TEST_DB user=nocreate"
	assert_equal "$stderr" 'zn-snapshot: cannot create a scratch database: permission denied to create database (SQLSTATE 42501)'
	zn_sql -c 'DROP ROLE nocreate'
}

@test "as root, a missing unprivileged user is a clear refusal" {
	[ "$(id -u)" -eq 0 ] || skip "only root runs the cluster as another user"
	printf 'CREATE TABLE x (id int);\n' >s.sql
	ZN_PGTMP_USER=no_such_user_here run_zn 2 zn-snapshot --declared s.sql --json
	assert_equal "$stderr" "zn-snapshot: running as root, and there is no unprivileged user 'no_such_user_here' to run the scratch server as (set ZN_PGTMP_USER)"
	nothing_left
}

@test "as root, a TMPDIR the cluster's user cannot enter is passed over" {
	[ "$(id -u)" -eq 0 ] || skip "only root runs the cluster as another user"
	chmod 700 "$SCRATCH_TMP"
	printf 'CREATE TABLE x (id int);\n' >s.sql
	run_zn 0 zn-snapshot --declared s.sql --json
	run ls -A "$SCRATCH_TMP"
	assert_output ''
}

@test "no server binaries: exit 2 naming the ways to provide them" {
	printf 'CREATE TABLE x (id int);\n' >s.sql
	ZN_PG_BINDIR=/nonexistent run_zn 2 zn-snapshot --declared s.sql --json
	assert_equal "$stderr" 'zn-snapshot: no PostgreSQL server binaries for a scratch cluster (install them, set ZN_PG_BINDIR, or give --scratch-url)'
	nothing_left
}

@test "-n and -N filter the declared graph too" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.sql" --json -n app
	run jq -r 'select(.kind == "schema") | .name' <<<"$output"
	assert_output app
}

@test "a scratch server out of resources is its fault (2), not the declaration's (65)" {
	# The test cluster's lock table holds about 2,500 locks; a
	# declaration applied in one transaction of 2,000 tables with keys
	# and sequences needs more.
	for i in $(seq 2000); do echo "CREATE TABLE t$i (id serial PRIMARY KEY, a int UNIQUE);"; done >big.sql
	run_zn 2 zn-snapshot --declared big.sql --json --scratch-url "dbname=$ZN_TEST_DB"
	assert_equal "$stderr" 'zn-snapshot: the scratch database failed: big.sql: out of shared memory (SQLSTATE 53200)'
	run psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zn\_scratch\_%'"
	assert_output 0
}

@test "with -d, the declaration is rendered by that database's major version" {
	printf 'CREATE TABLE x (id int);\n' >s.sql
	run_zn 0 zn-snapshot --declared s.sql --json -d "$ZN_TEST_DB"
	run jq -r 'select(.kind == "graph") | .server_version_num / 10000 | floor' <<<"$output"
	assert_output "$(psql -X -A -t -c 'SHOW server_version_num' | cut -c1-2)"
	nothing_left
}

@test "with -d, another major version without its binaries is exit 2, saying so" {
	printf 'CREATE TABLE x (id int);\n' >s.sql
	fake_server 14.9
	run_zn 2 zn-snapshot --declared s.sql --json -d "host=$FAKE_DIR port=5433 dbname=x"
	assert_equal "$stderr" 'zn-snapshot: no PostgreSQL 14 server binaries for a scratch cluster (install them, set ZN_PG_BINDIR, or give --scratch-url)'
	# ZN_PG_BINDIR of another version is no way around it.
	ZN_PG_BINDIR=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)") \
	    run_zn 2 zn-snapshot --declared s.sql --json -d "host=$FAKE_DIR port=5433 dbname=x"
	assert_equal "$stderr" 'zn-snapshot: no PostgreSQL 14 server binaries for a scratch cluster (install them, set ZN_PG_BINDIR, or give --scratch-url)'
	stop_fake
	nothing_left
}

@test "with -d, a scratch server of another major version is refused" {
	printf 'CREATE TABLE x (id int);\n' >s.sql
	fake_server 14.9
	run_zn 2 zn-snapshot --declared s.sql --json -d "host=$FAKE_DIR port=5433 dbname=x" --scratch-url "dbname=$ZN_TEST_DB"
	stop_fake
	major=$(psql -X -A -t -c 'SHOW server_version_num' | cut -c1-2)
	assert_equal "$stderr" "zn-snapshot: the scratch server runs PostgreSQL $major and the database 14: both sides of a comparison must be rendered by the same major version"
	run psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zn\_scratch\_%'"
	assert_output 0
}
