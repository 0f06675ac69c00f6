#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn down and zn-ledger resolve: the newest applied migrations taken
# down and applied again, what they parked brought back, a populated
# table parked rather than dropped, the refusals (a step with no
# reverse, a purged artifact, a migration not whole), and a failed
# migration resolved by hand as applied or as rolled back.

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
	printf 'schema: schema.sql\nmigrations: migrations\n' >zanith.yaml
}

# gen N NAME: the migration from the live database to schema.sql, as
# zn generate writes it, under the id 2026010N_000000_NAME.
gen() {
	local id="2026010$1_000000_$2" f
	run_zn 0 zn generate "$2"
	f=$(ls migrations/*_"$2".yaml)
	sed -e "s/^id: .*/id: \"$id\"/" -e "s/^# zanith migration .*/# zanith migration $id/" \
	    "$f" >"migrations/$id.yaml"
	[ "$f" = "migrations/$id.yaml" ] || rm "$f"
}

# three: three migrations generated and applied, the schema after each
# in s1.graph, s2.graph and s3.graph; b is filled after the second.
three() {
	echo 'CREATE TABLE a (id int PRIMARY KEY, x text);' >schema.sql
	gen 1 one
	run_zn 0 zn up
	zn-snapshot -o s1.graph
	cat >schema.sql <<-'SQL'
	CREATE TABLE a (id int PRIMARY KEY, x text, y int);
	CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, n text UNIQUE);
	SQL
	gen 2 two
	run_zn 0 zn up
	zn-snapshot -o s2.graph
	zn_sql -c "INSERT INTO a VALUES (1, 'x1', 2), (2, 'x2', 3); INSERT INTO b VALUES (1, 1, 'n1'), (2, 2, 'n2')"
	cat >schema.sql <<-'SQL'
	CREATE TABLE a (id int PRIMARY KEY, y int);
	CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, n text UNIQUE);
	CREATE INDEX b_a_id ON b (a_id);
	SQL
	gen 3 three
	run_zn 0 zn up
	zn-snapshot -o s3.graph
}

@test "zn down --steps 2 gives back the schema after the first migration, what the third parked restored and the populated table parked; zn up gives back the third; and again" {
	three
	run_zn 0 zn down --steps 2
	zn-snapshot -o d1.graph
	cmp s1.graph d1.graph
	# x, which the third parked, is back with its values.
	[ "$(ledger "SELECT string_agg(x, ',' ORDER BY id) FROM a")" = x1,x2 ]
	run_zn 1 zn status --exit-code
	assert_line "pending        20260102_000000_two"
	assert_line "pending        20260103_000000_three"
	assert_line "3 migrations: 1 applied, 2 pending"
	refute_line --partial drift
	run_zn 0 zn history
	assert_line --partial "↓ 20260103_000000_three"
	assert_line --partial "taken down"
	# b held rows: parked, not dropped, and listed to be restored.
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname LIKE '_zanith_dropped_b_%' AND relkind = 'r'")" = 1 ]
	run_zn 0 zn-artifact list --json --status parked
	[ "$(printf '%s\n' "$output" | jq -r 'select(.object == "public.b") | "\(.artifact_type) \(.rows)"')" = "soft_drop_table 2" ]

	# Up again: the same schema as after the third, even though b's
	# parked indexes once had the names the new b takes.
	run_zn 0 zn up
	zn-snapshot -o u3.graph
	cmp s3.graph u3.graph
	run_zn 0 zn status --exit-code
	assert_line "3 migrations: 3 applied"

	# The parked b comes back, under another name, rows and all.
	run_zn 0 zn-artifact restore-table public.b --as b_then
	[ "$(ledger "SELECT string_agg(n, ',' ORDER BY id) FROM b_then")" = n1,n2 ]
	# Restored under another name: on record still, not drift.
	run_zn 0 zn status --exit-code
	refute_line --partial drift

	# And down again, by --to.
	run_zn 0 zn down --to 20260101_000000_one
	zn-snapshot -o d2.graph
	cmp s1.graph d2.graph
	run_zn 0 zn up
	run_zn 0 zn down
	zn-snapshot -o d3.graph
	cmp s2.graph d3.graph
	run_zn 0 zn status
	assert_line "3 migrations: 2 applied, 1 pending"
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'down'")" = 5 ]
}

@test "zn down: a reverse that loses data is held by the gates; a step with no reverse, a purged artifact, a migration not whole, more than is applied: refused" {
	run_zn 1 zn-ledger down -o before.graph
	[[ "$stderr" == *"1 to take down, but 0 migrations are applied"* ]]
	three

	# Dropped, not parked: b holds rows, so the gates refuse its drop.
	# What the third parked is restored first (zn(7), Down), and stays.
	run_zn 1 zn down --steps 2 --drop-policy drop
	[[ "$stderr" == *"blocked"* ]]
	[ "$(ledger "SELECT count(*) FROM b")" = 2 ]
	[ "$(ledger "SELECT string_agg(x, ',' ORDER BY id) FROM a")" = x1,x2 ]
	run_zn 0 zn status --exit-code
	assert_line "3 migrations: 3 applied"
	refute_line --partial drift
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'down'")" = 0 ]
	zn-snapshot -o was.graph
	run_zn 1 zn down --steps 4
	[[ "$stderr" == *"4 to take down, but 3 migrations are applied"* ]]
	run_zn 1 zn down --to 20260109_000000_none
	[[ "$stderr" == *"--to 20260109_000000_none: no applied migration"* ]]

	# A purged artifact cannot come back: the migration that parked it
	# cannot be taken down.
	cat >schema.sql <<-'SQL'
	CREATE TABLE a (id int PRIMARY KEY, x text);
	CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, n text UNIQUE);
	CREATE INDEX b_a_id ON b (a_id);
	SQL
	gen 4 four
	run_zn 0 zn up
	run_zn 0 zn-artifact purge 20260104_000000_four::soft_drop_column::public.a.y
	run_zn 1 zn down
	[[ "$stderr" == *"migration 20260104_000000_four step 1 parked artifact 20260104_000000_four::soft_drop_column::public.a.y, which was purged: it cannot be taken down"* ]]

	# A step with no reverse.
	mig 20260105_000000_raw "CREATE TABLE public.r (id int)"
	run_zn 0 zn up
	run_zn 1 zn down
	[[ "$stderr" == *"migration 20260105_000000_raw step 1 (rawSql ) has no reverse: it cannot be taken down"* ]]

	# Not whole: resolve it first.
	mig 20260106_000000_bad "CREATE TABLE public.q (id int)" "SELECT 1/0"
	run_zn 1 zn up
	zn-snapshot -o was.graph
	run_zn 4 zn down
	[[ "$stderr" == *"migration 20260106_000000_bad is failed: resolve it first"* ]]
	zn-snapshot -o now.graph
	cmp was.graph now.graph
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'down'")" = 0 ]
	run_zn 64 zn-ledger down
	run_zn 64 zn-ledger down --steps 0 -o x
	run_zn 64 zn-ledger down --steps 1 --to x -o x
	run_zn 64 zn-apply --reverts 'a,,b' /dev/null
}

@test "zn-ledger resolve: a failed migration fixed by hand, recorded as applied or as rolled back with actor and reason; refusals" {
	mig 20260101_000000_bad "CREATE TABLE public.c (id int)" "SELECT 1/0"
	run_zn 1 zn up
	run_zn 0 zn status
	assert_line --partial "failed         20260101_000000_bad  at step 2"
	run_zn 64 zn-ledger resolve 20260101_000000_bad --applied
	run_zn 64 zn-ledger resolve 20260101_000000_bad --reason x
	run_zn 64 zn-ledger resolve 20260101_000000_bad --applied --rolled-back --reason x
	run_zn 2 zn-ledger resolve 20260109_000000_none --applied --reason x
	[[ "$stderr" == *"resolve 20260109_000000_none: no such migration in "*migrations* ]]

	# Undone by hand: pending again, its done step no longer counts.
	zn_sql -c "DROP TABLE public.c"
	run_zn 0 zn-ledger resolve 20260101_000000_bad --rolled-back --reason "dropped c by hand"
	assert_output "resolved 20260101_000000_bad as rolled-back"
	run_zn 1 zn status --exit-code
	assert_line "pending        20260101_000000_bad"
	run_zn 1 zn-ledger resolve 20260101_000000_bad --applied --reason x
	[[ "$stderr" == *"it is pending, not failed, interrupted or partly applied"* ]]

	# Fails again at step 2; finished by hand: applied, with the schema
	# as the fix left it kept as its after snapshot, so no drift.
	run_zn 1 zn up
	zn_sql -c "CREATE TABLE public.d (id int)"
	run_zn 0 zn-ledger resolve 20260101_000000_bad --applied --reason "ran step 2 myself"
	run_zn 0 zn status --exit-code
	assert_line --regexp '^applied        20260101_000000_bad  on '
	refute_line --partial drift
	run_zn 0 zn up
	assert_line --partial "0 steps applied"
	run_zn 0 zn history
	assert_line --partial "resolved applied: ran step 2 myself"
	assert_line --partial "resolved rolled-back: dropped c by hand"
	run_zn 0 zn history --json
	[ "$(printf '%s\n' "$output" | jq -r 'select(.state == "resolved applied") | "\(.by) \(.reason)"')" = "$(ledger "SELECT current_user") ran step 2 myself" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'resolve'")" = 2 ]
	run_zn 1 zn-ledger resolve 20260101_000000_bad --rolled-back --reason x
}

@test "zn-ledger resolve waits for the migration lock, then exit 3" {
	mig 20260101_000000_bad "SELECT 1/0"
	run_zn 1 zn up
	hold_lock
	run_zn 3 zn-ledger resolve --lock-wait 200ms 20260101_000000_bad --applied --reason x
	[[ "$stderr" == *"application_name 'holder'"* ]]
	ZN_LOCK_WAIT=300ms run_zn 3 zn-ledger resolve 20260101_000000_bad --applied --reason x
	[[ "$stderr" == *"waited 300 ms"* ]]
	free_lock
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'resolve'")" = 0 ]
}

@test "drift: a column or a table zn-artifact brings back is on record, not drift; a change by hand still is" {
	three
	run_zn 0 zn-artifact restore-column public.a.x
	run_zn 0 zn status --exit-code
	refute_line --partial drift
	zn_sql -c "ALTER TABLE a ADD COLUMN hand int"
	run_zn 4 zn status --exit-code
	assert_line "drift          addColumn public.a.hand"
	refute_line "drift          addColumn public.a.x"
}

@test "zn down: parked values changed since change the digest: the restore is refused and nothing is taken down; --ignore-checksum restores them" {
	local col
	three
	col=$(ledger "SELECT attname FROM pg_attribute WHERE attrelid = 'public.a'::regclass AND attname LIKE '_zanith_dropped_x_%'")
	zn_sql -c "UPDATE a SET $col = 'changed' WHERE id = 2"
	run_zn 1 zn down
	[[ "$stderr" == *"its rows changed since they were parked"* ]]
	run_zn 0 zn status
	assert_line "3 migrations: 3 applied"
	run_zn 0 zn -n down --ignore-checksum
	assert_output --partial "zn-artifact restore ID --ignore-checksum ..."
	run_zn 0 zn down --ignore-checksum
	[ "$(ledger "SELECT string_agg(x, ',' ORDER BY id) FROM a")" = x1,changed ]
	zn-snapshot -o d2.graph
	cmp s2.graph d2.graph
}

@test "zn down: migration ids with a space, a quote and a dollar go down and up again; one with a comma is refused before anything changes" {
	# rename N OLD NEW: migration file and id OLD as NEW.
	rename() {
		mv "migrations/$1.yaml" "migrations/$2.yaml"
		sed -i "s/^id: .*/id: \"$2\"/" "migrations/$2.yaml"
	}
	echo 'CREATE TABLE a (id int PRIMARY KEY);' >schema.sql
	gen 1 one
	rename 20260101_000000_one "20260101_000000_it's \$HOME a"
	run_zn 0 zn up
	zn-snapshot -o s1.graph
	echo 'CREATE TABLE a (id int PRIMARY KEY, b text);' >schema.sql
	gen 2 two
	rename 20260102_000000_two "20260102_000000_t w\$o 'x'"
	run_zn 0 zn up
	zn-snapshot -o s2.graph
	run_zn 0 zn down --steps 2
	run_zn 1 zn status --exit-code
	assert_line "pending        20260101_000000_it's \$HOME a"
	assert_line "pending        20260102_000000_t w\$o 'x'"
	run_zn 0 zn up
	run_zn 0 zn down --to "20260101_000000_it's \$HOME a"
	zn-snapshot -o d1.graph
	cmp s1.graph d1.graph
	run_zn 0 zn up
	echo 'CREATE TABLE a (id int PRIMARY KEY, b text, c int);' >schema.sql
	gen 3 three
	rename 20260103_000000_three "20260103_000000_t,hree"
	run_zn 0 zn up
	zn-snapshot -o s3.graph
	run_zn 1 zn down
	[[ "$stderr" == *"migration 20260103_000000_t,hree: an id with a comma or a line break cannot be taken down by zn down"* ]]
	run_zn 0 zn status
	assert_line "3 migrations: 3 applied"
	zn-snapshot -o now.graph
	cmp s3.graph now.graph
}

@test "zn down, zn-ledger down and resolve with the database down: exit 2, nothing written" {
	mig 20260101_000000_bad "SELECT 1/0"
	PGHOST=/nonexistent run_zn 2 zn down
	PGHOST=/nonexistent run_zn 2 zn-ledger down -o before.graph
	[ ! -e before.graph ]
	PGHOST=/nonexistent run_zn 2 zn-ledger resolve 20260101_000000_bad --applied --reason x
	run_zn 2 zn-ledger -d "dbname=no_such_db_$$" resolve 20260101_000000_bad --rolled-back --reason x
}

@test "zn down with the migration lock held: the restores wait --lock-wait too, then exit 3 naming the holder; nothing restored, nothing taken down" {
	three
	zn-snapshot -o before.graph
	hold_lock
	run_zn 3 zn down --lock-wait 300ms
	[[ "$stderr" == *"application_name 'holder'"* ]]
	# zanith.yaml's wait is the restores' too, and ZN_LOCK_WAIT.
	cp zanith.yaml zanith.was
	printf 'apply:\n  lock_wait: 300ms\n' >>zanith.yaml
	run_zn 3 zn down
	[[ "$stderr" == *"waited 300 ms"* ]]
	mv zanith.was zanith.yaml
	ZN_LOCK_WAIT=200ms run_zn 3 zn-artifact restore 1
	[[ "$stderr" == *"waited 200 ms"* ]]
	free_lock
	zn-snapshot -o after.graph
	cmp before.graph after.graph
	run_zn 0 zn status --exit-code
	assert_line "3 migrations: 3 applied"
	run_zn 0 zn-artifact list --json --status parked
	[ "$(printf '%s\n' "$output" | jq -r 'select(.object == "public.a.x") | .artifact_type')" = soft_drop_column ]
	run_zn 0 zn -n down --lock-wait 2s
	[[ "$output" == *"restore ID --lock-wait 2s"* ]]
	[[ "$output" == *"--reverts IDS --lock-wait 2s"* ]]
}

@test "zn down interrupted while a step waits for a table's lock: the step rolled back, the migration still applied, what was restored on record; zn down again finishes it" {
	three
	# Another session holds b, whose index the down drops.
	psql -X -q -c "SET application_name = 'blocker'" -c "BEGIN" -c "LOCK TABLE b IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	blocker=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.b'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	setsid sh -c 'exec zn down' >down.out 2>down.err &
	down=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name <> 'blocker' AND query LIKE 'DROP INDEX%b_a_id%')"
	kill -INT -- "-$down"
	rc=0
	wait "$down" || rc=$?
	[ "$rc" = 130 ] || fail "zn down: $rc: $(cat down.err)"
	grep -q 'interrupted: the current step was rolled back' down.err
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'blocker'" >/dev/null
	wait "$blocker" || true
	# x came back before the step; the third is still applied.
	[ "$(ledger "SELECT string_agg(x, ',' ORDER BY id) FROM a")" = x1,x2 ]
	run_zn 0 zn status --exit-code
	assert_line "3 migrations: 3 applied"
	refute_line --partial drift
	# Again: nothing left to restore, the rest applied.
	run_zn 0 zn down
	zn-snapshot -o d2.graph
	cmp s2.graph d2.graph
	run_zn 1 zn status --exit-code
	assert_line "3 migrations: 2 applied, 1 pending"
}
