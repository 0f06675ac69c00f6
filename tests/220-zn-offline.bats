#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# --offline: a YAML declaration as a graph without any server, best
# effort, and zn-diff over such graphs.

setup_file() { load helpers/common; zn_pg_start; }
teardown_file() { load helpers/common; zn_pg_stop; }
setup() {
	load helpers/common
	zn_clean_env
	cd "$BATS_TEST_TMPDIR" || return 1
	URL="host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=postgres"
	WARN_PLAIN="--offline: '$FIXTURES/offline.yaml' rendered without a server, best effort: expressions as written; 1 function, 0 procedures, 0 views and 0 raw SQL entries left out"
}

# body FILE: a graph's records, without header and trailer.
body() {
	sed '1d;$d' "$1"
}

@test "what follows PostgreSQL's rules is rendered exactly as the server does" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/offline.yaml" \
	    --scratch-url "$URL" -o live.graph
	run_zn 0 zn-snapshot --declared "$FIXTURES/offline.yaml" --offline \
	    -o off.graph
	assert_equal "$stderr" "zn-snapshot: $WARN_PLAIN"
	# Everything but the function, byte for byte.
	[ "$(body live.graph | grep -c '"kind":"function"')" = 1 ]
	diff <(body live.graph | grep -v '"kind":"function"') \
	    <(body off.graph)
	head -n 1 off.graph | jq -e '.source.offline == true and
	    .server_version_num == 0' >/dev/null
}

@test "--offline needs no server, no binaries and no connection" {
	ZN_PG_BINDIR=/nonexistent PGHOST=/nonexistent PGPORT=1 \
	    PATH="$ZN_TEST_BUILD/bin:/usr/bin:/bin" \
	    run_zn 0 zn-snapshot --declared "$FIXTURES/offline.yaml" --offline \
	    --json
	assert_equal "$stderr" "zn-snapshot: $WARN_PLAIN"
	assert_equal "$(printf '%s\n' "$output" | tail -n 1 | jq .objects)" 14
}

@test "--offline reads YAML only, and goes with nothing that needs a server" {
	echo 'CREATE TABLE t (id int);' >s.sql
	run_zn 64 zn-snapshot --declared s.sql --offline
	assert_equal "$stderr" "zn-snapshot: --offline goes with a YAML --declared
Try 'zn-snapshot --help' for more information."
	run_zn 64 zn-snapshot --offline
	run_zn 64 zn-snapshot --declared "$FIXTURES/offline.yaml" --offline \
	    --scratch-url "$URL"
	run_zn 64 zn-snapshot --declared "$FIXTURES/offline.yaml" --offline --sql
	run_zn 64 zn-diff --offline s.sql "$FIXTURES/offline.yaml"
	assert_equal "$stderr" "zn-diff: --offline reads a YAML declaration; 's.sql' is SQL, which needs a server"
}

@test "a mistake in the YAML is still refused with its position" {
	printf 'schemas:\n  app:\n    tables:\n      t:\n        columns:\n          id: {type: int, nope: 1}\n' >bad.yaml
	run_zn 65 zn-snapshot --declared bad.yaml --offline
	assert_equal "$stderr" "zn-snapshot: bad.yaml:6:27: unknown key 'nope' in a column"
	printf 'schemas:\n  app:\n    tables:\n      t:\n        columns:\n          id: {type: int, references: nowhere.id}\n' >bad.yaml
	run_zn 65 zn-snapshot --declared bad.yaml --offline
	[[ "$stderr" == "zn-snapshot: bad.yaml:6:"*"nowhere"* ]] ||
	    fail "unexpected: $stderr"
}

@test "two offline declarations diff without a server, routines and views left alone" {
	cat >old.yaml <<-'YAML'
	schemas:
	  app:
	    tables:
	      users:
	        columns:
	          id: {type: serial, primary_key: true}
	          email: text
	    views:
	      v: SELECT id FROM app.users
	    functions:
	      - CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1'
	YAML
	cat >new.yaml <<-'YAML'
	schemas:
	  app:
	    tables:
	      users:
	        columns:
	          id: {type: serial, primary_key: true}
	          email: text
	          nick: {type: varchar(20), not_null: true, default: "'x'"}
	        indexes:
	          users_email: {columns: [email]}
	    views:
	      v: SELECT id, email FROM app.users
	YAML
	ZN_PG_BINDIR=/nonexistent PGHOST=/nonexistent \
	    run_zn 0 zn-diff --offline --json old.yaml new.yaml
	assert_equal "$(printf '%s\n' "$output" | jq -r 'select(.kind == "op") |
	    "\(.op) \(.target)"' | paste -sd' ' -)" \
	    "addColumn app.users.nick addIndex app.users.users_email"
	assert_equal "$(printf '%s\n' "$output" | jq -r 'select(.op ==
	    "addColumn") | .sql[0]')" \
	    "ALTER TABLE app.users ADD COLUMN nick character varying(20) DEFAULT 'x'::character varying NOT NULL"
	printf '%s\n' "$output" | head -n 1 | jq -e '.to.offline == true' \
	    >/dev/null
	[ "$(printf '%s\n' "$stderr" | grep -c -- '--offline:')" = 2 ]
	run_zn 0 zn-diff --offline --json old.yaml old.yaml
	assert_equal "$(printf '%s\n' "$output" | tail -n 1 | jq .ops)" 0
}

@test "an offline declaration against the live schema changes no routine, view or extension" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.yaml" --scratch-url "$URL" \
	    -o live.graph
	run_zn 0 zn-diff --offline --json live.graph "$FIXTURES/full.yaml"
	# Expressions as written differ from the server's spelling (best
	# effort), but nothing of the kinds offline leaves out is touched.
	printf '%s\n' "$output" | jq -e -s '[.[] | select(.kind == "op") |
	    select(.op | test("Function|Procedure|View|Extension|Routine"))]
	    | length == 0' >/dev/null
	run_zn 0 zn-diff --offline --json "$FIXTURES/full.yaml" live.graph
	printf '%s\n' "$output" | jq -e -s '[.[] | select(.kind == "op") |
	    select(.op | test("Function|Procedure|View|Extension|Routine"))]
	    | length == 0' >/dev/null
}

@test "rename hints travel in an offline graph: a column renamed, not dropped" {
	printf 'schemas:\n  app:\n    tables:\n      t:\n        columns:\n          id: {type: int, primary_key: true}\n          email: text\n' >old.yaml
	printf 'schemas:\n  app:\n    tables:\n      t:\n        columns:\n          id: {type: int, primary_key: true}\n          mail: {type: text, renamed_from: email}\n' >new.yaml
	run_zn 0 zn-diff --offline --json old.yaml new.yaml
	assert_equal "$(printf '%s\n' "$output" | jq -r 'select(.kind == "op") |
	    "\(.op) \(.sql[0])"')" \
	    "renameColumn ALTER TABLE app.t RENAME COLUMN email TO mail"
}
