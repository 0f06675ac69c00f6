#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# One answer to "what does the ledger say of these files": zn-apply,
# which refuses by it, and zn-ledger, which reports it, are fed the same
# files and the same ledger and must agree on every migration's state
# (applied, pending, partly applied, failed, interrupted, out of order,
# changed, file missing) and on the sentence that explains a problem.

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

# Each migration's "ID STATE" as zn-ledger status reports it ...
ledger_states() {
	run_zn '?' zn-ledger status --json migrations
	printf '%s\n' "$output" | jq -r 'select(.kind == "status") | "\(.migration) \(.state)"' | sort
}

# ... and as a dry run of zn-apply over the same directory finds it.
apply_states() {
	run_zn 0 zn-apply -n --json --allow-out-of-order migrations
	printf '%s\n' "$output" | jq -r 'select(.kind == "migration") | "\(.migration) \(.state)"' | sort
}

@test "zn-apply and zn-ledger agree on applied, pending, partly applied, failed, interrupted, out of order and file missing" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	mig 20260103_000000_gone "CREATE TABLE public.g (id int)"
	run_zn 0 zn-apply migrations
	rm migrations/20260103_000000_gone.yaml
	# Failed at its second step; the first is done.
	mig 20260104_000000_failed "CREATE TABLE public.f (id int)" "SELECT 1/0"
	run_zn 1 zn-apply migrations
	mig 20260105_000000_pending "CREATE TABLE public.p (id int)"
	# Older than the newest applied one.
	mig 20260102_000000_late "CREATE TABLE public.l (id int)"
	ledger_states >ledger.txt
	apply_states >apply.txt
	cat >want.txt <<-'EOF'
	20260101_000000_a applied
	20260102_000000_late out of order
	20260103_000000_gone file missing
	20260104_000000_failed failed
	20260105_000000_pending pending
	EOF
	diff -u want.txt ledger.txt
	diff -u ledger.txt apply.txt

	# Partly applied, and a step left running by a killed run.
	rm migrations/20260102_000000_late.yaml migrations/20260104_000000_failed.yaml
	mig 20260106_000000_two "CREATE TABLE public.t1 (id int)" "CREATE TABLE public.t2 (id int)"
	mig 20260107_000000_killed "CREATE TABLE public.k (id int)"
	run_zn 0 zn-apply --to 20260105_000000_pending migrations
	run_zn 0 zn-apply --steps 1 migrations
	ledger "INSERT INTO _zanith_migration_steps (run_id, migration_id, step, op, target, status, transactional, sql, sql_sha256) VALUES ('x', '20260107_000000_killed', 1, 'rawSql', '', 'running', true, '', '')" >/dev/null
	ledger_states >ledger.txt
	apply_states >apply.txt
	cat >want.txt <<-'EOF'
	20260101_000000_a applied
	20260103_000000_gone file missing
	20260105_000000_pending applied
	20260106_000000_two partly applied
	20260107_000000_killed interrupted
	EOF
	diff -u want.txt ledger.txt
	diff -u ledger.txt apply.txt
}

@test "an edited file: zn-ledger reports and zn-apply refuses with the same sentence, after it was applied or part of it" {
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	mig 20260102_000000_b "CREATE TABLE public.b (id int)" "SELECT 1/0"
	run_zn 1 zn-apply migrations
	sed -i 's/public.a (id int)/public.a (id bigint)/' migrations/20260101_000000_a.yaml
	sed -i 's/public.b (id int)/public.b (id bigint)/' migrations/20260102_000000_b.yaml
	run_zn 4 zn-ledger status --json --exit-code migrations
	printf '%s\n' "$output" >status.jsonl
	[ "$(jq -r 'select(.kind == "status") | .state' status.jsonl | sort -u)" = changed ]
	for id in 20260101_000000_a 20260102_000000_b; do
		detail=$(jq -r --arg id "$id" 'select(.migration == $id) | .detail' status.jsonl)
		[ -n "$detail" ]
		run_zn 4 zn-apply -n migrations/"$id".yaml
		[ "$stderr" = "zn-apply: migration $id ($id.yaml) $detail" ]
		run_zn 4 zn-apply migrations/"$id".yaml
		[ "$stderr" = "zn-apply: migration $id ($id.yaml) $detail" ]
	done
	# The applied one names both checksums; the partly applied one the step.
	jq -r 'select(.migration == "20260101_000000_a") | .detail' status.jsonl |
	    grep -Eq '^changed after it was applied on .*: its checksum was sha256:[0-9a-f]{64} and is now sha256:[0-9a-f]{64}; step 1 \(rawSql\): its SQL sums to sha256:[0-9a-f]{64}, applied as sha256:[0-9a-f]{64}$'
	jq -r 'select(.migration == "20260102_000000_b") | .detail' status.jsonl |
	    grep -Eq '^changed after 1 of its steps were applied: step 1 \(rawSql\): its SQL sums to sha256:[0-9a-f]{64}, applied as sha256:[0-9a-f]{64}$'
	# zn-ledger pending refuses it too, with the same sentence.
	run_zn 4 zn-ledger pending migrations
	[[ $stderr == *"migration 20260101_000000_a (20260101_000000_a.yaml) $(jq -r 'select(.migration == "20260101_000000_a") | .detail' status.jsonl)" ]]
}

@test "an out-of-order migration: zn-apply's refusal and zn-ledger's report name the newest applied one" {
	mig 20260102_000000_b "CREATE TABLE public.b (id int)"
	run_zn 0 zn-apply migrations
	mig 20260101_000000_a "CREATE TABLE public.a (id int)"
	run_zn 4 zn-ledger status --json --exit-code migrations
	[ "$(printf '%s\n' "$output" | jq -r 'select(.migration == "20260101_000000_a") | "\(.state): \(.detail)"')" = "out of order: older than the newest applied migration (20260102_000000_b)" ]
	run_zn 4 zn-apply migrations
	[ "$stderr" = "zn-apply: out of order: pending migrations older than the newest applied one (20260102_000000_b): 20260101_000000_a; apply them with --allow-out-of-order" ]
	run_zn 0 zn-apply -n --json --allow-out-of-order migrations
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "migration" and .migration == "20260101_000000_a") | "\(.state): \(.detail)"')" = "out of order: older than the newest applied migration (20260102_000000_b)" ]
}
