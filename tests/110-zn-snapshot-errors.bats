#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-snapshot when things are wrong: servers that are down, unsupported or
# unreachable, bad connection strings, bad configuration, bad usage.  Each
# gets a clear one-line message and the documented status; no password is
# ever printed.

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
	SOCKDIR=$(mktemp -d /tmp/zn-fake.XXXXXX)
}

teardown() {
	stop_fake
	rm -rf "$SOCKDIR"
}

one_line() {
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] ||
	    fail "message is not one line: $stderr"
}

@test "a server that is down: exit 2, one line, no password" {
	run_zn 2 zn-snapshot -d "host=$SOCKDIR port=5999 user=alice password=s3cr3t-pw dbname=x"
	one_line
	assert_equal "$output" ''
	[[ "$stderr" == "zn-snapshot: cannot connect to the database: "* ]] ||
	    fail "unexpected message: $stderr"
	[[ "$stderr" != *s3cr3t-pw* ]] || fail "password printed: $stderr"
}

@test "a URI with a password for a refused TCP port: exit 2, no password" {
	run_zn 2 zn-snapshot -d 'postgresql://alice:p%40ss-w0rd@127.0.0.1:1/db?connect_timeout=5'
	one_line
	[[ "$stderr" != *p%40ss-w0rd* && "$stderr" != *p@ss-w0rd* ]] ||
	    fail "password printed: $stderr"
}

@test "a URI password with an unencoded @ is printed by no command, in no piece" {
	# libpq ends the password at the first @ and takes the rest for the
	# host name, which then shows in its message.
	url='postgresql://alice:SEC9x@RETPW7y@127.0.0.1:1/db?connect_timeout=5'
	local m=$BATS_TEST_TMPDIR/m.yaml s=$BATS_TEST_TMPDIR/s.sql
	printf 'ops:\n  - op: rawSql\n    sql: ["SELECT 1"]\n' >"$m"
	printf 'CREATE TABLE t (id int);\n' >"$s"
	for cmd in "zn-snapshot -d $url" "zn-diff -d $url $s" \
	    "zn-classify -d $url $m" "zn-apply -d $url $m" \
	    "zn-ledger -d $url status $BATS_TEST_TMPDIR"; do
		# shellcheck disable=SC2086
		run_zn 2 $cmd
		one_line
		[[ "$stderr" != *SEC9x* && "$stderr" != *RETPW7y* ]] ||
		    fail "$cmd: password printed: $stderr"
	done
}

@test "DATABASE_URL and PGPASSWORD are honoured and never printed" {
	export DATABASE_URL="postgresql://bob:hunter2-x@127.0.0.1:1/app"
	export PGPASSWORD=hunter3-y
	run_zn 2 zn-snapshot
	one_line
	[[ "$stderr" == *127.0.0.1* ]] || fail "DATABASE_URL not used: $stderr"
	[[ "$stderr" != *hunter2-x* && "$stderr" != *hunter3-y* ]] ||
	    fail "password printed: $stderr"
}

@test "a role the server refuses: exit 2, the password not echoed" {
	run_zn 2 zn-snapshot -d "user=nobody_here password=wr0ng-pw dbname=$ZN_TEST_DB"
	one_line
	[[ "$stderr" == *nobody_here* ]] || fail "unexpected: $stderr"
	[[ "$stderr" != *wr0ng-pw* ]] || fail "password printed: $stderr"
}

@test "a malformed connection string is a usage error (64), password hidden" {
	run_zn 64 zn-snapshot -d "host=x password=s3cr3t-pw bogus"
	one_line
	[[ "$stderr" == "zn-snapshot: invalid connection string: "* ]] ||
	    fail "unexpected message: $stderr"
	[[ "$stderr" != *s3cr3t-pw* ]] || fail "password printed: $stderr"
	run_zn 64 zn-snapshot -d "postgresql://u:pw-in-uri@[::1/db"
	[[ "$stderr" != *pw-in-uri* ]] || fail "password printed: $stderr"
	run_zn 64 zn-snapshot -d "host='unterminated password=zzz"
	[[ "$stderr" != *zzz* ]] || fail "password printed: $stderr"
	run_zn 64 zn-snapshot -d "nosuchkeyword=1"
	assert_equal "$stderr" 'zn-snapshot: invalid connection string: invalid connection option "nosuchkeyword"'
}

@test "a database that does not exist: exit 2 naming it" {
	run_zn 2 zn-snapshot -d no_such_db_here
	one_line
	assert_equal "$stderr" "zn-snapshot: cannot connect to the database: connection to server on socket \"$ZN_TEST_PGHOST/.s.PGSQL.5432\" failed: FATAL:  database \"no_such_db_here\" does not exist"
}

@test "a server older than PostgreSQL 12 is refused clearly" {
	fake_server 11.22
	run_zn 2 zn-snapshot -d "host=$FAKE_DIR port=5433 dbname=x"
	assert_equal "$stderr" 'zn-snapshot: server version 11.22 is not supported (PostgreSQL 12 to 18 are)'
}

@test "a server newer than PostgreSQL 18 is refused clearly" {
	fake_server 19.1
	run_zn 2 zn-snapshot -d "host=$FAKE_DIR port=5433 dbname=x"
	assert_equal "$stderr" 'zn-snapshot: server version 19.1 is not supported (PostgreSQL 12 to 18 are)'
}

@test "the database comes from -d, ZN_DATABASE_URL, zanith.yaml, DATABASE_URL in that order" {
	zn_sql -c 'CREATE DATABASE prec_a' -c 'CREATE DATABASE prec_b' \
	    -c 'CREATE DATABASE prec_c' -c 'CREATE DATABASE prec_d'
	dbof() { jq -r 'select(.kind == "graph") | .source.dbname' <<<"$output"; }
	echo "database: dbname=prec_c" >"$BATS_TEST_TMPDIR/zanith.yaml"
	export DATABASE_URL="dbname=prec_d"
	cd "$BATS_TEST_TMPDIR"
	run_zn 0 zn-snapshot --json
	assert_equal "$(dbof)" prec_c
	ZN_DATABASE_URL="dbname=prec_b" run_zn 0 zn-snapshot --json
	assert_equal "$(dbof)" prec_b
	ZN_DATABASE_URL="dbname=prec_b" run_zn 0 zn-snapshot --json -d prec_a
	assert_equal "$(dbof)" prec_a
	rm zanith.yaml
	run_zn 0 zn-snapshot --json
	assert_equal "$(dbof)" prec_d
	unset DATABASE_URL
	run_zn 0 zn-snapshot --json
	assert_equal "$(dbof)" "$ZN_TEST_DB"
	zn_sql -c 'DROP DATABASE prec_a' -c 'DROP DATABASE prec_b' \
	    -c 'DROP DATABASE prec_c' -c 'DROP DATABASE prec_d'
}

@test "a malformed zanith.yaml: exit 65 with file:line:col" {
	cd "$BATS_TEST_TMPDIR"
	printf 'database: [unclosed\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	[[ "$stderr" == "zn-snapshot: ./zanith.yaml:2:1: "* ]] ||
	    fail "unexpected: $stderr"
	printf 'database: x\ndatabse: y\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:2:1: unknown key 'databse'"
	printf 'database:\n  - a\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:2:3: 'database' must be a string"
	printf 'database: a\ndatabase: b\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:2:1: duplicate key 'database'"
	printf 'snapshot:\n  schemas: [a, 1]\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:2:16: 'schemas' entries must be strings"
	printf -- '- a\n- b\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:1:1: the configuration must be a mapping"
	printf 'a: 1\n---\nb: 2\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:2:1: only one YAML document is allowed"
	printf 'database: *nope\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: ./zanith.yaml:1:11: unknown alias '*nope'"
	printf '\t database: x\n' >zanith.yaml
	run_zn 65 zn-snapshot --json
	[[ "$stderr" == "zn-snapshot: ./zanith.yaml:1:"* ]] || fail "unexpected: $stderr"
	# An empty file is an empty configuration.
	: >zanith.yaml
	run_zn 0 zn-snapshot --json
}

@test "ZN_CONFIG names the file; a missing one or a missing -C dir is exit 2" {
	printf 'database: dbname=%s\n' "$ZN_TEST_DB" >"$BATS_TEST_TMPDIR/other.yaml"
	ZN_CONFIG="$BATS_TEST_TMPDIR/other.yaml" PGDATABASE=postgres run_zn 0 zn-snapshot --json
	run jq -r 'select(.kind == "graph") | .source.dbname' <<<"$output"
	assert_output "$ZN_TEST_DB"
	ZN_CONFIG="$BATS_TEST_TMPDIR/missing.yaml" run_zn 2 zn-snapshot --json
	assert_equal "$stderr" "zn-snapshot: cannot open '$BATS_TEST_TMPDIR/missing.yaml': No such file or directory"
	# -C is a flag, and flags beat the environment.
	mkdir "$BATS_TEST_TMPDIR/d1"
	echo 'database: dbname=postgres' >"$BATS_TEST_TMPDIR/d1/zanith.yaml"
	ZN_CONFIG="$BATS_TEST_TMPDIR/other.yaml" run_zn 0 zn-snapshot --json -C "$BATS_TEST_TMPDIR/d1"
	run jq -r 'select(.kind == "graph") | .source.dbname' <<<"$output"
	assert_output postgres
	run_zn 2 zn-snapshot --json -C "$BATS_TEST_TMPDIR/nodir"
	assert_equal "$stderr" "zn-snapshot: cannot use '$BATS_TEST_TMPDIR/nodir': No such file or directory"
}

@test "usage errors: extra arguments, bad combinations, missing values" {
	run_zn 64 zn-snapshot extra
	assert_equal "${stderr%%$'\n'*}" "zn-snapshot: unexpected argument 'extra'"
	run_zn 64 zn-snapshot --graph x.jsonl -d db
	assert_equal "${stderr%%$'\n'*}" "zn-snapshot: --graph cannot be combined with -C, -d, -n, -N, --declared or --scratch-url"
	run_zn 64 zn-snapshot -o ''
	run_zn 64 zn-snapshot -d
	run_zn 64 zn-snapshot --graph
}

@test "a write error on stdout is exit 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'zn-snapshot --json >/dev/full'
	assert_equal "$status" 2
	assert_output --partial 'write error'
}

@test "-o into a directory that does not exist: exit 2, nothing left behind" {
	run_zn 2 zn-snapshot -o "$BATS_TEST_TMPDIR/no/such/dir/g.jsonl"
	[[ "$stderr" == "zn-snapshot: cannot write '$BATS_TEST_TMPDIR/no/such/dir/g.jsonl': No such file or directory" ]] ||
	    fail "unexpected: $stderr"
}

@test "a server that goes away in the middle is exit 2" {
	# A backend terminated while the snapshot waits on a lock: the
	# snapshot must fail cleanly, not crash or print a partial graph.
	zn_sql -c 'CREATE TABLE t (id int)'
	psql -X -q -d "$ZN_TEST_DB" -c 'BEGIN' -c 'LOCK pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE' -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 3>&- &
	locker=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = 'pg_catalog.pg_description'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	( zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND wait_event_type = 'Lock')" && psql -X -q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND wait_event_type = 'Lock'" >/dev/null ) 3>&- &
	run_zn 2 zn-snapshot --json
	kill "$locker" 2>/dev/null || true
	wait
	assert_equal "$output" ''
	one_line
	[[ "$stderr" == "zn-snapshot: cannot "* ]] || fail "unexpected: $stderr"
}

# lockwait CATALOG: another session holds CATALOG in ACCESS EXCLUSIVE
# mode (60 s at most); $locker is its pid in the shell.
lockwait() {
	psql -X -q -d "$ZN_TEST_DB" -c 'BEGIN' -c "LOCK pg_catalog.$1 IN ACCESS EXCLUSIVE MODE" -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 3>&- &
	locker="$locker $!"
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = 'pg_catalog.$1'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
}

# terminate_second READY VICTIMS: in the background, once READY (a query
# on pg_stat_activity) is true, terminates the backends VICTIMS (a query
# of pids) selects, waits for one zn-snapshot session left and ends the
# lockers; run_zn then runs the snapshot, and lockers_done cleans up.
terminate_second() {
	(
		zn_wait_sql "$1" &&
		psql -X -q -d postgres -c "SELECT pg_terminate_backend(pid) FROM ($2) v" >/dev/null &&
		zn_wait_sql "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'zn-snapshot'" &&
		kill $locker
	) 3>&- &
}

lockers_done() {
	kill $locker 2>/dev/null || true
	wait
}

# The first session waits on a lock on a catalog only it reads
# (pg_ts_dict) while the client reads the second session's results.
@test "the second session ended after its work, while the first is waited on: the same graph" {
	zn_sql -c 'CREATE TABLE t (id int CHECK (id > 0))' -c 'CREATE INDEX ON t ((id + 1))'
	ZN_SNAPSHOT_CONNECTIONS=1 run_zn 0 zn-snapshot --json
	one=$output
	locker=
	lockwait pg_ts_dict
	# Idle after the last statement of its work (the rules').
	terminate_second "SELECT count(*) = 2 AND count(*) FILTER (WHERE wait_event_type = 'Lock') = 1 AND count(*) FILTER (WHERE state = 'idle in transaction' AND query LIKE '%pg_get_ruledef%') = 1 FROM pg_stat_activity WHERE application_name = 'zn-snapshot'" \
	    "SELECT pid FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND state = 'idle in transaction'"
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 0 zn-snapshot --json
	lockers_done
	assert_equal "$output" "$one"
}

@test "the second session ended in its work, while the first is waited on: exit 2, nothing printed" {
	# The second session also waits, on pg_policy, which only it reads.
	zn_sql -c 'CREATE TABLE t (id int CHECK (id > 0))'
	locker=
	lockwait pg_ts_dict
	lockwait pg_policy
	terminate_second "SELECT count(*) = 2 FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND wait_event_type = 'Lock'" \
	    "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'zn-snapshot' AND l.relation = 'pg_catalog.pg_policy'::regclass AND NOT l.granted"
	ZN_SNAPSHOT_CONNECTIONS=2 run_zn 2 zn-snapshot --json
	lockers_done
	assert_equal "$output" ''
	one_line
	[[ "$stderr" == "zn-snapshot: cannot read policies: "*"terminating connection"* ]] || fail "unexpected: $stderr"
}

# An object dropped after the snapshot began is still in the snapshot's
# catalog rows, but the server can no longer render it.  A lock on a
# catalog that only a later query reads holds the snapshot at that query
# while another session drops the object: once the snapshot waits for the
# lock (or after 30 s, and the test fails), the drop commits.
race() {
	local lockrel=$1 drop=$2
	(
		psql -X -q -v ON_ERROR_STOP=1 -d "$ZN_TEST_DB" >/dev/null 2>&1 <<SQL
BEGIN;
LOCK TABLE $lockrel IN ACCESS EXCLUSIVE MODE;
DO \$\$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	WHILE NOT EXISTS (SELECT FROM pg_stat_activity
	    WHERE application_name = 'zn-snapshot' AND wait_event_type = 'Lock')
	    AND clock_timestamp() < t0 + interval '30 s' LOOP
		PERFORM pg_sleep(0.05);
		PERFORM pg_stat_clear_snapshot();
	END LOOP;
END
\$\$;
$drop;
COMMIT;
SQL
	) 3>&- &
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = '$lockrel'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	run_zn '?' zn-snapshot --json
	wait
}

@test "a function dropped while the snapshot runs: exit 2, run it again" {
	zn_load_fixture full.sql
	race pg_catalog.pg_language 'DROP FUNCTION app.add(numeric, numeric)'
	assert_equal "$status" 2
	assert_equal "$output" ''
	assert_equal "$stderr" "zn-snapshot: function 'app.add' was dropped while the snapshot was being taken; run it again"
}

@test "a trigger dropped while the snapshot runs: exit 2, run it again" {
	zn_load_fixture full.sql
	# Opening the tables loads their triggers, so the snapshot waits on
	# pg_trigger after it began; the drop commits meanwhile.
	race pg_catalog.pg_trigger 'DROP TRIGGER "Trigger; ""x""" ON "Weird ""Schema""; DROP"."select"'
	assert_equal "$status" 2
	assert_equal "$output" ''
	assert_equal "$stderr" "zn-snapshot: trigger 'Weird \"Schema\"; DROP.Trigger; \"x\"' was dropped while the snapshot was being taken; run it again"
}

@test "a snapshot that raced nothing is still exact" {
	zn_load_fixture full.sql
	race pg_catalog.pg_language 'SELECT 1'
	assert_equal "$status" 0
	run jq -r 'select(.kind == "function") | .arguments' <<<"$output"
	assert_output 'a integer, b integer
a numeric, b numeric'
}

@test "a snapshot that fills the server's lock table says which setting to raise" {
	# The snapshot reads in one transaction and locks each view it
	# reads; a server with room for few locks runs out of shared memory.
	local i
	# shellcheck source=tests/helpers/pgtmp.sh
	. "$ZN_TOP/tests/helpers/pgtmp.sh"
	ZN_PGTMP_CONF="max_locks_per_transaction = 10
max_connections = 5
max_worker_processes = 0
max_wal_senders = 0
autovacuum_max_workers = 1" zn_pgtmp_start 2>&3 || fail "no second server"
	for i in $(seq 1 1500); do
		echo "CREATE VIEW v$i AS SELECT $i AS n;"
	done | psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null ||
	    { zn_pgtmp_stop; fail "cannot make the views"; }
	run_zn 2 zn-snapshot -d postgres -o g.jsonl
	zn_pgtmp_stop
	# Where it runs out depends on how many catalogs were read before.
	[[ $stderr =~ ^"zn-snapshot: cannot read "[a-z\ ]+": out of shared memory (SQLSTATE 53200): the server's lock table is full; raise max_locks_per_transaction on the server (a restart applies it)"$ ]] ||
	    fail "stderr: $stderr"
	[ ! -e g.jsonl ] || fail "a file was written"
}
