#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-apply against a live PostgreSQL: the ledger, re-runs, crashes at
# every fault point, the migration lock, lock timeouts and their
# retries, integrity refusals, blocked plans and a ledger that cannot be
# written.

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
	FAULTY=$ZN_TEST_BUILD/test/zn-apply
}

# The six-step migration: transactional steps and a CONCURRENTLY one.
six() {
	cat >migrations/20260101_000001_six.yaml <<-'YAML'
	ops:
	  - op: createTable
	    sql: ["CREATE TABLE public.acct (id bigint PRIMARY KEY, email text)"]
	  - op: rawSql
	    sql: ["INSERT INTO public.acct SELECT g, 'u' || g FROM generate_series(1, 100) g"]
	  - op: addColumn
	    sql: ["ALTER TABLE public.acct ADD COLUMN plan text DEFAULT 'free'"]
	  - op: addIndex
	    transactional: false
	    sql: ["CREATE UNIQUE INDEX CONCURRENTLY acct_email ON public.acct (email)"]
	  - op: addCheck
	    sql: ["ALTER TABLE public.acct ADD CONSTRAINT acct_plan CHECK (plan <> '') NOT VALID",
	          "ALTER TABLE public.acct VALIDATE CONSTRAINT acct_plan"]
	  - op: createTable
	    sql: ["CREATE TABLE public.acct_log (id bigint PRIMARY KEY, acct_id bigint REFERENCES public.acct)"]
	YAML
}

# The first statement of step $1 of six's migration.
firststmt() {
	zn-diff --read migrations/20260101_000001_six.yaml |
	    jq -r --argjson n "$1" 'select(.kind == "op" and .step == $n) | .sql[0]'
}

# How many times the server log $1 shows statement $2 run.
stmtcount() {
	awk -v s="$2" 'index($0, "LOG:  statement: ") &&
	    substr($0, index($0, "LOG:  statement: ") + 17) == s { n++ }
	    END { print n + 0 }' "$1"
}

# The schema as a graph body (no header or trailer: no timestamps).
schema_of() {
	zn-snapshot -d "$1" | sed '1d;$d'
}

@test "applies each step once, records it, and skips it on a re-run" {
	six
	run_zn 0 zn-apply migrations
	assert_line --partial "✓ 20260101_000001_six 01 createTable"
	assert_line --partial "6 steps applied, 0 already applied"
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")" = 6 ]
	[ "$(ledger "SELECT id || ' ' || steps FROM _zanith_migrations")" = "20260101_000001_six 6" ]
	[ "$(ledger "SELECT string_agg(which, ',' ORDER BY id) FROM _zanith_schema_snapshots")" = before,after ]
	[ "$(ledger "SELECT value FROM _zanith_ledger WHERE key = 'version'")" = 2 ]
	run_zn 0 zn-apply migrations
	assert_line --partial "↻ 20260101_000001_six 06 createTable"
	assert_line --partial "0 steps applied, 6 already applied"
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps")" = 6 ]
	[ "$(ledger "SELECT count(*) FROM public.acct")" = 100 ]
	# The event log is append-only.
	run psql -X -c "DELETE FROM _zanith_events"
	assert_output --partial "append-only"
}

# The newest snapshot $1 ('before' or 'after') in the ledger, as md5.
stored() {
	ledger "SELECT md5(graph) FROM _zanith_schema_snapshots WHERE which = '$1' ORDER BY id DESC LIMIT 1"
}

@test "the snapshots it keeps are the schema's graph byte for byte, whatever text it holds, wherever TMPDIR is" {
	t=$'public."odd\\name\ttab"'
	mig 20260101_000001_odd "CREATE TABLE $t (id int, \"new"$'\n'"line\" text)" \
	    "COMMENT ON TABLE $t IS "$'\'back\\slash\ttab\nline\rreturn\\\\n\''
	# Kept on disk while taken: the file is gone once the run is over.
	mkdir "$BATS_TEST_TMPDIR/tmp"
	TMPDIR=$BATS_TEST_TMPDIR/tmp run_zn 0 zn-apply migrations
	[ "$(stored after)" = "$(zn-snapshot | md5sum | cut -d' ' -f1)" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
	# The hash stored beside it is the graph's own.
	[ "$(ledger "SELECT hash FROM _zanith_schema_snapshots WHERE which = 'after'")" = "$(zn-snapshot | head -n 1 | jq -r .hash)" ]
	# No temporary file to be had: kept in memory, the same text.
	: >"$BATS_TEST_TMPDIR/notadir"
	mig 20260101_000002_more "COMMENT ON COLUMN $t.id IS "$'\'a\\\\b\tc\''
	TMPDIR=$BATS_TEST_TMPDIR/notadir run_zn 0 zn-apply migrations
	[ "$(stored after)" = "$(zn-snapshot | md5sum | cut -d' ' -f1)" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_schema_snapshots")" = 4 ]
	zn-snapshot | grep -F '"comment":"back\\slash\ttab\nline\rreturn\\\\n"'
}

@test "a temporary file that cannot grow while the schema is read: exit 2 naming its directory, nothing of the migration run" {
	for i in $(seq 1 30); do
		zn_sql -c "CREATE TABLE public.big$i (id int PRIMARY KEY, note text)" \
		    -c "COMMENT ON TABLE public.big$i IS 'a comment to make the graph longer than a few blocks'" >/dev/null
	done
	mig 20260101_000001_a "CREATE TABLE public.a (id int)"
	mkdir "$BATS_TEST_TMPDIR/tmp"
	# Files of at most one block (512 bytes in sh, 1,024 in bash):
	# writes past it fail with EFBIG, SIGXFSZ being ignored.
	run_zn 2 env TMPDIR="$BATS_TEST_TMPDIR/tmp" sh -c 'trap "" XFSZ; ulimit -f 1; exec zn-apply migrations'
	[[ "$stderr" == *"cannot keep the schema graph in a temporary file in $BATS_TEST_TMPDIR/tmp: File too large"* ]]
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL")" = t ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps")" = 0 ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
	TMPDIR=$BATS_TEST_TMPDIR/tmp run_zn 0 zn-apply migrations
	assert_line --partial "1 step applied, 0 already applied"
}

# snapshots_broken SQL...: one migration applied, then SQL run in the
# ledger's database (to break its snapshot table), then migration b.
snapshots_broken() {
	local s
	mig 20260101_000001_a "CREATE TABLE public.a (id int)"
	run_zn 0 zn-apply migrations
	for s in "$@"; do
		ledger "$s" >/dev/null
	done
	mig 20260101_000002_b "CREATE TABLE public.b (id int)"
}

@test "a snapshot the ledger refuses is said, and the run goes on on the same session" {
	snapshots_broken "CREATE FUNCTION public.nosnap() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'no snapshots today'; END\$\$" \
	    "CREATE TRIGGER nosnap BEFORE INSERT ON _zanith_schema_snapshots FOR EACH ROW EXECUTE FUNCTION public.nosnap()"
	mig 20260101_000003_c "CREATE TABLE public.c (id int)"
	run_zn 0 zn-apply migrations
	[[ $stderr == *"cannot store the before snapshot of 20260101_000002_b: ERROR:  no snapshots today"* ]]
	[[ $stderr == *"cannot store the after snapshot of 20260101_000003_c: ERROR:  no snapshots today"* ]]
	assert_line --partial "2 steps applied, 1 already applied"
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations")" = 3 ]
	[ "$(ledger "SELECT count(*) FROM _zanith_schema_snapshots")" = 2 ]
	[ "$(ledger "SELECT count(*) FROM pg_tables WHERE tablename IN ('b', 'c')")" = 2 ]
}

@test "a snapshot table the COPY cannot write to at all: said, and the run goes on" {
	snapshots_broken "ALTER TABLE _zanith_schema_snapshots RENAME COLUMN graph TO graph_text"
	run_zn 0 zn-apply migrations
	[[ $stderr == *"cannot store the before snapshot of 20260101_000002_b: ERROR:  column \"graph\" of relation \"_zanith_schema_snapshots\" does not exist"* ]]
	[[ $stderr == *"cannot store the after snapshot of 20260101_000002_b"* ]]
	assert_line --partial "1 step applied, 1 already applied"
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations")" = 2 ]
}

@test "a step's row commits with the step before it and its BEGIN goes in the same round trip: one commit a step" {
	mig 20260101_000001_three "CREATE TABLE public.a (id int)" \
	    "CREATE TABLE public.b (id int)" "CREATE TABLE public.c (id int)"
	ledger "ALTER DATABASE \"$PGDATABASE\" SET log_statement = 'all'" >/dev/null
	off=$(wc -c <"$ZN_TEST_PGTMP_DIR/server.log")
	run_zn 0 zn-apply migrations
	ledger "ALTER DATABASE \"$PGDATABASE\" RESET log_statement" >/dev/null
	# B the row written, E its outcome, T BEGIN, C COMMIT, a b c the steps.
	run bash -c "tail -c +$((off + 1)) '$ZN_TEST_PGTMP_DIR/server.log' | awk '
	    /LOG:  execute zn_attempt_begin:/ { printf \"B \" }
	    /LOG:  execute zn_attempt_end:/ { printf \"E \" }
	    /LOG:  (statement|execute <unnamed>): BEGIN\$/ { printf \"T \" }
	    /LOG:  (statement|execute <unnamed>): COMMIT\$/ { printf \"C \" }
	    /LOG:  statement: CREATE TABLE public.[abc] / { printf \"%s \", substr(\$0, index(\$0, \"public.\") + 7, 1) }'"
	assert_output --partial "B T a E B C T b E B C T c E "
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "1:done 2:done 3:done" ]
}

@test "a signal after a step's COMMIT: the step begun with it is rolled back and said not to have begun; a re-run applies it" {
	mig 20260101_000001_three "CREATE TABLE public.a (id int)" \
	    "CREATE TABLE public.b (id int)" "CREATE TABLE public.c (id int)"
	run env ZN_FAULT=step:1:after_commit:term "$FAULTY" migrations
	[ "$status" -eq 130 ] || { echo "# status $status: $output" >&2; false; }
	[ "$(ledger "SELECT string_agg(step || ':' || status || ':' || coalesce(note, ''), ' ' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "1:done: 2:interrupted:stopped by a signal before it began" ]
	[ "$(ledger "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")" = 0 ]
	[ "$(ledger "SELECT to_regclass('public.b') IS NULL")" = t ]
	run_zn 0 zn-apply migrations
	assert_line --partial "2 steps applied, 1 already applied"
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "1:done 2:interrupted 2:done 3:done" ]
}

@test "--dry-run prints the steps and writes nothing, not even the ledger" {
	six
	run_zn 0 zn-apply --dry-run migrations
	assert_line --partial "· 20260101_000001_six 04 addIndex"
	assert_output --partial "CREATE UNIQUE INDEX CONCURRENTLY acct_email"
	assert_line --partial "dry run: 6 steps would run"
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname LIKE '_zanith%'")" = 0 ]
	[ "$(ledger "SELECT to_regclass('public.acct') IS NULL")" = t ]
}

@test "killed at every fault point of every step, a re-run ends where an uninterrupted run does" {
	six
	clean=${ZN_TEST_DB}_clean
	psql -X -q -d postgres -c "CREATE DATABASE \"$clean\""
	run_zn 0 zn-apply -d "$clean" migrations
	want=$(schema_of "$clean")
	# Each step's first statement, as the server log shows it.
	local -a first=() facts
	local tries_q=
	for j in 1 2 3 4 5 6; do
		first[j]=$(firststmt "$j")
		tries_q+=", (SELECT count(*) FROM _zanith_migration_steps WHERE step = $j)"
	done
	n=0
	for point in before_exec after_exec after_commit during before_unlock; do
		for k in 1 2 3 4 5 6; do
			case $point in
			during) [ "$k" = 4 ] || continue ;;
			before_unlock) [ "$k" = 1 ] || continue ;;
			esac
			db=${ZN_TEST_DB}_f$n
			n=$((n + 1))
			psql -X -q -d postgres -c "CREATE DATABASE \"$db\"" \
			    -c "ALTER DATABASE \"$db\" SET log_statement = 'all'"
			off=$(wc -c <"$ZN_TEST_PGTMP_DIR/server.log")
			if [ "$point" = before_unlock ]; then
				f=before_unlock
			else
				f=step:$k:$point
			fi
			run env ZN_FAULT="$f" "$FAULTY" -d "$db" migrations
			[ "$status" -eq 137 ] || { echo "# $f: status $status" >&2; false; }
			# The backend of a killed run may still be finishing.
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				run_zn '?' zn-apply -d "$db" --lock-wait 3s migrations
				[ "$status" -ne 3 ] && break
			done
			[ "$status" -eq 0 ] || { echo "# $f: rerun status $status: $stderr" >&2; false; }
			got=$(schema_of "$db")
			[ "$got" = "$want" ] || { echo "# $f: schema differs" >&2; false; }
			# No step is done twice; the killed attempt is on record.
			# One query: steps done more than once, distinct steps
			# done, rows, then each step's attempts on record.
			read -r -a facts <<<"$(psql -X -A -t -F ' ' -d "$db" -c "
			    SELECT (SELECT count(*) FROM (SELECT step FROM _zanith_migration_steps WHERE status = 'done' GROUP BY step HAVING count(*) > 1) x),
			           (SELECT count(DISTINCT step) FROM _zanith_migration_steps WHERE status = 'done'),
			           (SELECT count(*) FROM public.acct)$tries_q")"
			[ "${facts[0]}" = 0 ]
			[ "${facts[1]}" = 6 ]
			[ "${facts[2]}" = 100 ]
			# The server's statement log agrees: each step's SQL
			# reached the server once per attempt on record (less
			# the attempt killed before it sent anything), so a
			# committed step never ran again.
			tail -c +$((off + 1)) "$ZN_TEST_PGTMP_DIR/server.log" >"stmt$n.log"
			for j in 1 2 3 4 5 6; do
				sent=$(stmtcount "stmt$n.log" "${first[j]}")
				tries=${facts[j + 2]}
				[ "$point" = before_exec ] && [ "$j" = "$k" ] && tries=$((tries - 1))
				# Killed after step k's COMMIT, the step after it
				# had begun with it (both in a transaction):
				# its row is there, nothing of it sent.
				if [ "$point" = after_commit ] && [ "$j" = $((k + 1)) ]; then
					case $k in 1 | 2 | 5) tries=$((tries - 1)) ;; esac
				fi
				[ "$sent" -eq "$tries" ] ||
				    { echo "# $f: step $j sent $sent times, $tries attempts on record" >&2; false; }
				if [ "$j" != "$k" ] || [ "$point" = after_commit ] ||
				    [ "$point" = before_exec ] || [ "$point" = before_unlock ]; then
					[ "$sent" -eq 1 ] ||
					    { echo "# $f: step $j ran $sent times" >&2; false; }
				fi
			done
			# The killed attempt is on record: interrupted, or, for
			# the index built outside a transaction, reconciled as
			# done by the re-run's probe when the build had finished.
			if [ "$k" = 4 ] && { [ "$point" = after_exec ] || [ "$point" = during ]; }; then
				[ "$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM _zanith_migration_steps WHERE step = 4 AND (status = 'interrupted' OR note LIKE 'reconciled%')")" = 1 ] ||
				    { echo "# $f: not reconciled" >&2; false; }
			elif [ "$point" = before_exec ] || [ "$point" = after_exec ] || [ "$point" = during ]; then
				[ "$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM _zanith_migration_steps WHERE step = $k AND status = 'interrupted'")" = 1 ] ||
				    { echo "# $f: no interrupted attempt" >&2; false; }
			elif [ "$point" = after_commit ]; then
				case $k in
				1 | 2 | 5) want_int=1 ;;
				*) want_int=0 ;;
				esac
				[ "$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM _zanith_migration_steps WHERE step = $((k + 1)) AND status = 'interrupted'")" = "$want_int" ] ||
				    { echo "# $f: step $((k + 1)) begun with it not settled" >&2; false; }
			fi
		done
	done
	[ "$n" -eq 20 ]
}

@test "a run that finds the lock held waits --lock-wait, then exits 3 naming the holder" {
	six
	run_zn 0 zn-apply migrations
	hold_lock
	start=$(date +%s)
	run_zn 3 zn-apply --lock-wait 1s migrations
	end=$(date +%s)
	# It gave up after its wait, not when the holder ended.
	[ $((end - start)) -lt 60 ]
	assert_equal "$output" ""
	[[ "$stderr" == *"application_name 'holder'"* ]]
	[[ "$stderr" == *"pg_sleep"* ]]
	free_lock
	# Then it gets the lock and finds nothing pending.
	run_zn 0 zn-apply --lock-wait 10s migrations
	assert_line --partial "0 steps applied, 6 already applied"
}

@test "two runs at once: one applies, the other waits and finds nothing to do" {
	# The first run stops at a gate the test opens (a step that polls a
	# table), so it holds the migration lock for as long as the test
	# needs, however slowly either run goes.
	zn_sql -c "CREATE TABLE public.gate (open bool)"
	cat >migrations/20260101_000001_slow.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["CREATE TABLE public.s (id int)"]
	  - op: rawSql
	    sql: ["DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM public.gate) LOOP PERFORM pg_sleep(0.05); END LOOP; END $$"]
	  - op: addIndex
	    transactional: false
	    sql: ["CREATE INDEX CONCURRENTLY s_id ON public.s (id)"]
	YAML
	zn-apply migrations >a.out 2>a.err &
	a=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE 'DO \$\$%gate%' AND state = 'active')"
	run_zn 3 zn-apply --lock-wait 500ms migrations
	[[ "$stderr" == *"is held by pid"* ]]
	[[ "$stderr" == *"zn-apply"* ]]
	# A waiter polling for the lock does not deadlock the index build:
	# it waits while the first run goes on through CREATE INDEX
	# CONCURRENTLY, which waits for older snapshots.
	zn-apply --lock-wait 60s migrations >c.out 2>c.err &
	c=$!
	zn_wait_sql "SELECT count(DISTINCT pid) >= 2 FROM pg_stat_activity WHERE application_name = 'zn-apply'"
	zn_sql -c "INSERT INTO public.gate VALUES (true)"
	wait "$a"
	grep -q "3 steps applied" a.out
	wait "$c" || fail "the waiter failed: $(cat c.err)"
	grep -q "0 steps applied, 3 already applied" c.out ||
	    fail "the waiter: $(cat c.out c.err)"
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")" = 3 ]
}

@test "a step behind another session's lock fails fast, retries, and goes through when it ends" {
	zn_sql -c "CREATE TABLE public.busy (id int)"
	cat >migrations/20260101_000001_b.yaml <<-'YAML'
	ops:
	  - op: addColumn
	    sql: ["ALTER TABLE public.busy ADD COLUMN x int"]
	YAML
	# The reader holds its lock until a retry is on record.
	psql -X -q -c "SET application_name = 'reader'" -c "BEGIN" -c "SELECT * FROM public.busy" -c "SELECT pg_sleep(600)" -c "COMMIT" >/dev/null 2>&1 &
	reader=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessShareLock' AND granted)"
	zn-apply --lock-timeout 200ms --retries 50 migrations >apply.out 2>apply.err &
	applier=$!
	zn_wait_sql "SELECT count(*) >= 1 FROM _zanith_migration_steps WHERE status = 'retried'" 120
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reader'" >/dev/null
	wait "$reader" || true
	wait "$applier" || fail "zn-apply failed: $(cat apply.err)"
	stderr=$(cat apply.err)
	[[ "$stderr" == *"lock timeout"* ]]
	[[ "$stderr" == *'"application_name" : "reader"'* ]]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'retried' AND sqlstate = '55P03'")" -ge 1 ]
	[ "$(ledger "SELECT status FROM _zanith_migration_steps ORDER BY attempt_id DESC LIMIT 1")" = done ]
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'x'")" = 1 ]
}

@test "behind a lock that is never let go, the step fails naming the blockers and is recorded failed" {
	zn_sql -c "CREATE TABLE public.busy (id int)"
	cat >migrations/20260101_000001_b.yaml <<-'YAML'
	ops:
	  - op: addColumn
	    sql: ["ALTER TABLE public.busy ADD COLUMN x int"]
	YAML
	psql -X -q -c "SET application_name = 'forever'" -c "BEGIN" -c "SELECT * FROM public.busy" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	reader=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessShareLock' AND granted)"
	run_zn 1 zn-apply --lock-timeout 200ms --retries 2 migrations
	assert_line --partial "✗ 20260101_000001_b 01 addColumn"
	[[ "$stderr" == *"failed and was rolled back"* ]]
	[[ "$stderr" == *'"application_name" : "forever"'* ]]
	[ "$(ledger "SELECT status || ' ' || sqlstate FROM _zanith_migration_steps ORDER BY attempt_id DESC LIMIT 1")" = "failed 55P03" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'retried'")" = 2 ]
	[ "$(ledger "SELECT blockers::text LIKE '%forever%' FROM _zanith_migration_steps ORDER BY attempt_id DESC LIMIT 1")" = t ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations")" = 0 ]
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'forever'"
	wait "$reader" || true
}

# busy, and a view on it: the server renders a view's query, and locks
# the relations it reads to do so, where zn-snapshot writes busy's check
# itself and opens no table.
busy='CREATE TABLE public.busy (id int PRIMARY KEY CHECK (id > 0));
CREATE VIEW public.busy_ids AS SELECT id FROM public.busy'

@test "behind a DDL statement in flight, the schema reads before a migration wait --lock-wait, then exit 3 with nothing run" {
	zn_sql -c "$busy"
	cat >migrations/20260101_000001_o.yaml <<-'YAML'
	ops:
	  - op: createTable
	    sql: ["CREATE TABLE public.other (id int)"]
	YAML
	# A plan made by zn-diff, whose from_hash is read first.
	want=${ZN_TEST_DB}_want
	psql -X -q -d postgres -c "CREATE DATABASE \"$want\""
	psql -X -q -d "$want" -c "$busy" -c "CREATE TABLE public.planned (id int)"
	zn-snapshot -d "$ZN_TEST_DB" >a.graph
	zn-snapshot -d "$want" >b.graph
	run_zn 0 zn-diff --json a.graph b.graph
	printf '%s\n' "$output" >plan.jsonl
	# Another session alters busy and holds its lock until the test
	# cancels it: pg_get_viewdef, rendering busy_ids, waits.
	psql -X -q -c "SET application_name = 'ddl'" -c "BEGIN" -c "ALTER TABLE public.busy ADD COLUMN y int" -c "SELECT pg_sleep(600)" -c "ROLLBACK" >/dev/null 2>&1 &
	ddl=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	for input in migrations plan.jsonl; do
		start=$(date +%s)
		run_zn 3 zn-apply --lock-wait 1s "$input"
		end=$(date +%s)
		# It gave up after its wait, not when the holder ended.
		[ $((end - start)) -lt 60 ]
		[[ "$stderr" == *"lock timeout (SQLSTATE 55P03)"* ]]
		[[ "$stderr" == *"waited 1000 ms (--lock-wait)"* ]]
	done
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM _zanith_schema_snapshots")" = 0 ]
	[ "$(ledger "SELECT to_regclass('public.other') IS NULL AND to_regclass('public.planned') IS NULL")" = t ]
	# When that session is done, both go through (the plan's id sorts
	# after the file's, hence --allow-out-of-order).  Its sleep is
	# cancelled; it then rolls back.
	psql -X -q -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'ddl'" >/dev/null
	wait "$ddl" || true
	run_zn 0 zn-apply --lock-wait 1s plan.jsonl
	assert_line --partial "1 step applied"
	run_zn 0 zn-apply --lock-wait 1s --allow-out-of-order migrations
	assert_line --partial "1 step applied"
	[ "$(ledger "SELECT count(*) FROM _zanith_schema_snapshots")" = 4 ]
}

@test "the schema read after a migration waits behind a DDL statement as long as it takes" {
	zn_sql -c "$busy"
	cat >migrations/20260101_000001_s.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["SELECT pg_sleep(3)"]
	YAML
	zn-apply --lock-wait 1s migrations >a.out 2>a.err &
	apply=$!
	# Once the step runs, the before read is done; the blocker comes
	# during the step (about 3 s) and stays 5 s.  Were the after read
	# bounded, or the before read's lock_timeout left on the session,
	# the run would exit 3 about 1 s after the step, before the blocker
	# ends.
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-apply' AND query LIKE '%pg_sleep(3)%' AND state = 'active')"
	t0=$(date +%s%N)
	psql -X -q -c "BEGIN" -c "ALTER TABLE public.busy ADD COLUMN y int" -c "SELECT pg_sleep(5)" -c "ROLLBACK" >/dev/null &
	ddl=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	kill -0 "$apply" 2>/dev/null || fail "zn-apply ended before the blocker came"
	status=0
	wait "$apply" || status=$?
	t1=$(date +%s%N)
	wait "$ddl"
	cat a.err >&2
	[ "$status" -eq 0 ]
	grep -q "1 step applied" a.out
	[ "$(ledger "SELECT count(*) FROM _zanith_schema_snapshots WHERE which = 'after'")" = 1 ]
	# It waited for the blocker's end, 5 s or more after it began.
	[ $(((t1 - t0) / 1000000)) -ge 5000 ]
}

@test "an applied file that changed is exit 4 naming the file, the step and both digests" {
	six
	run_zn 0 zn-apply migrations
	sed -i 's/generate_series(1, 100)/generate_series(1, 200)/' migrations/20260101_000001_six.yaml
	run_zn 4 zn-apply migrations
	[[ "$stderr" == *"migration 20260101_000001_six (20260101_000001_six.yaml) changed after it was applied"* ]]
	[[ "$stderr" == *"step 2 (rawSql): its SQL sums to sha256:"*", applied as sha256:"* ]]
	[ "$(ledger "SELECT count(*) FROM public.acct")" = 100 ]
}

@test "an out-of-order migration is refused, and applied with --allow-out-of-order" {
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.b (id int)"]\n' >migrations/20260102_000000_b.yaml
	run_zn 0 zn-apply migrations
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.a (id int)"]\n' >migrations/20260101_000000_a.yaml
	run_zn 4 zn-apply migrations
	[[ "$stderr" == *"out of order"*"20260101_000000_a"* ]]
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL")" = t ]
	run_zn 0 zn-apply --allow-out-of-order migrations
	[ "$(ledger "SELECT out_of_order FROM _zanith_migrations WHERE id = '20260101_000000_a'")" = t ]
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'out_of_order'")" = 1 ]
}

@test "a plan made for another schema is exit 4; a truncated one is exit 65 with nothing run" {
	zn_sql -c "CREATE TABLE public.t (id int)"
	want=${ZN_TEST_DB}_want
	psql -X -q -d postgres -c "CREATE DATABASE \"$want\""
	psql -X -q -d "$want" -c "CREATE TABLE public.t (id int, v text)"
	zn-snapshot -d "$ZN_TEST_DB" >a.graph
	zn-snapshot -d "$want" >b.graph
	run_zn 0 zn-diff --json a.graph b.graph
	printf '%s\n' "$output" >plan.jsonl
	head -n 2 plan.jsonl >cut.jsonl
	run_zn 65 zn-apply cut.jsonl
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname LIKE '_zanith%'")" = 0 ]
	zn_sql -c "ALTER TABLE public.t ADD COLUMN w int"
	run_zn 4 zn-apply plan.jsonl
	[[ "$stderr" == *"it changed since"* ]]
	zn_sql -c "ALTER TABLE public.t DROP COLUMN w"
	run_zn 0 zn-apply plan.jsonl
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'v'")" = 1 ]
}

@test "a blocked plan is refused: a refused step on record with the gate, exit 1, nothing run" {
	zn_sql -c "CREATE TABLE public.t (id int, a int)"
	printf 'ops:\n  - op: rawSql\n    sql: ["SET lock_timeout = '"'5s'"'", "ALTER TABLE public.t DROP COLUMN a"]\n' >migrations/20260101_000000_d.yaml
	run_zn 1 zn-classify --max-risk 35 migrations
	printf '%s\n' "$output" >blocked.jsonl
	run_zn 1 zn-apply blocked.jsonl
	[[ "$stderr" == *"the plan is blocked"* ]]
	[ "$(ledger "SELECT string_agg(status || ' ' || gate, ',' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "refused max_risk,refused allow_destructive" ]
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'a'")" = 1 ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations")" = 0 ]
}

@test "when the ledger cannot record a step, its DDL rolls back with it" {
	# The grants this test needs are privileges, which the graph does
	# not model: consent, so that zn-apply goes on beside them.
	export ZN_ALLOW_UNMODELLED=1
	zn_sql -c "CREATE ROLE app LOGIN" -c "GRANT CREATE ON SCHEMA public TO app"
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.x0 (id int)"]\n' >migrations/20260101_000000_a.yaml
	run_zn 0 zn-apply migrations
	zn_sql -c "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO app" \
	    -c "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app"
	# Two steps: the first's outcome goes with its COMMIT (one round
	# trip), the last's before the migration's row.
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.x1 (id int)"]\n  - op: rawSql\n    sql: ["CREATE TABLE public.x2 (id int)"]\n' >migrations/20260102_000000_b.yaml
	# The running row goes in; turning it done needs UPDATE, revoked.
	PGUSER=app run_zn 1 zn-apply migrations
	[[ "$stderr" == *"permission denied"* ]]
	[ "$(ledger "SELECT to_regclass('public.x1') IS NULL")" = t ]
	[ "$(ledger "SELECT status FROM _zanith_migration_steps WHERE migration_id = '20260102_000000_b' ORDER BY attempt_id")" = running ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE migration_id = '20260102_000000_b' AND status = 'done'")" = 0 ]
	# Without INSERT either, nothing starts.
	zn_sql -c "REVOKE INSERT ON _zanith_migration_steps FROM app"
	PGUSER=app run_zn 2 zn-apply migrations
	[[ "$stderr" == *"nothing of it ran"* ]]
	[ "$(ledger "SELECT to_regclass('public.x1') IS NULL")" = t ]
	run_zn 0 zn-apply migrations
	[ "$(ledger "SELECT to_regclass('public.x1') IS NOT NULL")" = t ]
}

@test "SIGTERM during a step rolls it back, releases the lock and exits 130" {
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.z (id int)", "SELECT pg_sleep(30)"]\n' >migrations/20260101_000000_z.yaml
	zn-apply migrations >z.out 2>z.err &
	pid=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-apply' AND query LIKE '%pg_sleep(30)%' AND state = 'active')"
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ]
	grep -q "interrupted" z.err
	[ "$(ledger "SELECT to_regclass('public.z') IS NULL")" = t ]
	[ "$(ledger "SELECT status FROM _zanith_migration_steps ORDER BY attempt_id DESC LIMIT 1")" = interrupted ]
	# The lock is free.
	run_zn 0 zn-apply --dry-run migrations
	[ "$(ledger "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0 ]
}

@test "a unique index that fails on duplicates leaves nothing behind the re-run trips on" {
	zn_sql -c "CREATE TABLE public.u (id int, e text)" -c "INSERT INTO public.u VALUES (1, 'a'), (2, 'a')"
	cat >migrations/20260101_000000_u.yaml <<-'YAML'
	ops:
	  - op: addIndex
	    transactional: false
	    sql: ["CREATE UNIQUE INDEX CONCURRENTLY u_e ON public.u (e)"]
	YAML
	run_zn 1 zn-apply migrations
	[[ "$stderr" == *"could not create unique index"* ]]
	[ "$(ledger "SELECT status || ' ' || sqlstate FROM _zanith_migration_steps")" = "failed 23505" ]
	# The failed build left an invalid index; the next run drops it first.
	[ "$(ledger "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.u_e'::regclass")" = f ]
	zn_sql -c "UPDATE public.u SET e = 'b' WHERE id = 2"
	run_zn 0 zn-apply migrations
	[[ "$stderr" == *"dropped the invalid index public.u_e"* ]]
	[ "$(ledger "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.u_e'::regclass")" = t ]
}

@test "--atomic: a migration commits whole or not at all" {
	cat >migrations/20260101_000000_a.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["CREATE TABLE public.a1 (id int)"]
	  - op: rawSql
	    sql: ["CREATE TABLE public.a2 (id int)"]
	  - op: rawSql
	    sql: ["INSERT INTO public.nosuch VALUES (1)"]
	YAML
	run_zn 1 zn-apply --atomic migrations
	[ "$(ledger "SELECT to_regclass('public.a1') IS NULL")" = t ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")" = 0 ]
	[ "$(ledger "SELECT step || ' ' || sqlstate || ' ' || note FROM _zanith_migration_steps WHERE status = 'failed'")" = "3 42P01 --atomic: the migration rolled back whole" ]
	run_zn 0 zn-ledger status migrations
	assert_line --partial 'failed         20260101_000000_a  at step 3: 42P01: ERROR:  relation "public.nosuch" does not exist'
	run_zn 64 zn-apply --atomic --steps 1 migrations
	sed -i 's/INSERT INTO public.nosuch VALUES (1)/CREATE TABLE public.a3 (id int)/' migrations/20260101_000000_a.yaml
	run_zn 0 zn-apply --atomic migrations
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")" = 3 ]
	[ "$(ledger "SELECT id FROM _zanith_migrations")" = 20260101_000000_a ]
}

@test "--atomic: every step's row written with the COMMIT, in order, its times as the steps ran (300 steps, more than one round trip of rows)" {
	{
		echo "ops:"
		for i in $(seq 1 300); do
			printf '  - op: rawSql\n    sql: ["CREATE TABLE public.t%d (id int)"]\n' "$i"
		done
		printf '  - op: rawSql\n    sql: ["SELECT pg_catalog.pg_sleep(0.05)"]\n'
	} >migrations/20260101_000000_many.yaml
	run_zn 0 zn-apply --atomic migrations
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")" = 301 ]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname ~ '^t[0-9]+\$' AND relkind = 'r'")" = 300 ]
	# One row a step, by step, each started before it finished and
	# after the one before it started; the last one took its 50 ms.
	[ "$(ledger "SELECT count(DISTINCT step) FROM _zanith_migration_steps")" = 301 ]
	[ "$(ledger "SELECT count(*) FROM (SELECT started_at, finished_at, elapsed_ms, lag(started_at) OVER (ORDER BY step) AS prev FROM _zanith_migration_steps) s WHERE finished_at < started_at OR started_at < prev OR elapsed_ms < 0")" = 0 ]
	[ "$(ledger "SELECT elapsed_ms >= 45 AND finished_at - started_at >= interval '45 ms' FROM _zanith_migration_steps WHERE step = 301")" = t ]
	[ "$(ledger "SELECT sql FROM _zanith_migration_steps WHERE step = 7")" = "CREATE TABLE public.t7 (id int);" ]
}

@test "--atomic: steps are sent ahead in one pipeline; one that fails halfway is named with its own error, the rest never run" {
	# 40 steps (more than are sent ahead at once); step 5 is two
	# statements (sent alone, in the simple protocol), step 35 fails.
	{
		echo "ops:"
		for i in $(seq 1 40); do
			case $i in
			5) printf '  - op: rawSql\n    sql: ["CREATE TABLE public.m1 (id int); CREATE TABLE public.m2 (id int)"]\n' ;;
			35) printf '  - op: rawSql\n    sql: ["INSERT INTO public.nosuch VALUES (1)"]\n' ;;
			*) printf '  - op: rawSql\n    sql: ["CREATE TABLE public.t%d (id int)"]\n' "$i" ;;
			esac
		done
	} >migrations/20260101_000000_p.yaml
	ledger "ALTER DATABASE \"$PGDATABASE\" SET log_statement = 'all'" >/dev/null
	off=$(wc -c <"$ZN_TEST_PGTMP_DIR/server.log")
	run_zn 1 zn-apply --atomic migrations
	ledger "ALTER DATABASE \"$PGDATABASE\" RESET log_statement" >/dev/null
	tail -c +$((off + 1)) "$ZN_TEST_PGTMP_DIR/server.log" >apply.log
	[[ "$stderr" == *'step 35 (rawSql) of 20260101_000000_p failed; migration 20260101_000000_p rolled back whole: ERROR:  relation "public.nosuch" does not exist LINE 1: INSERT INTO public.nosuch VALUES (1) ^'* ]]
	[ "$(ledger "SELECT step || ' ' || sqlstate || ' ' || error FROM _zanith_migration_steps")" = '35 42P01 ERROR:  relation "public.nosuch" does not exist LINE 1: INSERT INTO public.nosuch VALUES (1) ^' ]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname ~ '^(t[0-9]+|m[12])\$'")" = 0 ]
	# One statement a step went by the extended protocol; step 5 did not.
	grep -q 'LOG:  execute <unnamed>: CREATE TABLE public.t4 (id int)$' apply.log
	grep -q 'LOG:  statement: CREATE TABLE public.m1 (id int); CREATE TABLE public.m2 (id int)$' apply.log
	grep -q 'LOG:  execute <unnamed>: CREATE TABLE public.t34 (id int)$' apply.log
	! grep -q 'execute <unnamed>: CREATE TABLE public.t36 ' apply.log
	run_zn 0 zn-ledger status migrations
	assert_line --partial 'failed         20260101_000000_p  at step 35: 42P01'
	sed -i 's/INSERT INTO public.nosuch VALUES (1)/CREATE TABLE public.t35 (id int)/' migrations/20260101_000000_p.yaml
	run_zn 0 zn-apply --atomic migrations
	[ "$(ledger "SELECT count(*) || ' ' || count(DISTINCT step) FROM _zanith_migration_steps WHERE status = 'done'")" = "40 40" ]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname ~ '^(t[0-9]+|m[12])\$'")" = 41 ]
	[ "$(ledger "SELECT count(*) FROM (SELECT started_at, finished_at, lag(finished_at) OVER (ORDER BY step) AS prev FROM _zanith_migration_steps WHERE status = 'done') s WHERE finished_at < started_at OR started_at < prev - interval '1 ms'")" = 0 ]
}

@test "--atomic: with standard_conforming_strings off, every step goes alone, its backslashes read as the server reads them" {
	ledger "ALTER DATABASE \"$PGDATABASE\" SET standard_conforming_strings = off" >/dev/null
	# One statement where strings conform; two (b made) where they do not.
	s=$(cat <<-'SQL'
	SELECT 'x\' AS a -- ';CREATE TABLE public.b (id int);--
	SQL
	)
	mig 20260101_000000_p "CREATE TABLE public.a (id int)" "$s" \
	    "CREATE TABLE public.c (id int)"
	ledger "ALTER DATABASE \"$PGDATABASE\" SET log_statement = 'all'" >/dev/null
	off=$(wc -c <"$ZN_TEST_PGTMP_DIR/server.log")
	run_zn 0 zn-apply --atomic migrations
	ledger "ALTER DATABASE \"$PGDATABASE\" RESET log_statement" >/dev/null
	ledger "ALTER DATABASE \"$PGDATABASE\" RESET standard_conforming_strings" >/dev/null
	tail -c +$((off + 1)) "$ZN_TEST_PGTMP_DIR/server.log" >apply.log
	grep -q 'LOG:  statement: CREATE TABLE public.a (id int)$' apply.log
	grep -q 'LOG:  statement: CREATE TABLE public.c (id int)$' apply.log
	! grep -q 'execute <unnamed>: CREATE TABLE public.' apply.log
	# The server took the second step as two statements, as it would
	# without --atomic (in a Parse message it would have been refused).
	[ "$(ledger "SELECT to_regclass('public.b') IS NOT NULL")" = t ]
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY step) FROM _zanith_migration_steps")" = "1:done 2:done 3:done" ]
}

@test "--atomic: a step that does not parse fails as itself, though it was sent with others" {
	mig 20260101_000000_p "CREATE TABLE public.a (id int)" "CREATE TABLE public.b (id int" \
	    "CREATE TABLE public.c (id int)"
	run_zn 1 zn-apply --atomic migrations
	[ "$(ledger "SELECT step || ' ' || sqlstate FROM _zanith_migration_steps")" = "2 42601" ]
	[[ "$stderr" == *"step 2 (rawSql) of 20260101_000000_p failed"*"syntax error at end of input"* ]]
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL AND to_regclass('public.c') IS NULL")" = t ]
}

@test "--atomic: a step waiting for a lock is the one its blockers are recorded for" {
	zn_sql -c "CREATE TABLE public.busy (id int)"
	mig 20260101_000000_p "CREATE TABLE public.a (id int)" \
	    "ALTER TABLE public.busy ADD COLUMN x int" "CREATE TABLE public.b (id int)"
	psql -X -q -c "SET application_name = 'briefly'" -c "BEGIN" -c "SELECT * FROM public.busy" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	reader=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessShareLock' AND granted)"
	zn-apply --atomic --lock-timeout 60s migrations >apply.out 2>apply.err &
	applier=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.busy'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted)" 60
	# zn-apply's second session has asked who blocks it.
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%pg_blocking_pids%')" 60
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'briefly'" >/dev/null
	wait "$reader" || true
	wait "$applier" || fail "zn-apply failed: $(cat apply.err)"
	[ "$(ledger "SELECT string_agg(step || ':' || status || ':' || (blockers IS NOT NULL)::text, ' ' ORDER BY step) FROM _zanith_migration_steps")" = "1:done:false 2:done:true 3:done:false" ]
	[ "$(ledger "SELECT blockers::text LIKE '%briefly%' FROM _zanith_migration_steps WHERE step = 2")" = t ]
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'x'")" = 1 ]
}

# atomic_sleeping: zn-apply --atomic in the background ($applier, output
# in apply.out and apply.err) on three steps, returning once its second,
# a ten-minute sleep, is running on the server.
atomic_sleeping() {
	mig 20260101_000000_p "CREATE TABLE public.a (id int)" "SELECT pg_catalog.pg_sleep(600)" \
	    "CREATE TABLE public.b (id int)"
	zn-apply --atomic migrations >apply.out 2>apply.err &
	applier=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query = 'SELECT pg_catalog.pg_sleep(600)' AND state = 'active')" 60
}

@test "--atomic: a signal while steps are in flight cancels the one running; nothing of the migration stays and the run exits 130" {
	atomic_sleeping
	kill -TERM "$applier"
	status=0
	wait "$applier" || status=$?
	[ "$status" -eq 130 ] || fail "status $status: $(cat apply.err)"
	[ "$(ledger "SELECT step || ' ' || status || ' ' || sqlstate || ' ' || note FROM _zanith_migration_steps")" = "2 failed 57014 --atomic: the migration rolled back whole" ]
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL AND to_regclass('public.b') IS NULL")" = t ]
	[ "$(ledger "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")" = 0 ]
	sed -i 's/pg_sleep(600)/pg_sleep(0)/' migrations/20260101_000000_p.yaml
	run_zn 0 zn-apply --atomic migrations
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "2:failed 1:done 2:done 3:done" ]
}

@test "--atomic: the connection lost while steps are in flight is exit 2, said so, nothing committed; the next run applies the migration whole" {
	atomic_sleeping
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_catalog.pg_sleep(600)'" >/dev/null
	status=0
	wait "$applier" || status=$?
	[ "$status" -eq 2 ] || fail "status $status: $(cat apply.err)"
	grep -q "the connection was lost during step 2 of 20260101_000000_p: FATAL:  terminating connection due to administrator command; nothing of the migration was committed" apply.err ||
	    fail "$(cat apply.err)"
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_steps")" = 0 ]
	[ "$(ledger "SELECT to_regclass('public.a') IS NULL")" = t ]
	sed -i 's/pg_sleep(600)/pg_sleep(0)/' migrations/20260101_000000_p.yaml
	run_zn 0 zn-apply --atomic migrations
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY attempt_id) FROM _zanith_migration_steps")" = "1:done 2:done 3:done" ]
}

@test "--atomic: a step that parks a column goes alone between steps sent ahead; its artifact is kept with the migration" {
	zn_sql -c "CREATE TABLE public.t (id int PRIMARY KEY, a text)" \
	    -c "INSERT INTO public.t SELECT g, 'v' || g FROM generate_series(1, 50) g" >/dev/null
	cat >migrations/20260101_000000_p.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["CREATE TABLE public.u1 (id int)"]
	  - op: softDropColumn
	    target: public.t.a
	    args: {schema: public, table: t, name: a, key: [id], type: text, parked_as: _zanith_dropped_a_1}
	    sql: ["ALTER TABLE public.t RENAME COLUMN a TO _zanith_dropped_a_1"]
	    reverse: ["ALTER TABLE public.t RENAME COLUMN _zanith_dropped_a_1 TO a"]
	  - op: rawSql
	    sql: ["CREATE TABLE public.u2 (id int)"]
	  - op: rawSql
	    sql: ["CREATE TABLE public.u3 (id int)"]
	YAML
	ledger "ALTER DATABASE \"$PGDATABASE\" SET log_statement = 'all'" >/dev/null
	off=$(wc -c <"$ZN_TEST_PGTMP_DIR/server.log")
	run_zn 0 zn-apply --atomic migrations
	ledger "ALTER DATABASE \"$PGDATABASE\" RESET log_statement" >/dev/null
	tail -c +$((off + 1)) "$ZN_TEST_PGTMP_DIR/server.log" >apply.log
	grep -q 'LOG:  execute <unnamed>: CREATE TABLE public.u1 (id int)$' apply.log
	grep -q 'LOG:  statement: ALTER TABLE public.t RENAME COLUMN a TO _zanith_dropped_a_1$' apply.log
	grep -q 'LOG:  execute <unnamed>: CREATE TABLE public.u3 (id int)$' apply.log
	[ "$(ledger "SELECT string_agg(step || ':' || status, ' ' ORDER BY step) FROM _zanith_migration_steps")" = "1:done 2:done 3:done 4:done" ]
	[ "$(ledger "SELECT kind || ' ' || status || ' ' || rows FROM _zanith_migration_artifacts")" = "soft_drop_column parked 50" ]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname IN ('u1', 'u2', 'u3')")" = 3 ]
}

@test "--atomic: when the steps' rows cannot be written, the migration rolls back whole and one failed row says why" {
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.a1 (id int)"]\n' >migrations/20260101_000000_a.yaml
	run_zn 0 zn-apply migrations
	zn_sql -c "CREATE FUNCTION public.nodone() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'no done rows'; END\$\$" \
	    -c "CREATE TRIGGER nodone BEFORE INSERT ON _zanith_migration_steps FOR EACH ROW WHEN (NEW.status = 'done') EXECUTE FUNCTION public.nodone()"
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.b1 (id int)"]\n  - op: rawSql\n    sql: ["CREATE TABLE public.b2 (id int)"]\n' >migrations/20260102_000000_b.yaml
	ZN_ALLOW_UNMODELLED=1 run_zn 1 zn-apply --atomic migrations
	[[ "$stderr" == *"the ledger could not record the steps of 20260102_000000_b"*"no done rows"* ]]
	[ "$(ledger "SELECT to_regclass('public.b1') IS NULL AND to_regclass('public.b2') IS NULL")" = t ]
	[ "$(ledger "SELECT status || ' ' || note FROM _zanith_migration_steps WHERE migration_id = '20260102_000000_b'")" = "failed --atomic: the migration rolled back whole" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations WHERE id = '20260102_000000_b'")" = 0 ]
}

@test "a database that is down is exit 2 with nothing written; so is an input that cannot be opened" {
	six
	run_zn 2 zn-apply -d "host=$BATS_TEST_TMPDIR/nosocket connect_timeout=2" migrations
	[[ "$stderr" == *"zn-apply:"* ]]
	assert_equal "$output" ""
	run_zn 2 zn-apply nosuch.jsonl
	[[ "$stderr" == *"cannot open 'nosuch.jsonl'"* ]]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname LIKE '_zanith%'")" = 0 ]
}

@test "a migration whose last step ran outside a transaction is recorded by the run that finds it done" {
	zn_sql -c "CREATE TABLE public.ix (id int)"
	printf 'ops:\n  - op: addIndex\n    transactional: false\n    sql: ["CREATE INDEX CONCURRENTLY ix_id ON public.ix (id)"]\n' >migrations/20260101_000000_ix.yaml
	run env ZN_FAULT=step:1:after_exec "$FAULTY" migrations
	[ "$status" -eq 137 ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migrations")" = 0 ]
	run_zn 0 zn-apply --lock-wait 10s migrations
	assert_line --partial "↻ 20260101_000000_ix 01 addIndex"
	[ "$(ledger "SELECT id || ' ' || steps FROM _zanith_migrations")" = "20260101_000000_ix 1" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'recorded'")" = 1 ]
	run_zn 0 zn-ledger status --exit-code migrations
	# A later migration is not held up by it.
	printf 'ops:\n  - op: rawSql\n    sql: ["SELECT 1"]\n' >migrations/20260102_000000_next.yaml
	run_zn 0 zn-apply migrations
	run_zn 0 zn-apply migrations
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'recorded'")" = 1 ]
}

@test "a step whose connection is cut is exit 2; the re-run finds it interrupted and runs it again" {
	cat >migrations/20260101_000001_cut.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["CREATE TABLE public.slow (id int)", "INSERT INTO public.slow VALUES (1)"]
	  - op: rawSql
	    sql: ["SELECT pg_sleep(CASE WHEN EXISTS (SELECT FROM public.slow) THEN 60 ELSE 0 END)"]
	  - op: rawSql
	    sql: ["CREATE TABLE public.after (id int)"]
	YAML
	zn-apply migrations >a.out 2>a.err &
	a=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-apply' AND query LIKE 'SELECT pg_sleep(CASE%' AND state = 'active')"
	ledger "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'zn-apply' AND query LIKE 'SELECT pg_sleep(CASE%'" >/dev/null
	st=0
	wait "$a" || st=$?
	[ "$st" -eq 2 ] || { cat a.out a.err >&2; false; }
	grep -q "zn-apply: the connection was lost during step 2 of 20260101_000001_cut" a.err
	# Nothing after the cut ran; the step is left running in the ledger.
	[ "$(ledger "SELECT to_regclass('public.after') IS NULL")" = t ]
	[ "$(ledger "SELECT status FROM _zanith_migration_steps WHERE step = 2")" = running ]
	# Without its row, step 2 no longer waits when it runs again.
	ledger "DELETE FROM public.slow" >/dev/null
	run_zn 0 zn-apply migrations
	[ "$(ledger "SELECT string_agg(status, ',' ORDER BY attempt_id) FROM _zanith_migration_steps WHERE step = 2")" = interrupted,done ]
	[ "$(ledger "SELECT to_regclass('public.after') IS NOT NULL")" = t ]
}
