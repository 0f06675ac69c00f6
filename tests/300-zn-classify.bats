#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-classify without a database: the rule set, the modifiers (objects
# made earlier in the plan, server versions, --stats), every gate passing
# and refusing, suppressions, presets, damaged input, the plan for people.

setup() {
	load helpers/common
	load helpers/classify
	zn_clean_env
	cd "$BATS_TEST_TMPDIR" || return 1
}

@test "generated ops are classified from their SQL, with the old type from args" {
	cat >"$M" <<-'YAML'
	ops:
	  - op: alterColumnType
	    target: public.t.v
	    args: {schema: public, table: t, name: v, from_type: "character varying(10)", to_type: "character varying(20)"}
	    sql: ["ALTER TABLE public.t ALTER COLUMN v TYPE character varying(20)"]
	  - op: alterColumnType
	    target: public.t.n
	    args: {schema: public, table: t, name: n, from_type: "numeric(10,2)", to_type: "numeric(10,0)"}
	    sql: ["ALTER TABLE public.t ALTER COLUMN n TYPE numeric(10,0)"]
	  - op: alterColumnType
	    target: public.t.s
	    args: {schema: public, table: t, name: s, from_type: "text"}
	    sql: ["ALTER TABLE public.t ALTER COLUMN s TYPE character varying(5)"]
	  - op: alterColumnType
	    target: public.t.s
	    args: {schema: public, table: t, name: w, from_type: "timestamp without time zone"}
	    sql: ["ALTER TABLE public.t ALTER COLUMN w TYPE timestamp with time zone"]
	  - op: alterColumnType
	    target: public.t.u
	    sql: ["ALTER TABLE public.t ALTER COLUMN u TYPE bigint"]
	YAML
	run_zn 0 zn-classify --allow-destructive "$M"
	[ "$(risk_of 1)" = "20 low changes_column_type,takes_access_exclusive_lock" ]
	[ "$(risk_of 2)" = "80 destructive changes_column_type,narrows_column_type,rebuilds_table" ]
	# A length limit can fail on existing values: high, not destructive.
	[ "$(risk_of 3)" = "65 high changes_column_type,narrows_column_type,rebuilds_table" ]
	[ "$(risk_of 4)" = "20 low changes_column_type,takes_access_exclusive_lock" ]
	# Without the old type, a change is taken to rewrite.
	[ "$(risk_of 5)" = "65 high changes_column_type,rebuilds_table" ]
	op_is 5 '.risk.facts.details[] | select(.code=="changes_column_type") |
	    .detail | test("not known")'
}

@test "the new-object exemption: work on a table made earlier in the plan is safe, its drop is not" {
	mkmig <<-'SQL'
	CREATE TABLE nt (id bigint PRIMARY KEY, a int)
	CREATE INDEX nt_a ON nt (a)
	ALTER TABLE nt ADD COLUMN u uuid DEFAULT gen_random_uuid()
	ALTER TABLE nt ADD CONSTRAINT nt_a_pos CHECK (a > 0)
	ALTER TABLE nt ALTER COLUMN a SET NOT NULL
	DROP TABLE nt
	ALTER TABLE old ADD COLUMN u uuid DEFAULT gen_random_uuid()
	SQL
	run_zn 1 zn-classify "$M"
	for s in 1 2 3 4 5; do
		[ "$(risk_of $s | cut -d' ' -f1-2)" = "5 safe" ] ||
		    fail "step $s: $(risk_of $s)"
	done
	op_is 2 '.risk.facts.new_object == true and
	    (.risk.facts.details[0].modifier == "created earlier in this plan")'
	[ "$(risk_of 6)" = "80 destructive drops_table_with_data" ]
	[ "$(refused 6)" = allow_destructive ]
	# The same change on a table that existed before the plan.
	[ "$(risk_of 7)" = "65 high rebuilds_table,takes_access_exclusive_lock" ]
}

@test "version thresholds: fast defaults from 11 (not 10), proven SET NOT NULL from 12, CONCURRENTLY on 14.0-14.3" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0
	ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID
	ALTER TABLE t VALIDATE CONSTRAINT t_a_nn
	ALTER TABLE t ALTER COLUMN a SET NOT NULL
	nt CREATE INDEX CONCURRENTLY t_a ON t (a)
	ALTER TABLE t ALTER COLUMN ts TYPE timestamptz
	SQL
	run_zn 0 zn-classify --server-version 10 "$M"
	[ "$(risk_of 1)" = "65 high rebuilds_table,takes_access_exclusive_lock" ]
	run_zn 0 zn-classify --server-version 11 "$M"
	[ "$(risk_of 1)" = "15 low takes_access_exclusive_lock" ]
	[ "$(risk_of 4)" = "55 high changes_column_nullable_to_not_null,takes_access_exclusive_lock" ]
	[ "$(risk_of 5)" = "15 low adds_index,non_transactional_step" ]
	run_zn 0 zn-classify --server-version 12 "$M"
	[ "$(risk_of 1)" = "15 low takes_access_exclusive_lock" ]
	[ "$(risk_of 4)" = "15 low changes_column_nullable_to_not_null,takes_access_exclusive_lock" ]
	run_zn 0 zn-classify --server-version 14.2 "$M"
	[ "$(risk_of 5)" = "95 critical adds_index,non_transactional_step" ]
	op_is 5 '.risk.facts.server_version == 140002 and
	    any(.risk.facts.details[]; .detail | test("14.4"))'
	run_zn 0 zn-classify --server-version 14.4 "$M"
	[ "$(risk_of 5)" = "15 low adds_index,non_transactional_step" ]
	# The plan's own server version is used when no flag says otherwise.
	run_zn 0 zn-classify "$M"
	op_is 3 '.risk.facts.server_version == 150000'
	run_zn 64 zn-classify --server-version fifteen "$M"
	[[ "$stderr" == *"--server-version"* ]]
}

@test "--stats: a large table makes write-blocking work critical; small lowers it; empty makes it safe" {
	mkmig <<-'SQL'
	CREATE INDEX big_a ON big (a)
	CREATE INDEX small_a ON small (a)
	CREATE INDEX empty_a ON empty (a)
	ALTER TABLE small ADD COLUMN r int NOT NULL
	ALTER TABLE big DROP COLUMN a
	ALTER TABLE huge ALTER COLUMN a SET NOT NULL
	ALTER TABLE big ADD COLUMN x bigserial
	SQL
	cat >stats.csv <<-'CSV'
	schema,table,rows,bytes
	public,big,50000000,9000000000
	public,small,500,65536
	public,empty,0,8192
	public,huge,10,2000000000
	CSV
	run_zn 1 zn-classify --stats stats.csv "$M"
	[ "$(risk_of 1)" = "95 critical adds_index" ]
	[ "$(risk_of 2)" = "35 medium adds_index" ]
	[ "$(risk_of 3)" = "5 safe adds_index" ]
	[ "$(risk_of 4)" = "95 critical adds_required_column_without_default,takes_access_exclusive_lock" ]
	# Size never changes what data loss scores.
	[ "$(risk_of 5)" = "80 destructive drops_column_with_data,takes_access_exclusive_lock" ]
	[ "$(risk_of 6)" = "95 critical changes_column_nullable_to_not_null,takes_access_exclusive_lock" ]
	[ "$(risk_of 7)" = "95 critical rebuilds_table,takes_access_exclusive_lock" ]
	op_is 1 '.risk.facts.tables["public.big"] == {"rows":50000000,"bytes":9000000000,"source":"stats"}'
	# Critical only with evidence: the same plan without stats.
	run_zn 1 zn-classify "$M"
	[ "$(risk_of 1)" = "50 high adds_index" ]
	[ "$(trailer | jq -r .worst)" = destructive ]
	# Thresholds are configurable.
	run_zn 1 zn-classify --stats stats.csv --large-rows 400 "$M"
	[ "$(risk_of 2)" = "95 critical adds_index" ]
	run_zn 1 zn-classify --stats stats.csv --large-bytes 1TiB "$M"
	[ "$(risk_of 6)" = "35 medium changes_column_nullable_to_not_null,takes_access_exclusive_lock" ]
}

@test "a malformed --stats file is exit 65 with file:line" {
	mkmig <<<'CREATE INDEX a ON t (a)'
	printf 'public,t,many,10\n' >bad.csv
	run_zn 65 zn-classify --stats bad.csv "$M"
	[[ "$stderr" == *"bad.csv:1: rows must be a number"* ]]
	printf 'public,t,1\n' >bad.csv
	run_zn 65 zn-classify --stats bad.csv "$M"
	[[ "$stderr" == *"bad.csv:1: a stats line is schema,table,rows,bytes"* ]]
	[ -z "$output" ]
	run_zn 2 zn-classify --stats missing.csv "$M"
}

@test "gate --max-risk: a score equal to the budget passes, one over it refuses" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t RENAME COLUMN a TO b
	SQL
	run_zn 0 zn-classify --max-risk 60 "$M"
	[ "$(trailer | jq -r .verdict)" = ok ]
	run_zn 1 zn-classify --max-risk 59 "$M"
	[ "$(trailer | jq -r .verdict)" = blocked ]
	[ "$(refused 1)" = "" ]
	[ "$(refused 2)" = max_risk ]
	trailer | jq -e '.refusals == [{"step":2,"op":"rawSql","target":"","gate":"max_risk","reason":"scores 60 · over the budget of 59"}] and .budget == 59 and .max_score == 60'
	run_zn 64 zn-classify --max-risk 101 "$M"
	run_zn 64 zn-classify --max-risk x "$M"
}

@test "gate --allow-destructive: data loss refuses whatever the budget; a soft drop does not" {
	mkmig <<-'SQL'
	ALTER TABLE t DROP COLUMN a
	ALTER TABLE t RENAME COLUMN b TO _zanith_dropped_b_12345678
	TRUNCATE t
	SQL
	run_zn 1 zn-classify --max-risk 100 "$M"
	[ "$(refused 1)" = allow_destructive ]
	[ "$(refused 2)" = "" ]
	[ "$(refused 3)" = allow_destructive ]
	op_is 2 '.risk.facts.data_loss == "none" and
	    (.risk.facts.details[0].detail | test("soft drop"))'
	run_zn 0 zn-classify --allow-destructive "$M"
}

@test "gates --fail-on and --allow: a listed code refuses; in allow-list mode an unlisted one does" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	CREATE INDEX t_a ON t (a)
	SQL
	run_zn 0 zn-classify --fail-on rename_column "$M"
	run_zn 1 zn-classify --fail-on rename_column,adds_index "$M"
	[ "$(refused 1)" = "" ]
	[ "$(refused 2)" = fail_on ]
	run_zn 0 zn-classify --allow takes_access_exclusive_lock,adds_index "$M"
	run_zn 1 zn-classify --allow takes_access_exclusive_lock "$M"
	[ "$(refused 1)" = "" ]
	[ "$(refused 2)" = allow ]
	run_zn 64 zn-classify --fail-on no_such_code "$M"
	[[ "$stderr" == *"'no_such_code' is no reason code"* ]]
}

@test "gate lock_timeout: raw SQL taking SHARE or more needs its own bounded lock_timeout" {
	mkmig <<-'SQL'
	raw ALTER TABLE t ADD COLUMN x int
	raw SET lock_timeout = '2s' ;; ALTER TABLE t ADD COLUMN y int
	raw SET lock_timeout = 0 ;; ALTER TABLE t ADD COLUMN z int
	raw SET lock_timeout TO '90s' ;; ALTER TABLE t ADD COLUMN w int
	raw SET LOCAL lock_timeout = '2s' ;; RESET lock_timeout ;; CREATE INDEX t_a ON t (a)
	raw ALTER TABLE t SET (fillfactor = 80)
	raw COMMENT ON TABLE t IS 'x'
	SQL
	run_zn 1 zn-classify "$M"
	[ "$(refused 1)" = lock_timeout ]
	[ "$(risk_of 1)" = "25 medium takes_access_exclusive_lock" ]
	[ "$(refused 2)" = "" ]
	[ "$(risk_of 2)" = "15 low takes_access_exclusive_lock" ]
	op_is 2 '.risk.facts.lock_timeout_ms == 2000'
	[ "$(refused 3)" = lock_timeout ]
	[ "$(refused 4)" = lock_timeout ]
	[ "$(refused 5)" = lock_timeout ]
	# SHARE UPDATE EXCLUSIVE and no lock at all need no bound.
	[ "$(refused 6)" = "" ]
	[ "$(refused 7)" = "" ]
	# The maximum is a policy; a default above it is a usage error.
	run_zn 1 zn-classify --max-lock-timeout 2min "$M"
	[ "$(refused 4)" = "" ]
	run_zn 64 zn-classify --lock-timeout 2min "$M"
	[[ "$stderr" == *"over the maximum"* ]]
	run_zn 64 zn-classify --lock-timeout soon "$M"
}

@test "gate transaction: CONCURRENTLY in a transaction, two statements outside one, BEGIN in a step" {
	cat >"$M" <<-'YAML'
	ops:
	  - {op: rawSql, sql: ["CREATE INDEX CONCURRENTLY t_a ON t (a)"]}
	  - {op: rawSql, transactional: false, sql: ["CREATE INDEX CONCURRENTLY t_b ON t (b); CREATE INDEX CONCURRENTLY t_c ON t (c)"]}
	  - {op: rawSql, sql: ["BEGIN", "SET LOCAL lock_timeout = '1s'", "ALTER TABLE t ADD COLUMN x int", "COMMIT"]}
	  - {op: rawSql, transactional: false, sql: ["CREATE INDEX CONCURRENTLY t_d ON t (d)"]}
	  - {op: rawSql, sql: ["SET LOCAL lock_timeout = '1s'", "ALTER TABLE t ADD CONSTRAINT t_e CHECK (e > 0) NOT VALID", "ALTER TABLE t VALIDATE CONSTRAINT t_e"]}
	YAML
	run_zn 1 zn-classify "$M"
	[ "$(refused 1)" = transaction ]
	[ "$(refused 2)" = transaction ]
	[ "$(refused 3)" = transaction ]
	[ "$(refused 4)" = "" ]
	# VALIDATE right after the NOT VALID add keeps ACCESS EXCLUSIVE while
	# it reads every row: as the plain validated add.
	[ "$(risk_of 5)" = "55 high holds_lock_across_statements,takes_access_exclusive_lock,validates_under_strong_lock" ]
	op_is 1 '.risk.facts.transaction == "outside"'
}

@test "suppressions: a named code with a reason is accepted and recorded; mistakes are errors" {
	cat >"$M" <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["SET lock_timeout = '1s'", "ALTER TABLE t DROP COLUMN legacy"]
	    suppress:
	      drops_column_with_data: "unused since 4.2; archived in TICKET-12"
	  - op: rawSql
	    sql: ["SET lock_timeout = '1s'", "ALTER TABLE t ADD COLUMN x int"]
	YAML
	run_zn 0 zn-classify --max-risk 20 "$M"
	[ "$(risk_of 1)" = "15 low takes_access_exclusive_lock" ]
	op_is 1 '.risk.suppressed == {"drops_column_with_data":"unused since 4.2; archived in TICKET-12"} and
	    .suppress != null'
	# The suppression is part of the migration's checksum.
	sum1=$(printf '%s\n' "$output" | jq -r 'select(.kind=="migration") | .checksum')
	sed -i 's/TICKET-12/TICKET-13/' "$M"
	run_zn 0 zn-classify "$M"
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind=="migration") | .checksum')" != "$sum1" ]
	# One that suppresses nothing is refused.
	sed -i 's/drops_column_with_data:/rename_table:/' "$M"
	run_zn 1 zn-classify --allow-destructive "$M"
	[ "$(refused 1)" = suppressions ]
	# An unknown code, or no reason: malformed, with the position.
	sed -i 's/rename_table:/drops_colum_with_data:/' "$M"
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"$M:5:"*"'drops_colum_with_data' is no reason code"* ]]
	sed -i 's/drops_colum_with_data: .*/drops_column_with_data: " "/' "$M"
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"$M:5:"*"needs a reason"* ]]
	[ -z "$output" ]
}

@test "a suppression in a stream record is checked too" {
	mkmig <<<'ALTER TABLE t DROP COLUMN a'
	run_zn 0 zn-diff --read "$M"
	printf '%s\n' "$output" >s.jsonl
	jq -c 'if .kind == "op" then .suppress = {"raw_sql": ""} else . end' s.jsonl >bad.jsonl
	# The checksums no longer match.
	run_zn 65 zn-classify bad.jsonl
	[[ "$stderr" == *"checksum mismatch"* ]]
	# A stream whose checksum covers a bad suppression: the ops alone,
	# in canonical key order, summed as zn-records(5) says.
	forge() {
		jq -c --argjson s "$1" 'select(.kind == "op") | del(.migration) |
		    .suppress = $s | {kind} + (del(.kind) | to_entries |
		    sort_by(.key) | from_entries)' s.jsonl >ops.jsonl
		{
			echo '{"kind":"plan","v":1}'
			cat ops.jsonl
			printf '{"kind":"end","ops":1,"checksum":"sha256:%s"}\n' \
			    "$(sha256sum ops.jsonl | cut -d' ' -f1)"
		} >forged.jsonl
	}
	forge '{"raw_sql":"checked by hand"}'
	run_zn '?' zn-classify forged.jsonl
	[ "$status" -ne 65 ]
	forge '{"raw_sql":" "}'
	run_zn 65 zn-classify forged.jsonl
	[[ "$stderr" == *"step 1 (rawSql): suppressing raw_sql needs a reason, as text"* ]]
	forge '{"raw_sq":"x"}'
	run_zn 65 zn-classify forged.jsonl
	[[ "$stderr" == *"step 1 (rawSql): 'raw_sq' is no reason code"* ]]
	forge '{}'
	run_zn 65 zn-classify forged.jsonl
	[[ "$stderr" == *"step 1 (rawSql): 'suppress' maps reason codes to why each is accepted"* ]]
}

@test "a blocked stream keeps every op and the verdict, and reads back" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t DROP COLUMN a
	CREATE INDEX t_b ON t (b)
	SQL
	run_zn 1 zn-classify --max-risk 35 "$M"
	[ "$(printf '%s\n' "$output" | jq -c 'select(.kind=="op")' | wc -l)" -eq 3 ]
	trailer | jq -e '.verdict == "blocked" and .ops == 3 and .worst == "destructive" and
	    .max_score == 80 and .levels == {"low":1,"high":1,"destructive":1} and
	    .codes.takes_access_exclusive_lock == 2 and
	    ([.refusals[] | [.step, .gate]] == [[2,"max_risk"],[2,"allow_destructive"],[3,"max_risk"]])'
	printf '%s\n' "$output" >blocked.jsonl
	# Downstream stages read it: the checksums hold.
	run_zn 0 zn-diff --read blocked.jsonl
	trailer | jq -e '.verdict == "blocked"'
	# Classifying again gives the same stream.
	run_zn 1 zn-classify --max-risk 35 blocked.jsonl
	[ "$output" = "$(cat blocked.jsonl)" ]
}

# The canonical sum of a stream's body (zn-records(5)): every line
# between header and trailer, a migration record without its checksum.
bodysum() {
	printf 'sha256:%s' "$(sed '1d;$d' "$1" |
	    sed 's/^{"kind":"migration","checksum":"[^"]*",/{"kind":"migration",/' |
	    sha256sum | cut -d' ' -f1)"
}

# Replaces the trailer checksum of stream $1 with the sum of its body.
resum() {
	_sum=$(bodysum "$1")
	sed '$d' "$1" >"$1.tmp"
	tail -n 1 "$1" | jq -c --arg s "$_sum" '.checksum = $s' >>"$1.tmp"
	mv "$1.tmp" "$1"
}

@test "a stream reads the same whether its lines are canonical or not" {
	# Quotes, backslashes, a newline, a tab, a control character,
	# non-ASCII text and a slash: every escape the writer makes.
	jq -n '{ops: [
	    {op: "rawSql", sql: ["SET lock_timeout = '"'5s'"'",
		"ALTER TABLE \"wé ird\".\"ta\\ble\" ADD COLUMN \"q\"\"c\" text DEFAULT '"'a/b'"'"]},
	    {op: "rawSql", sql: ["COMMENT ON TABLE t IS '"'line\none\ttab\u0001'"'"]},
	    {op: "rawSql", transactional: false, sql: ["CREATE INDEX CONCURRENTLY \"ix ✓\" ON t (b)"]},
	    {op: "rawSql", sql: ["ALTER TABLE t DROP COLUMN a"]}]}' >"$M"
	run_zn 1 zn-classify --max-risk 35 "$M"
	printf '%s\n' "$output" >canon.jsonl
	grep -q 'line\\none\\ttab\\u0001' canon.jsonl
	grep -q 'ta\\\\ble' canon.jsonl
	# The same records with their keys in another order and spaced out:
	# not canonical, so read record by record, and the same stream.
	jq -S . canon.jsonl | jq -c -S . | sed 's/,"/, "/g' >other.jsonl
	if cmp -s canon.jsonl other.jsonl; then false; fi
	run_zn 1 zn-classify --max-risk 35 other.jsonl
	[ "$output" = "$(cat canon.jsonl)" ]
	run_zn 1 zn-classify --max-risk 35 canon.jsonl
	[ "$output" = "$(cat canon.jsonl)" ]
	run_zn 0 zn-diff --read other.jsonl
	[ "$output" = "$(cat canon.jsonl)" ]
	run_zn 0 zn-diff --read canon.jsonl
	[ "$output" = "$(cat canon.jsonl)" ]
}

@test "classifying a classified stream replaces each op's risk" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t DROP COLUMN a
	SQL
	run_zn 0 zn-classify --allow-destructive "$M"
	printf '%s\n' "$output" >ok.jsonl
	run_zn 1 zn-classify --max-risk 10 ok.jsonl
	printf '%s\n' "$output" >blocked.jsonl
	[ "$(refused 1)" = max_risk ]
	[ "$(refused 2)" = max_risk,allow_destructive ]
	run_zn 0 zn-classify --allow-destructive blocked.jsonl
	[ "$output" = "$(cat ok.jsonl)" ]
	[ "$(refused 2)" = "" ]
	trailer | jq -e '.verdict == "ok" and .refusals == []'
}

@test "lines that are not canonical do not pass on a sum taken over them" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t ADD COLUMN y int
	SQL
	run_zn 0 zn-diff --read "$M"
	printf '%s\n' "$output" >s.jsonl
	# Keys sorted as jq sorts them, the trailer summed over those bytes.
	{ head -n 1 s.jsonl; sed '1d;$d' s.jsonl | jq -c -S .; tail -n 1 s.jsonl; } >forged.jsonl
	resum forged.jsonl
	run_zn 65 zn-classify forged.jsonl
	[ -z "$output" ]
	[[ "$stderr" == *"checksum mismatch: the trailer says"* ]]
	run_zn 65 zn-diff --read forged.jsonl
}

@test "an op changed under its migration's checksum is refused, trailer fixed or not" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t ADD COLUMN y int
	SQL
	run_zn 0 zn-diff --read "$M"
	printf '%s\n' "$output" >s.jsonl
	sed 's/ADD COLUMN y int/ADD COLUMN y bigint/' s.jsonl >edited.jsonl
	run_zn 65 zn-classify edited.jsonl
	[[ "$stderr" == *"checksum mismatch"* ]]
	resum edited.jsonl
	run_zn 65 zn-classify edited.jsonl
	[ -z "$output" ]
	[[ "$stderr" == *"checksum mismatch: migration 20260101_000000_t says"* ]]
	# The same edit with both sums made again is a stream like any other.
	sed 's/^{"kind":"migration","checksum":"[^"]*",/{"kind":"migration",/' edited.jsonl >fixed.jsonl
	resum fixed.jsonl
	run_zn 0 zn-classify fixed.jsonl
	op_is 2 '.sql == ["SET lock_timeout = '"'5s'"'", "ALTER TABLE t ADD COLUMN y bigint"]'
}

@test "truncated or damaged input is exit 65 and nothing is written" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t ADD COLUMN y int
	SQL
	run_zn 0 zn-diff --read "$M"
	printf '%s\n' "$output" >s.jsonl
	head -n 3 s.jsonl >cut.jsonl
	run_zn 65 zn-classify cut.jsonl
	[ -z "$output" ]
	[[ "$stderr" == *"truncated op stream"* ]]
	sed '$d' s.jsonl | sed '$d' >cut.jsonl
	tail -n 1 s.jsonl >>cut.jsonl
	run_zn 65 zn-classify cut.jsonl
	[ -z "$output" ]
	printf '{"kind":"plan","v":1}\n{"kind":"op",' >cut.jsonl
	run_zn 65 zn-classify cut.jsonl
	[ -z "$output" ]
	run_zn 65 zn-classify </dev/null
	printf 'ops:\n  - op: rawSql\n    sql: [unclosed\n' >"$M"
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"$M:"* ]]
}

@test "an unknown op kind and SQL it cannot read are raw_sql, never a crash" {
	cat >"$M" <<-'YAML'
	ops:
	  - {op: frobnicate, sql: ["SET lock_timeout = '1s'", "ALTER TABLE t ADD COLUMN x int"]}
	  - {op: rawSql, sql: ["SELECT 'unterminated"]}
	  - {op: rawSql, sql: ["VACUUM (ANALYZE) t; ALTER SYSTEM SET work_mem = '1GB'"]}
	  - {op: rawSql, sql: ["/* nested /* comment */ still */ ;;; ", "\u00e9t\u00e9 \"\" ( ) ] [ $1 $$ $a$"]}
	  - {op: rawSql, sql: ["ALTER TABLE \"we\"\"ird\".\"t; DROP\" ADD COLUMN \"x y\" int"]}
	  - {op: rawSql, sql: ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END"]}
	YAML
	run_zn 1 zn-classify "$M"
	[ "$(risk_of 1)" = "60 high raw_sql,takes_access_exclusive_lock" ]
	op_is 1 '.risk.facts.details[0].detail | test("frobnicate")'
	[ "$(risk_of 2)" = "60 high raw_sql" ]
	[[ "$(risk_of 3)" == "60 high "*raw_sql* ]]
	[[ "$(risk_of 4)" == "60 high raw_sql" ]]
	# Hostile names are read as the server reads them.
	op_is 5 '.risk.facts.locks == [{"relation":"\"we\"\"ird\".\"t; DROP\"","mode":"ACCESS EXCLUSIVE"}]'
	[ "$(refused 5)" = lock_timeout ]
	# A function body in BEGIN ATOMIC is one statement.
	[ "$(risk_of 6)" = "5 safe" ]
}

@test "operator families and classes: loose members added and dropped in place are low, a class dropped is high, none is raw_sql" {
	cat >"$M" <<-'YAML'
	ops:
	  - op: alterOperatorFamily
	    target: public.num_ops USING btree
	    sql: ["ALTER OPERATOR FAMILY public.num_ops USING btree DROP FUNCTION 1 (bigint, integer)", "ALTER OPERATOR FAMILY public.num_ops USING btree ADD FUNCTION 1 (bigint, integer) public.num_cmp(bigint,integer)"]
	  - op: createOperatorFamily
	    target: public.f USING hash
	    sql: ["CREATE OPERATOR FAMILY public.f USING hash", "ALTER OPERATOR FAMILY public.f USING hash ADD FUNCTION 1 (text, text) public.h(text)"]
	  - op: replaceOperatorClass
	    target: public.c USING hash
	    sql: ["DROP OPERATOR CLASS public.c USING hash", "CREATE OPERATOR CLASS public.c FOR TYPE text USING hash FAMILY public.c AS OPERATOR 1 =(text,text)"]
	YAML
	run_zn 0 zn-classify "$M"
	[ "$(risk_of 1)" = "15 low" ]
	[ "$(risk_of 2)" = "15 low" ]
	[ "$(risk_of 3)" = "60 high drops_stateful_object" ]
	op_is 3 '.risk.facts.details[0].detail == "drops OPERATOR CLASS public.c"'
}

@test "rules, casts, event triggers, wrappers, servers, user mappings, publications and foreign tables are read, none is raw_sql" {
	cat >"$M" <<-'YAML'
	ops:
	  - {op: createRule, sql: ["CREATE RULE r AS ON INSERT TO public.t DO INSTEAD NOTHING"]}
	  - {op: dropRule, sql: ["DROP RULE r ON public.t"]}
	  - {op: createCast, sql: ["CREATE CAST (integer AS public.p) WITH FUNCTION public.f(integer)"]}
	  - {op: dropCast, sql: ["DROP CAST (integer AS public.p)"]}
	  - {op: createEventTrigger, sql: ["CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION public.f()", "ALTER EVENT TRIGGER et DISABLE"]}
	  - {op: dropUserMapping, sql: ["DROP USER MAPPING FOR \"odd role\" SERVER s"]}
	  - {op: alterServer, sql: ["ALTER SERVER s VERSION '15'", "ALTER SERVER s OPTIONS (SET host 'h')"]}
	  - {op: alterPublication, sql: ["ALTER PUBLICATION p SET TABLE ONLY public.t (a) WHERE (a > 0)"]}
	  - {op: alterForeignTable, sql: ["ALTER FOREIGN TABLE public.ft OPTIONS (ADD batch '10')"]}
	  - {op: dropForeignTable, sql: ["DROP FOREIGN TABLE public.ft"]}
	  - {op: dropTextSearchParser, sql: ["DROP TEXT SEARCH PARSER public.prs"]}
	YAML
	run_zn 0 zn-classify "$M"
	[ "$(printf '%s\n' "$output" | jq -c 'select(.kind=="op") | select(.risk.reasons | index("raw_sql"))')" = "" ]
	# A rule takes ACCESS EXCLUSIVE on its table and changes what
	# queries do.
	[ "$(risk_of 1)" = "35 medium takes_access_exclusive_lock" ]
	op_is 1 '.risk.facts.locks == [{"relation":"public.t","mode":"ACCESS EXCLUSIVE"}]'
	[ "$(risk_of 2)" = "35 medium takes_access_exclusive_lock" ]
	[ "$(risk_of 3)" = "5 safe" ]
	[ "$(risk_of 4)" = "60 high drops_stateful_object" ]
	op_is 4 '.risk.facts.details[0].detail == "drops CAST (integer AS public.p)"'
	[ "$(risk_of 5)" = "15 low" ]
	op_is 6 '.risk.facts.details[0].detail == "drops USER MAPPING FOR \"odd role\" SERVER s"'
	[ "$(risk_of 7)" = "15 low" ]
	[ "$(risk_of 8)" = "15 low" ]
	op_is 9 '.risk.facts.locks == [{"relation":"public.ft","mode":"ACCESS EXCLUSIVE"}]'
	op_is 10 '.risk.facts.details[0].detail == "drops FOREIGN TABLE public.ft"'
	op_is 11 '.risk.facts.details[0].detail == "drops TEXT SEARCH PARSER public.prs"'
}

@test "presets: zanith.yaml gates and environments, overridden by flags" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()
	SQL
	cat >zanith.yaml <<-'YAML'
	gates:
	  max_risk: 35
	environments:
	  production:
	    max_risk: 60
	  staging:
	    max_risk: 80
	    fail_on: [rebuilds_table]
	YAML
	run_zn 1 zn-classify "$M"
	[ "$(refused 1)" = max_risk ]
	run_zn 1 zn-classify --env production "$M"
	trailer | jq -e '.budget == 60'
	ZN_ENV=staging run_zn 1 zn-classify "$M"
	[ "$(refused 1)" = fail_on ]
	run_zn 0 zn-classify --env staging --fail-on raw_sql "$M"
	run_zn 0 zn-classify --env production --max-risk 65 "$M"
	run_zn 64 zn-classify --env qa "$M"
	[[ "$stderr" == *"no environment 'qa'"* ]]
	# Durations and the other keys of a preset reach the facts.
	printf 'gates:\n  lock_timeout: 2s\n  max_lock_timeout: 3s\n  large_rows: 10\n  preflight: false\n' >zanith.yaml
	printf 'public,t,20,8192\n' >stats.csv
	# The raw op sets 5s itself: over the preset's maximum.
	run_zn 1 zn-classify --stats stats.csv "$M"
	[ "$(refused 1)" = lock_timeout ]
	op_is 1 '.risk.facts.lock_timeout_ms == 5000 and .risk.score == 95'
	# A generated op runs with the preset's lock_timeout.
	printf 'ops:\n  - {op: addIndex, sql: ["CREATE INDEX t_x ON t (x)"]}\n' >20260102_000000_g.yaml
	run_zn 0 zn-classify --stats stats.csv 20260102_000000_g.yaml
	op_is 1 '.risk.facts.lock_timeout_ms == 2000 and .risk.score == 95'
	run_zn 64 zn-classify --lock-timeout 5s "$M"
	printf 'gates:\n  max_risk: 200\n' >zanith.yaml
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"zanith.yaml:2:"*"max_risk"* ]]
	printf 'gates:\n  lock_timout: 5s\n' >zanith.yaml
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"unknown key 'lock_timout'"* ]]
	printf 'environments:\n  prod:\n    fail_on: [nope]\n' >zanith.yaml
	run_zn 65 zn-classify "$M"
	[[ "$stderr" == *"'nope' is no reason code"* ]]
}

@test "on a terminal: one line per op, the worst risk, and why a step is refused" {
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	CREATE INDEX t_b ON t (b)
	ALTER TABLE t DROP COLUMN a
	SQL
	run script -qec "NO_COLOR=1 zn-classify --max-risk 35 $M" /dev/null
	[ "$status" -eq 1 ]
	assert_line --regexp '^01 \[low\] +15  rawSql +takes_access_exclusive_lock'
	assert_line --partial 'Worst risk: destructive (80) · 3 ops: 1 low 1 high 1 destructive'
	assert_line --partial 'Verdict: blocked'
	assert_line --partial 'Step 03 (rawSql) scores 80 · over the budget of 35'
	assert_line --partial 'Step 02 (rawSql) scores 50 · over the budget of 35'
	run script -qec "NO_COLOR=1 zn-classify -v $M" /dev/null
	assert_line --partial '      ALTER TABLE t DROP COLUMN a'
	assert_line --partial '· drops_column_with_data (80): the values of a are gone'
}

@test "--list-codes prints the 23 reason codes with their scores, and the 5 aliases" {
	run_zn 0 zn-classify --list-codes
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 28 ]
	assert_line --regexp '^drops_foreign_key +-  alias: drops_constraint on dropForeignKey ops$'
	assert_line --regexp '^adds_nullable_column +-  alias: any addColumn op without NOT NULL$'
	assert_line --regexp '^drops_table_with_data +80 '
	assert_line --regexp '^raw_sql +60 '
	assert_line --regexp '^takes_access_exclusive_lock +15 '
}

@test "every op zn-diff writes is modelled: no raw_sql in the full fixture's plans" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/offline.yaml" --offline --json
	printf '%s\n' "$output" >full.jsonl
	: >empty.yaml
	run_zn 0 zn-snapshot --declared empty.yaml --offline --json
	printf '%s\n' "$output" >empty.jsonl
	run_zn 0 zn-diff empty.jsonl full.jsonl
	printf '%s\n' "$output" >up.jsonl
	run_zn 0 zn-classify up.jsonl
	[ "$(printf '%s\n' "$output" | jq -c 'select(.kind=="op") | select(.risk.reasons | index("raw_sql"))')" = "" ]
	run_zn 0 zn-diff --drop-policy drop full.jsonl empty.jsonl
	printf '%s\n' "$output" >down.jsonl
	run_zn 1 zn-classify down.jsonl
	[ "$(printf '%s\n' "$output" | jq -c 'select(.kind=="op") | select(.risk.reasons | index("raw_sql"))')" = "" ]
	trailer | jq -e '.refusals | all(.gate == "allow_destructive")'
}

@test "locks the shadow saw: a dropped foreign key's referenced table, COMMENT ON a relation, TRUNCATE's new storage" {
	cat >"$M" <<-'YAML'
	ops:
	  - op: dropForeignKey
	    target: public.child.child_parent_fkey
	    args: {schema: public, table: child, name: child_parent_fkey, references: public.parent}
	    sql: ["ALTER TABLE public.child DROP CONSTRAINT child_parent_fkey"]
	  - op: setComment
	    target: public.child.note
	    sql: ["COMMENT ON COLUMN public.child.note IS 'n'"]
	  - op: setComment
	    target: app.t
	    sql: ["COMMENT ON MATERIALIZED VIEW app.t IS 'm'"]
	  - op: setComment
	    target: public.child.child_pkey
	    sql: ["COMMENT ON CONSTRAINT child_pkey ON public.child IS 'k'"]
	  - op: rawSql
	    target: public.gone
	    sql: ["SET lock_timeout = '5s'", "TRUNCATE public.gone"]
	YAML
	run_zn 0 zn-classify --allow-destructive "$M"
	op_is 1 '[.risk.facts.locks[] | select(.mode == "ACCESS EXCLUSIVE") | .relation] | sort == ["public.child", "public.parent"]'
	op_is 2 '.risk.facts.locks == [{"mode": "SHARE UPDATE EXCLUSIVE", "relation": "public.child"}]'
	op_is 3 '.risk.facts.locks == [{"mode": "SHARE UPDATE EXCLUSIVE", "relation": "app.t"}]'
	op_is 4 '.risk.facts.locks == []'
	op_is 5 '.risk.facts.work == "rewrite"'
	# Not another foreign key's table: the name must be the op's.
	sed -i 's/DROP CONSTRAINT child_parent_fkey/DROP CONSTRAINT other_fkey/' "$M"
	run_zn 0 zn-classify --allow-destructive "$M"
	op_is 1 '[.risk.facts.locks[] | .relation] == ["public.child"]'
}

@test "the product's names: drops_foreign_key and the rest as aliases in --fail-on, --allow, suppressions and zanith.yaml; --max-risk by level" {
	cat >"$M" <<-'YAML'
	ops:
	  - {op: dropForeignKey, target: public.c.c_p_fk, sql: ["ALTER TABLE public.c DROP CONSTRAINT c_p_fk"]}
	  - {op: dropCheck, target: public.c.c_chk, sql: ["ALTER TABLE public.c DROP CONSTRAINT c_chk"]}
	  - {op: dropUnique, target: public.c.c_key, sql: ["ALTER TABLE public.c DROP CONSTRAINT c_key"]}
	  - {op: addColumn, target: public.c.x, args: {schema: public, table: c, name: x, not_null: false}, sql: ["ALTER TABLE public.c ADD COLUMN x int"]}
	  - {op: addColumn, target: public.c.y, args: {schema: public, table: c, name: y, not_null: true}, sql: ["ALTER TABLE public.c ADD COLUMN y int NOT NULL DEFAULT 0"]}
	  - {op: createExtension, target: citext, sql: ["CREATE EXTENSION citext"]}
	YAML
	run_zn 1 zn-classify --offline --fail-on drops_foreign_key "$M"
	[ "$(refused 1)" = fail_on ]
	[ "$(refused 2)" = "" ]
	[ "$(refused 3)" = "" ]
	run_zn 1 zn-classify --offline --fail-on drops_unique_constraint,adds_nullable_column,adds_extension "$M"
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "op") | "\(.step) \([.risk.refused_by[]?.gate] | join(","))"' | paste -sd' ')" = "1  2  3 fail_on 4 fail_on 5  6 fail_on" ]
	trailer | jq -e '[.refusals[].reason] | index("adds_nullable_column is on the --fail-on list")' >/dev/null
	# --allow by alias: the foreign key's drop passes, the check's does not.
	run_zn 1 zn-classify --offline --allow drops_foreign_key,takes_access_exclusive_lock,adds_index "$M"
	[ "$(refused 1)" = "" ]
	[ "$(refused 2)" = allow ]
	# Suppressed by its alias, with a reason.
	cat >s.yaml <<-'YAML'
	ops:
	  - op: dropForeignKey
	    target: public.c.c_p_fk
	    sql: ["ALTER TABLE public.c DROP CONSTRAINT c_p_fk"]
	    suppress: {drops_foreign_key: "the application checks it"}
	YAML
	run_zn 0 zn-classify --offline --fail-on drops_constraint s.yaml
	op_is 1 '.risk.suppressed.drops_constraint == null and (.risk.suppressed | length) == 1'
	# A level as the budget: medium admits 47, refuses 48 and up.
	run_zn '?' zn-classify --offline --max-risk medium "$M"
	printf '%s\n' "$output" | jq -e -s 'map(select(.kind == "op")) | all(if .risk.score > 47 then (.risk.refused_by | map(.gate) | index("max_risk")) else ((.risk.refused_by // []) | map(.gate) | index("max_risk") | not) end)' >/dev/null
	trailer | jq -e '.budget == 47' >/dev/null
	printf 'gates:\n  max_risk: low\n  fail_on: [drops_extension]\n' >zanith.yaml
	run_zn '?' zn-classify --offline "$M"
	trailer | jq -e '.budget == 24' >/dev/null
	printf 'gates:\n  fail_on: [drops_forein_key]\n' >zanith.yaml
	run_zn 65 zn-classify --offline "$M"
	[[ "$stderr" == *"'drops_forein_key' is no reason code"* ]]
	rm zanith.yaml
	run_zn 64 zn-classify --offline --max-risk middling "$M"
	run_zn 64 zn-classify --offline --fail-on drops_forein_key "$M"
}
