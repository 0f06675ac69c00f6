#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Through a real connection pooler (PgBouncer): in transaction mode each
# transaction may get any backend, so zn-apply's session lock would not
# hold and it refuses; in session mode it works.  zn-snapshot reads in
# one transaction and works through either.

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
	load helpers/ledger
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
	mkdir -p migrations
	PGB=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
	[ -x "$PGB" ] || skip "no pgbouncer (make deps installs it)"
}

teardown() {
	if [ -n "${PGB_DIR:-}" ]; then
		[ ! -f "$PGB_DIR/pgb.pid" ] || kill "$(cat "$PGB_DIR/pgb.pid")" 2>/dev/null || true
		rm -rf "$PGB_DIR"
	fi
}

# pgb_start MODE: PgBouncer in pool_mode MODE in front of the test server,
# on a Unix socket in PGB_DIR, port 6432; as the cluster's user when root.
pgb_start() {
	# shellcheck source=tests/helpers/pgtmp.sh
	. "$ZN_TOP/tests/helpers/pgtmp.sh"
	PGB_DIR=$(mktemp -d /tmp/zn-pgb.XXXXXX)
	cat >"$PGB_DIR/pgb.ini" <<-INI
	[databases]
	* = host=$ZN_TEST_PGHOST port=5432
	[pgbouncer]
	listen_addr =
	listen_port = 6432
	unix_socket_dir = $PGB_DIR
	auth_type = trust
	auth_file = $PGB_DIR/users.txt
	pool_mode = $1
	logfile = $PGB_DIR/pgb.log
	pidfile = $PGB_DIR/pgb.pid
	ignore_startup_parameters = extra_float_digits,options
	INI
	echo '"postgres" ""' >"$PGB_DIR/users.txt"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "${ZN_PGTMP_USER:-postgres}" "$PGB_DIR"
	fi
	_zn_pgtmp_as "$PGB" -d "$PGB_DIR/pgb.ini" 3>&-
	zn_wait_file "$PGB_DIR/.s.PGSQL.6432"
	VIA="host=$PGB_DIR port=6432 user=postgres dbname=$ZN_TEST_DB"
}

@test "through a transaction-mode pooler zn-apply refuses, exit 2, before anything is written" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	pgb_start transaction
	run_zn 2 zn-apply -d "$VIA" migrations
	[[ $stderr == "zn-apply: the connection goes through a transaction-mode pooler"* ]] ||
	    fail "$stderr"
	[[ $stderr == *"give zn-apply the database's own address" ]] || fail "$stderr"
	# Directly: nothing was made, not even the ledger.
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL AND to_regclass('public._zanith_ledger') IS NULL")" = t ]
}

@test "through a session-mode pooler zn-apply applies and zn-ledger reads" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	pgb_start session
	run_zn 0 zn-apply -d "$VIA" migrations
	assert_line --partial "1 step applied"
	run_zn 0 zn-ledger -d "$VIA" status --exit-code migrations
	assert_line "1 migration: 1 applied"
	[ "$(ledger "SELECT to_regclass('public.a') IS NOT NULL")" = t ]
}

@test "zn-snapshot reads the same graph through a transaction-mode pooler" {
	zn_load_fixture full.sql
	run_zn 0 zn-snapshot --json
	graph_body <(printf '%s\n' "$output") >direct.body
	pgb_start transaction
	run_zn 0 zn-snapshot --json -d "$VIA"
	graph_body <(printf '%s\n' "$output") >pooled.body
	diff -u direct.body pooled.body
}
