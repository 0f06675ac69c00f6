#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-ledger against ledgers filled by real zn-apply runs: status, the
# pending op stream, the history, the six audit questions (failures,
# retries and refusals included), stored snapshots, and the dispatcher's
# zn up, zn status and zn history.

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
}

@test "status: pending, applied, failed at a step, partly applied, out of order, changed, file missing" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	mig 20260102_000000_b "CREATE TABLE public.b (id int)" "SELECT 1/0"
	run_zn 0 zn-ledger status migrations
	assert_line "pending        20260101_000000_a"
	assert_line "2 migrations: 2 pending"
	# It reads only: no ledger was made.
	[ "$(ledger "SELECT to_regclass('public._zanith_ledger') IS NULL")" = t ]
	run_zn 1 zn-ledger status --exit-code migrations

	run_zn 1 zn-apply migrations
	run_zn 0 zn-ledger status migrations
	assert_line --regexp '^applied        20260101_000000_a  on 20[0-9-]+ [0-9:]+ UTC$'
	assert_line "failed         20260102_000000_b  at step 2: 22012: ERROR:  division by zero"
	run_zn 1 zn-ledger status --exit-code migrations

	mig 20260102_000000_b "CREATE TABLE public.b (id int)" "SELECT 1"
	run_zn 0 zn-apply --steps 0 migrations
	run_zn 0 zn-ledger status --json migrations
	[ "$(printf '%s\n' "$output" | jq -r 'select(.migration == "20260102_000000_b") | "\(.state) \(.step)"')" = "failed 2" ]
	run_zn 0 zn-apply migrations
	run_zn 0 zn-ledger status --exit-code migrations
	assert_line "2 migrations: 2 applied"

	# Started, not finished, nothing failed: partly applied.
	mig 20260103_000000_c "CREATE TABLE public.c1 (id int)" "CREATE TABLE public.c2 (id int)"
	run_zn 0 zn-apply --steps 1 migrations
	run_zn 1 zn-ledger status --exit-code migrations
	assert_line "partly applied 20260103_000000_c  1 of 2 steps done"
	run_zn 0 zn-apply migrations

	mig 20260100_000000_late "CREATE TABLE public.late (id int)"
	run_zn 4 zn-ledger status --exit-code migrations
	assert_line "out of order   20260100_000000_late  older than the newest applied migration (20260103_000000_c)"
	rm migrations/20260100_000000_late.yaml

	sed -i 's/public.a (id int)/public.a (id bigint)/' migrations/20260101_000000_a.yaml
	run_zn 4 zn-ledger status --exit-code migrations
	assert_line --regexp '^changed        20260101_000000_a  changed after it was applied on .*: its checksum was sha256:[0-9a-f]{64} and is now sha256:[0-9a-f]{64}; step 1 \(rawSql\): its SQL sums to sha256:[0-9a-f]{64}, applied as sha256:[0-9a-f]{64}$'
	rm migrations/20260101_000000_a.yaml
	run_zn 4 zn-ledger status --exit-code migrations
	assert_line --regexp '^file missing   20260101_000000_a  applied on .*, and no file in migrations has it$'
	run_zn 0 zn-ledger status --json migrations
	[ "$(printf '%s\n' "$output" | jq -r .state | sort | uniq -c | tr -s ' ' | paste -sd,)" = " 2 applied, 1 file missing" ]
}

@test "pending: the files not applied, as one op stream zn-classify and zn-apply take" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	run_zn 0 zn-apply migrations
	mig 20260102_000000_b "CREATE TABLE public.b (id int)" "CREATE INDEX ON public.b (id)"
	mig 20260103_000000_c "ALTER TABLE public.b ADD COLUMN v text"
	run_zn 0 zn-ledger pending migrations
	printf '%s\n' "$output" >pending.jsonl
	[ "$(jq -r 'select(.kind == "migration") | .id' pending.jsonl | paste -sd,)" = 20260102_000000_b,20260103_000000_c ]
	[ "$(jq -r 'select(.kind == "op") | "\(.step) \(.migration)"' pending.jsonl | paste -sd,)" = "1 20260102_000000_b,2 20260102_000000_b,3 20260103_000000_c" ]
	[ "$(tail -n 1 pending.jsonl | jq -c '{kind, ops}')" = '{"kind":"end","ops":3}' ]
	# The stream reads back whole, its sums checked.
	run_zn 0 zn-diff --read pending.jsonl --json
	# Through zn-classify to zn-apply, and nothing is left.
	run_zn 0 sh -c 'zn-ledger pending migrations | zn-classify | zn-apply'
	assert_line --partial "3 steps applied, 0 already applied"
	run_zn 0 zn-ledger pending migrations
	[ "$(printf '%s\n' "$output" | jq -r .kind | paste -sd,)" = plan,end ]
	run_zn 0 sh -c 'zn-ledger pending migrations | zn-apply'
	assert_line --partial "0 steps applied"
}

@test "pending: an applied file that changed is exit 4, since zn-apply would never see it" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	run_zn 0 zn-apply migrations
	mig 20260101_000000_a "CREATE TABLE public.a (id bigint)"
	run_zn 4 zn-ledger pending migrations
	[ -z "$output" ]
	[[ "$stderr" == *"migration 20260101_000000_a (20260101_000000_a.yaml) changed after it was applied"*"step 1 (rawSql)"* ]]
}

@test "pending: the stream starts from the schema its first pending file was made from" {
	h0=$(zn-snapshot | tail -n 1 | jq -r .hash)
	# An older file, made from the empty schema, already applied.
	printf 'from_hash: %s\nops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.t (id int)"]\n' "$h0" >migrations/20250101_000000_old.yaml
	run_zn 0 zn-apply migrations
	want=${ZN_TEST_DB}_want
	psql -X -q -d postgres -c "CREATE DATABASE \"$want\""
	psql -X -q -d "$want" -c "CREATE TABLE public.t (id int)" -c "CREATE TABLE public.u (id int)"
	zn-snapshot >now.graph
	zn-snapshot -d "$want" >want.graph
	SOURCE_DATE_EPOCH=1767225600 run_zn 0 zn-diff -o migrations --name u now.graph want.graph
	run_zn 0 zn-ledger pending migrations
	h1=$(tail -n 1 now.graph | jq -r .hash)
	[ "$h1" != "$h0" ]
	[ "$(printf '%s\n' "$output" | head -n 1 | jq -r .from_hash)" = "$h1" ]
	[ "$(printf '%s\n' "$output" | head -n 1 | jq -r .to_hash)" = "$(tail -n 1 want.graph | jq -r .hash)" ]
	run_zn 0 sh -c 'zn-ledger pending migrations | zn-apply'
	[ "$(ledger "SELECT to_regclass('public.u') IS NOT NULL")" = t ]
	# Made for a schema that moved since, it is refused.
	zn_sql -c "DROP TABLE public.u" -c "DELETE FROM _zanith_migrations WHERE id LIKE '%_u'" \
	    -c "DELETE FROM _zanith_migration_steps WHERE migration_id LIKE '%_u'" \
	    -c "CREATE TABLE public.v (id int)"
	run_zn 4 sh -c 'zn-ledger pending migrations | zn-apply'
	[[ "$stderr" == *"it changed since"* ]]
}

@test "history: newest first, every attempt with -v, --id, --since, --json" {
	run_zn 0 zn-ledger history
	assert_output "nothing applied yet: no ledger in schema public"
	run_zn 64 zn-ledger history --since soonish
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	mig 20260102_000000_b "CREATE TABLE public.b (id int)" "SELECT 1/0"
	run_zn 1 zn-apply migrations
	run_zn 0 zn-ledger history
	assert_line --index 0 --regexp '^✗ 20260102_000000_b  .*  failed at step 2$'
	assert_line --index 1 --regexp '^✓ 20260101_000000_a  .* UTC  [a-z]+@.*  1 step  [0-9]+ ms$'
	run_zn 0 zn-ledger history -v --id 20260102_000000_b
	assert_line --regexp '^    ✓ 01 rawSql +- +- +[0-9]+ ms  $'
	assert_line --regexp '^    ✗ 02 rawSql +- +- +[0-9]+ ms    failed 22012$'
	assert_line "        ERROR:  division by zero"
	refute_line --partial 20260101_000000_a
	run_zn 0 zn-ledger history --json -v
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "history") | "\(.migration) \(.state)"' | paste -sd,)" = "20260102_000000_b failed,20260101_000000_a applied" ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "attempt") | "\(.migration) \(.step) \(.status) \(.sqlstate)"' | paste -sd,)" = "20260102_000000_b 1 done null,20260102_000000_b 2 failed 22012,20260101_000000_a 1 done null" ]
	run_zn 0 zn-ledger history --since 7d
	[ "${#lines[@]}" -eq 2 ]
	run_zn 0 zn-ledger history --since 2999-01-01
	assert_output "no migrations match"
	ledger "UPDATE _zanith_migrations SET applied_at = now() - interval '8 days'" >/dev/null
	run_zn 0 zn-ledger history --since 1w --json
	[ "$(printf '%s\n' "$output" | jq -r .migration)" = 20260102_000000_b ]
	run_zn 64 zn-ledger history --since yesterdayish
	[[ "$stderr" == *"--since yesterdayish: not a time"* ]]
	# Stopped between steps: partly applied, not a success.
	rm migrations/20260102_000000_b.yaml
	mig 20260103_000000_c "CREATE TABLE public.c1 (id int)" "CREATE TABLE public.c2 (id int)"
	run_zn 0 zn-apply --steps 1 migrations
	run_zn 0 zn-ledger history --id 20260103_000000_c
	assert_output --regexp '^… 20260103_000000_c  .*  partly applied: 1 step done$'
}

@test "-C DIR without a zanith.yaml finds DIR/migrations; times are UTC, ISO 8601 in records; a step left running is interrupted" {
	mkdir proj proj/migrations
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.a (id int)"]\n' >proj/migrations/20260101_000000_a.yaml
	run_zn 0 zn-apply proj/migrations
	run_zn 0 zn-ledger -C proj status --exit-code --json
	[ "$(printf '%s\n' "$output" | jq -r .applied_at)" = "$(ledger "SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM _zanith_migrations")" ]
	run_zn 0 zn-ledger audit who
	[[ "$(printf '%s\n' "$output" | jq -r .applied_at)" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$ ]]
	run_zn 0 zn-ledger -C proj history
	assert_output --regexp ' UTC  '
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.b (id int)"]\n' >proj/migrations/20260102_000000_b.yaml
	run env ZN_FAULT=step:1:after_exec "$ZN_TEST_BUILD/test/zn-apply" proj/migrations
	[ "$status" -eq 137 ]
	run_zn 1 zn-ledger -C proj status --exit-code
	assert_line "interrupted    20260102_000000_b  at step 1 (running: the run that held it was killed, or is still running)"
}

# A ledger filled by real runs: applied steps of several kinds, a failed
# step, a step retried behind a lock, a refused plan, and a soft-dropped
# and an archived column.
fill() {
	zn_sql -c "CREATE TABLE public.acct (id int PRIMARY KEY, note text, legacy text)" \
	    -c "INSERT INTO public.acct SELECT g, 'n' || g, 'l' || g FROM generate_series(1, 5) g"
	cat >migrations/20260101_000000_a.yaml <<-'YAML'
	ops:
	  - op: createTable
	    target: public.t1
	    sql: ["CREATE TABLE public.t1 (id int)"]
	  - op: addColumn
	    target: public.t1.v
	    sql: ["ALTER TABLE public.t1 ADD COLUMN v text"]
	  - op: addIndex
	    target: public.t1.t1_v
	    transactional: false
	    sql: ["CREATE INDEX CONCURRENTLY t1_v ON public.t1 (v)"]
	YAML
	run_zn 0 zn-apply migrations
	# Retried behind a reader, then failed.
	cat >migrations/20260102_000000_b.yaml <<-'YAML'
	ops:
	  - op: addColumn
	    target: public.t1.w
	    sql: ["ALTER TABLE public.t1 ADD COLUMN w int"]
	  - op: rawSql
	    sql: ["SELECT 1/0"]
	YAML
	# A reader holds the table until the step has been retried once.
	psql -X -q -c "SET application_name = 'reader'" -c "BEGIN" \
	    -c "SELECT * FROM public.t1" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
	local reader=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.t1'::regclass AND mode = 'AccessShareLock' AND granted)"
	zn-apply --lock-timeout 200ms --retries 100 migrations >b.out 2>b.err &
	local applier=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM _zanith_migration_steps WHERE status = 'retried')"
	ledger "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reader'" >/dev/null
	wait "$reader" || true
	local st=0
	wait "$applier" || st=$?
	[ "$st" -eq 1 ] || { cat b.out b.err >&2; false; }
	rm migrations/20260102_000000_b.yaml
	# The columns go: soft-dropped and archived (zn-diff's drop policies).
	zn-snapshot >before.graph
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_w\""
	psql -X -q -d "${ZN_TEST_DB}_w" -c "CREATE TABLE public.acct (id int PRIMARY KEY, legacy text)"
	zn-snapshot -d "${ZN_TEST_DB}_w" >soft.graph
	psql -X -q -d "${ZN_TEST_DB}_w" -c "ALTER TABLE public.acct DROP COLUMN legacy"
	zn-snapshot -d "${ZN_TEST_DB}_w" >none.graph
	SOURCE_DATE_EPOCH=1767312000 run_zn 0 zn-diff -o migrations --name soft before.graph soft.graph
	run_zn 0 zn-apply migrations
	zn-snapshot >mid.graph
	SOURCE_DATE_EPOCH=1767398400 run_zn 0 zn-diff --drop-policy archive -o migrations --name archive mid.graph none.graph
	run_zn 0 zn-apply migrations
	# A destructive plan the gates refuse.
	mig 20260110_000000_drop "DROP TABLE public.acct"
	run_zn 1 sh -c 'zn-ledger pending migrations | zn-classify --max-risk 35 | zn-apply'
}

audit() {
	run_zn 0 zn-ledger audit "$1"
	printf '%s\n' "$output" >"$1.jsonl"
	# The same rows from the plain SQL in contrib, through psql.
	PGOPTIONS='-c search_path=public' psql -X -A -t -v ON_ERROR_STOP=1 \
	    -f "$ZN_TOP/contrib/audit/$1.sql" >"$1.psql"
	[ "$(wc -l <"$1.jsonl")" -eq "$(wc -l <"$1.psql")" ]
}

@test "the six audit questions, on a ledger of real runs with failures, retries and refusals" {
	fill
	run_zn 0 zn-ledger audit
	[ "$(printf '%s\n' "$output" | awk '{print $1}' | paste -sd,)" = who,slowest,failures,risk,recoverable,releases ]

	# who changed what, and when
	audit who
	[ "$(jq -r '"\(.migration_id) \(.step) \(.op) \(.target)"' who.jsonl | head -n 1)" = "20260103_000000_archive 1 archiveColumn public.acct.legacy" ]
	[ "$(jq -r 'select(.migration_id == "20260102_000000_b") | "\(.step) \(.op)"' who.jsonl)" = "1 addColumn" ]
	[ "$(jq -r 'select(.migration_id == "20260101_000000_a") | "\(.step) \(.op) \(.applied_by)"' who.jsonl | sort | paste -sd,)" = "1 createTable postgres,2 addColumn postgres,3 addIndex postgres" ]
	[ "$(jq -r '.client_host' who.jsonl | sort -u)" = "$(hostname)" ]

	# time per op kind
	audit slowest
	[ "$(jq -r 'select(.op == "addColumn") | .runs' slowest.jsonl)" = 2 ]
	[ "$(jq -r 'select(.op == "addIndex") | "\(.runs) \(.avg_ms >= 0) \(.max_ms >= .avg_ms)"' slowest.jsonl)" = "1 true true" ]

	# what failed this week, and why: the error, the retries, the refusals
	audit failures
	[ "$(jq -r 'select(.status == "failed") | "\(.migration_id) \(.step) \(.sqlstate) \(.why)"' failures.jsonl)" = "20260102_000000_b 2 22012 ERROR:  division by zero" ]
	[ "$(jq -r 'select(.status == "retried") | .sqlstate' failures.jsonl | sort -u)" = 55P03 ]
	jq -r 'select(.status == "refused") | .why' failures.jsonl >refused.txt
	grep -q '^max_risk: scores [0-9]* · over the budget of 35$' refused.txt
	grep -q '^allow_destructive: drops_table_with_data loses data' refused.txt
	[ "$(jq -r 'select(.status == "refused") | .migration_id' failures.jsonl | sort -u)" = 20260110_000000_drop ]
	# Older than a week, it is no longer asked about.
	ledger "UPDATE _zanith_migration_steps SET started_at = now() - interval '8 days' WHERE status = 'failed'" >/dev/null
	run_zn 0 zn-ledger audit failures
	refute_output --partial '"status":"failed"'

	# each migration's risk profile
	audit risk
	[ "$(jq -r 'select(.migration_id == "20260101_000000_a") | "\(.state) \(.steps) \(.unrated)"' risk.jsonl)" = "applied 3 3" ]
	[ "$(jq -r 'select(.migration_id == "20260110_000000_drop") | "\(.state) \(.max_score > 35) \(.unrated)"' risk.jsonl)" = "refused true 0" ]
	[ "$(jq -r 'select(.migration_id == "20260110_000000_drop") | .worst' risk.jsonl)" = "$(jq -r 'select(.migration_id == "20260110_000000_drop") | if .max_score >= 88 then "critical" elif .max_score >= 70 then "destructive" else "high" end' risk.jsonl)" ]
	[ "$(jq -r 'select(.migration_id == "20260102_000000_b") | .state' risk.jsonl)" = "not applied" ]

	# what is still recoverable: the soft-dropped and the archived column
	audit recoverable
	[ "$(jq -r '"\(.artifact_type) \(.object) \(.status)"' recoverable.jsonl | paste -sd,)" = "soft_drop_column public.acct.note parked,soft_drop_table public.t1 parked,archive_column public.acct.legacy parked" ]
	# Each counted: a soft-dropped column's values, a table's rows.
	[ "$(jq -r '.rows' recoverable.jsonl | paste -sd,)" = 5,0,5 ]
	parked=$(jq -r 'select(.artifact_type == "soft_drop_column") | .parked_as' recoverable.jsonl)
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 'acct' AND column_name = '$parked'")" = 1 ]
	[ "$(ledger "SELECT to_regclass('public.$(jq -r 'select(.artifact_type == "soft_drop_table") | .parked_as' recoverable.jsonl)') IS NOT NULL")" = t ]
	sum=$(jq -r 'select(.artifact_type == "archive_column") | .checksum' recoverable.jsonl)
	arch=$(jq -r 'select(.artifact_type == "archive_column") | .parked_as' recoverable.jsonl)
	# The digest as zn-ledger(7) gives it.
	[ "$sum" = "h2:$(ledger "SELECT md5(count(*) || ':' || sum(coalesce(hashint4extended(a.id, 1), -1) # coalesce(hashtextextended(a.legacy COLLATE \"C\", 2), -2))) FROM _zanith_archive.\"${arch#_zanith_archive.}\" a")" ]
	# what changed between releases: each schema hash, and the changes
	audit releases
	[ "$(jq -r .migration_id releases.jsonl | paste -sd,)" = 20260101_000000_a,20260102_000000_soft,20260103_000000_archive ]
	[ "$(jq -r 'select(.migration_id == "20260101_000000_a") | .changes' releases.jsonl)" = "createTable public.t1, addColumn public.t1.v, addIndex public.t1.t1_v" ]
	# One release's after is the next one's before, and is the stored graph.
	[ "$(jq -r .schema_after releases.jsonl | sed -n 2p)" = "$(jq -r .schema_before releases.jsonl | sed -n 3p)" ]
	[ "$(jq -r .schema_after releases.jsonl | tail -n 1)" = "$(zn-ledger snapshot 20260103_000000_archive | tail -n 1 | jq -r .hash)" ]
	[ "$(jq -r .schema_after releases.jsonl | tail -n 1)" = "$(zn-snapshot | tail -n 1 | jq -r .hash)" ]

	# Renamed back by hand, the soft drops are no longer recoverable.
	ledger "SELECT string_agg(recovery_sql, '') FROM _zanith_migration_artifacts WHERE kind LIKE 'soft_drop_%'" | psql -q -X -v ON_ERROR_STOP=1 >/dev/null
	run_zn 0 zn-ledger audit recoverable
	[ "$(printf '%s\n' "$output" | jq -r '"\(.kind) \(.artifact_type)"')" = "audit archive_column" ]
}

@test "audit: a table with --table (and on a terminal), records through a pipe; errors are usage errors" {
	run_zn 0 zn-ledger audit slowest
	assert_output ""
	[[ "$stderr" == *"no ledger in schema public: nothing has been applied"* ]]
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	run_zn 0 zn-apply --steps 0 migrations
	run_zn 0 zn-ledger audit --table slowest
	assert_line --index 0 --regexp '^op +runs +avg_ms +max_ms +total_ms$'
	assert_line "(0 rows)"
	run_zn 0 zn-apply migrations
	run_zn 0 zn-ledger audit slowest
	[ "$(printf '%s\n' "$output" | jq -c '{kind, question, op, runs}')" = '{"kind":"audit","question":"slowest","op":"rawSql","runs":1}' ]
	run_zn 0 zn-ledger audit --table slowest
	assert_line --regexp '^rawSql +1 +[0-9]+ +[0-9]+ +[0-9]+$'
	assert_line "(1 row)"
	if command -v script >/dev/null; then
		run script -qec "zn-ledger audit who" /dev/null
		[[ "$output" == *"applied_at"*"applied_by"* ]]
		run script -qec "zn-ledger audit --json who" /dev/null
		[[ "$output" == *'"kind":"audit"'* ]]
	fi
	run_zn 64 zn-ledger audit nosuch
	[[ "$stderr" == *"no question 'nosuch'"* ]]
	run_zn 64 zn-ledger audit --json --table who
	run_zn 64 zn-ledger --exit-code history
	run_zn 64 zn-ledger frobnicate
	run_zn 64 zn-ledger
}

@test "snapshot: the graph before and after a migration, as records zn-diff reads" {
	zn_sql -c "CREATE TABLE public.t (id int)"
	mig 20260101_000000_a "ALTER TABLE public.t ADD COLUMN v text"
	run_zn 0 zn-apply migrations
	run_zn 0 zn-ledger snapshot 20260101_000000_a before
	printf '%s\n' "$output" >before.graph
	run_zn 0 zn-ledger snapshot 20260101_000000_a
	printf '%s\n' "$output" >after.graph
	[ "$(head -n 1 after.graph | jq -r .kind)" = graph ]
	[ "$(tail -n 1 after.graph | jq -r .hash)" = "$(zn-snapshot | tail -n 1 | jq -r .hash)" ]
	run_zn 0 zn-diff --json before.graph after.graph
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "op") | "\(.op) \(.target)"')" = "addColumn public.t.v" ]
	run_zn 1 zn-ledger snapshot 20990101_000000_none
	[[ "$stderr" == *"no snapshot of the schema after migration 20990101_000000_none"* ]]
	run_zn 64 zn-ledger snapshot 20260101_000000_a sideways
}

@test "a ledger in a schema with a hostile name; a newer ledger is exit 4; a database that is down is exit 2" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	run_zn 0 zn-apply --ledger-schema 'we"ird sch;ema' migrations
	run_zn 0 zn-ledger --ledger-schema 'we"ird sch;ema' status --exit-code migrations
	run_zn 0 zn-ledger --ledger-schema 'we"ird sch;ema' audit who
	[ "$(printf '%s\n' "$output" | jq -r .migration_id)" = 20260101_000000_a ]
	run_zn 0 zn-ledger --ledger-schema 'we"ird sch;ema' history
	assert_line --partial "✓ 20260101_000000_a"
	# Elsewhere, nothing is applied.
	run_zn 1 zn-ledger status --exit-code migrations
	ledger "UPDATE \"we\"\"ird sch;ema\"._zanith_ledger SET value = '99' WHERE key = 'version'" >/dev/null
	run_zn 4 zn-ledger --ledger-schema 'we"ird sch;ema' history
	[[ "$stderr" == *"version 99, made by a newer zanith"* ]]
	run_zn 2 zn-ledger -d "host=/nonexistent dbname=x" history
	printf 'ops: [\n' >migrations/20260102_000000_bad.yaml
	run_zn 65 zn-ledger status migrations
}

@test "a new project whose migrations directory is not made yet: zn status, pending and zn up say there is nothing, exit 0; a directory named that is not there is exit 2" {
	mkdir fresh
	cd fresh
	printf 'migrations: migrations\n' >zanith.yaml
	run_zn 0 zn status --exit-code
	assert_line "0 migrations"
	run_zn 0 zn-ledger pending
	[ "$(printf '%s\n' "$output" | jq -s 'map(select(.kind == "op")) | length')" = 0 ]
	run_zn 0 zn up
	run_zn 2 zn-ledger status nonesuch
	[[ "$stderr" == *"cannot open 'nonesuch'"* ]]
}

@test "zanith.yaml keeps zn-apply's and zn-diff's options (apply:, diff:, per environment); flags beat ZN_* variables beat the environment beat the file" {
	cat >zanith.yaml <<-'YAML'
	apply:
	  statement_timeout: 1s
	  retries: 0
	  lock_wait: 2s
	diff:
	  drop_policy: archive
	environments:
	  patient:
	    statement_timeout: 0
	YAML
	mig 20260101_000000_a "SELECT pg_sleep(1.5)"
	# The file's bound: the step is cancelled, 57014.
	run_zn 1 zn-apply migrations
	[ "$(ledger "SELECT sqlstate FROM _zanith_migration_steps WHERE status = 'failed'")" = 57014 ]
	# The environment's, the variable's and the flag's each win.
	ZN_ENV=patient run_zn 0 zn-apply migrations
	mig 20260101_000001_b "SELECT pg_sleep(1.5)"
	ZN_STATEMENT_TIMEOUT=0 run_zn 0 zn-apply migrations
	mig 20260101_000002_c "SELECT pg_sleep(1.5)"
	ZN_STATEMENT_TIMEOUT=1s run_zn 0 zn-apply --statement-timeout 0 migrations
	# zn-diff's drop policy: the file's, then the variable's, the flag's.
	zn_sql -c "CREATE TABLE public.t (id int PRIMARY KEY, x int)"
	zn-snapshot >a.graph
	zn_sql -c "ALTER TABLE public.t DROP COLUMN x"
	zn-snapshot >b.graph
	[ "$(zn-diff a.graph b.graph | jq -r 'select(.kind == "op") | .op')" = archiveColumn ]
	[ "$(ZN_DROP_POLICY=soft zn-diff a.graph b.graph | jq -r 'select(.kind == "op") | .op')" = softDropColumn ]
	[ "$(ZN_DROP_POLICY=soft zn-diff --drop-policy drop a.graph b.graph | jq -r 'select(.kind == "op") | .op')" = dropColumn ]
	ZN_DROP_POLICY=keep run_zn 64 zn-diff a.graph b.graph
	# A variable that is not a value is a usage error, nothing run.
	ZN_STATEMENT_TIMEOUT=soon run_zn 64 zn-apply migrations
	[[ "$stderr" == *"statement_timeout"* ]]
	ZN_RETRIES=many run_zn 64 zn-apply migrations
	[[ "$stderr" == *"retries takes a number, not 'many'"* ]]
	# What is not one of them is refused where it stands.
	printf 'apply:\n  retries: 0\n  lock_weight: 2s\n' >zanith.yaml
	run_zn 65 zn-apply migrations
	[[ "$stderr" == *"zanith.yaml:3:3: "*"lock_weight"* ]]
	printf 'environments:\n  x:\n    lock_wait: soon\n' >zanith.yaml
	run_zn 65 zn-apply migrations
	[[ "$stderr" == *"zanith.yaml:3:"*"'lock_wait' must be a duration"* ]]
	printf 'diff:\n  drop_policy: never\n' >zanith.yaml
	run_zn 65 zn-diff a.graph b.graph
	[[ "$stderr" == *"zanith.yaml:2:"*"soft, archive or drop"* ]]
}

@test "drift: a column added and an index dropped by hand are named by zn status, exit 4 with --exit-code, and zn-diff from the live schema warns; none when the schema is as the ledger left it" {
	mig 20260101_000000_a "CREATE TABLE public.t (id int PRIMARY KEY, b int)" "CREATE INDEX t_b ON public.t (b)"
	run_zn 0 zn-apply migrations
	run_zn 0 zn status --exit-code
	[[ "$output" != *drift* ]]
	zn_sql -c "ALTER TABLE public.t ADD COLUMN \"n o\" text" -c "DROP INDEX public.t_b"
	run_zn 4 zn status --exit-code
	assert_line 'drift          addColumn public.t.n o'
	assert_line "drift          dropIndex public.t.t_b"
	assert_line "2 changes outside zanith since 20260101_000000_a"
	run_zn 0 zn status
	# A plan made from the live schema says it has drifted.
	zn-snapshot >now.graph
	run_zn 0 zn-diff @ now.graph
	[[ "$stderr" == *"the live schema has drifted from the ledger since migration 20260101_000000_a"* ]]
	run_zn 0 zn-ledger status --json
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "drift") | "\(.op) \(.target) \(.since)"' | sort | paste -sd,)" = 'addColumn public.t.n o 20260101_000000_a,dropIndex public.t.t_b 20260101_000000_a' ]
	# Put back by a migration: no drift.
	zn_sql -c "ALTER TABLE public.t DROP COLUMN \"n o\"" -c "CREATE INDEX t_b ON public.t (b)"
	run_zn 0 zn status --exit-code
	[[ "$output" != *drift* ]]
	zn-snapshot >now.graph
	run_zn 0 zn-diff @ now.graph
	[[ "$stderr" != *drifted* ]]
}

@test "zn up applies what is pending through the gates; zn status and zn history read the ledger" {
	cat >zanith.yaml <<-'YAML'
	migrations: migrations
	gates:
	  max_risk: 35
	YAML
	mig 20260101_000000_a "CREATE TABLE public.a (id int, x int)"
	run_zn 0 zn up
	assert_line --partial "✓ 20260101_000000_a 01 rawSql"
	run_zn 0 zn status --exit-code
	assert_line "1 migration: 1 applied"
	run_zn 0 zn up
	assert_line --partial "0 steps applied, 0 already applied"
	# The configured gates refuse a drop: on record, nothing run.
	printf 'ops:\n  - op: dropColumn\n    target: public.a.x\n    sql: ["ALTER TABLE public.a DROP COLUMN x"]\n' >migrations/20260102_000000_b.yaml
	run_zn 1 zn up
	[[ "$stderr" == *"the plan is blocked"* ]]
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'x'")" = 1 ]
	run_zn 1 zn status --exit-code
	assert_line --regexp '^refused        20260102_000000_b  at step 1: (max_risk|allow_destructive): '
	[ "$(ledger "SELECT string_agg(gate, ',' ORDER BY gate) FROM _zanith_migration_steps WHERE status = 'refused'")" = allow_destructive,max_risk ]
	run_zn 0 zn up --allow-destructive --max-risk 100
	[ "$(ledger "SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'x'")" = 0 ]
	run_zn 0 zn history
	assert_line --index 0 --partial "✓ 20260102_000000_b"
	run_zn 0 zn -n up -d 'dbname=x y' --max-risk 10 --lock-wait 5s
	assert_output "zn-ledger -d 'dbname=x y' pending | zn-classify -d 'dbname=x y' --max-risk 10 | zn-apply -d 'dbname=x y' --lock-wait 5s"
}
