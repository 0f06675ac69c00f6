#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-artifact: data parked by zn-apply (soft drops and archives) listed,
# inspected, exported, restored with what went with it, purged and
# cleaned up, on a real server, with writers going on around it.

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
}

teardown() {
	# A writer left running stops with the test.
	touch "$BATS_TEST_TMPDIR/stop" 2>/dev/null || true
	if [ -n "${WRITER:-}" ]; then
		wait "$WRITER" 2>/dev/null || true
	fi
}

# twin SETUP CHANGE: SETUP in the test database; a.graph is its schema,
# b.graph the schema CHANGE makes of it (in a twin database).
twin() {
	local b="${ZN_TEST_DB}_b"
	zn_sql -c "$1"
	psql -q -X -d postgres -c "DROP DATABASE IF EXISTS \"$b\"" \
	    -c "CREATE DATABASE \"$b\"" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "$b" -c "$1" -c "$2" >/dev/null
	zn-snapshot >a.graph
	zn-snapshot -d "$b" >b.graph
}

# park [zn-diff options]: a.graph to b.graph, classified, applied.
park() {
	zn-diff "$@" a.graph b.graph | zn-classify >plan.jsonl
	run_zn 0 zn-apply plan.jsonl
}

# The number, the id and the status of the newest artifact.
newest() {
	ledger "SELECT $1 FROM _zanith_migration_artifacts ORDER BY id DESC LIMIT 1"
}

# writer SQL: runs SQL over and over in its own sessions until the file
# stop exists, counting what worked in ok and keeping what failed in
# fails.
writer() {
	rm -f stop ok fails
	: >ok
	: >fails
	(
		while [ ! -e stop ]; do
			if psql -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null 2>>fails; then
				echo >>ok
			fi
		done
	) 3>&- &
	WRITER=$!
}

writes() {
	wc -l <ok | tr -d ' '
}

# wait_writes N: until the writer has done N more writes.
wait_writes() {
	local want=$(($(writes) + $1))
	zn_wait "${ZN_TEST_WAIT:-30}" "$1 more writes" _writes_reach "$want"
}

_writes_reach() {
	[ "$(writes)" -ge "$1" ]
}

# same A B: zn-diff finds nothing to do from A to B.
same() {
	run_zn 0 zn-diff "$1" "$2"
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "end") | .ops')" = 0 ]
}

stop_writer() {
	touch stop
	wait "$WRITER"
	WRITER=
}

SETUP_T="CREATE TABLE public.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text NOT NULL DEFAULT 'dflt', b int);
CREATE INDEX t_a ON public.t (a);
ALTER TABLE public.t ADD CONSTRAINT t_a_len CHECK (length(a) < 100);
INSERT INTO public.t (a, b) SELECT 'v' || g, g FROM generate_series(1, 2000) g;"

@test "soft drop a NOT NULL column with a default and an index while rows keep coming, restore: all of it is back and no insert failed" {
	twin "$SETUP_T CREATE TABLE old_a AS SELECT id, a FROM public.t;" "ALTER TABLE public.t DROP COLUMN a"
	writer "INSERT INTO public.t (b) VALUES (7)"
	wait_writes 5
	park
	grep -q '"op":"softDropColumn"' plan.jsonl
	wait_writes 5
	[ "$(newest kind)" = soft_drop_column ]
	[ "$(newest status)" = parked ]
	# Its values, counted: the 2000 rows and those written before it went.
	[ "$(newest rows)" = "$(ledger "SELECT count($(newest "quote_ident(park_column)")) FROM public.t")" ]
	id=$(newest artifact_id)
	[[ "$id" == *"::soft_drop_column::public.t.a" ]]
	run_zn 0 zn-artifact restore "$id" --reason "the app still reads it"
	[[ "$output" == "restored $id as public.t.a" ]]
	wait_writes 5
	stop_writer
	# Not one insert failed, before, during or after.
	[ ! -s fails ] || { cat fails >&2; false; }
	[ "$(writes)" -ge 15 ]
	# The column, its default, NOT NULL, index and check are back.
	[ "$(ledger "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attname = 'a'")" = t ]
	[ "$(ledger "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.t'::regclass")" = "'dflt'::text" ]
	[ "$(ledger "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.t_a'::regclass")" = t ]
	[ "$(ledger "SELECT convalidated FROM pg_constraint WHERE conname = 't_a_len'")" = t ]
	# Old rows have their values; rows written since have the default.
	[ "$(ledger "SELECT count(*) FROM old_a o JOIN public.t t USING (id) WHERE t.a IS DISTINCT FROM o.a")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM public.t WHERE id > 2000 AND a <> 'dflt'")" = 0 ]
	[ "$(ledger "SELECT count(*) > 0 FROM public.t WHERE id > 2000")" = t ]
	# The schema is what it was.
	zn-snapshot >c.graph
	same a.graph c.graph
	[ "$(newest status)" = restored ]
	[ "$(ledger "SELECT reason FROM _zanith_events WHERE kind = 'restore'")" = "the app still reads it" ]
	[ "$(ledger "SELECT actor = current_user FROM _zanith_events WHERE kind = 'restore'")" = t ]
	# A second restore is a no-op.
	run_zn 0 zn-artifact restore "$id"
	[[ "$output" == *"restored already: nothing to do"* ]]
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'restore'")" = 1 ]
}

SETUP_ARCH="CREATE TABLE public.acct (id int PRIMARY KEY, note text, legacy numeric(10,2) DEFAULT 0);
INSERT INTO public.acct SELECT g, 'n' || g, g * 1.5 FROM generate_series(1, 3000) g;
UPDATE public.acct SET legacy = NULL WHERE id % 100 = 0;
CREATE TABLE public.hist (id int PRIMARY KEY, at timestamptz, body jsonb, tags text[]);
INSERT INTO public.hist SELECT g, '2026-01-01'::timestamptz + g * interval '1 hour', jsonb_build_object('k', g, 's', E'a\"b\\\\c\n'), ARRAY['x', 'y,z'] FROM generate_series(1, 500) g;"

@test "archive a column and a table, change the source meanwhile, export in three formats and restore: every value is back by key" {
	twin "$SETUP_ARCH CREATE TABLE keep_legacy AS SELECT id, legacy FROM public.acct; CREATE TABLE keep_hist AS SELECT * FROM public.hist;" \
	    "ALTER TABLE public.acct DROP COLUMN legacy; DROP TABLE public.hist"
	park --drop-policy archive
	[ "$(ledger "SELECT string_agg(kind || ' ' || rows, ',' ORDER BY kind) FROM _zanith_migration_artifacts")" = "archive_column 3000,archive_table 500" ]
	col=$(ledger "SELECT artifact_id FROM _zanith_migration_artifacts WHERE kind = 'archive_column'")
	tab=$(ledger "SELECT artifact_id FROM _zanith_migration_artifacts WHERE kind = 'archive_table'")
	# The source goes on: rows deleted, rows added.
	zn_sql -c "DELETE FROM public.acct WHERE id <= 10" \
	    -c "INSERT INTO public.acct SELECT g, 'new' FROM generate_series(3001, 3010) g"

	# Export: csv, json and jsonl, each read back equal to what was parked.
	run_zn 0 zn-artifact export "$col" --format csv -o col.csv
	[ "$(head -n 1 col.csv)" = "id,legacy" ]
	run_zn 0 zn-artifact export "$col" --format json -o col.json
	run_zn 0 zn-artifact export "$col" --format jsonl -o col.jsonl
	run_zn 0 zn-artifact export "$tab" --format csv -o tab.csv
	run_zn 0 zn-artifact export "$tab" --format json -o tab.json
	run_zn 0 zn-artifact export "$tab" --format jsonl
	printf '%s\n' "$output" >tab.jsonl
	zn_sql -c "CREATE TABLE re_csv (id int, legacy numeric(10,2))" \
	    -c "\\copy re_csv FROM 'col.csv' WITH (FORMAT csv, HEADER)" \
	    -c "CREATE TABLE hist_csv (LIKE keep_hist)" \
	    -c "\\copy hist_csv FROM 'tab.csv' WITH (FORMAT csv, HEADER)"
	[ "$(ledger "SELECT count(*) FROM (SELECT * FROM re_csv EXCEPT ALL SELECT * FROM keep_legacy) d")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM re_csv")" = 3000 ]
	[ "$(ledger "SELECT count(*) FROM (SELECT * FROM hist_csv EXCEPT ALL SELECT * FROM keep_hist) d")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM hist_csv")" = 500 ]
	jq -e 'length == 3000' col.json >/dev/null
	jq -e 'length == 500' tab.json >/dev/null
	[ "$(wc -l <col.jsonl)" -eq 3000 ]
	[ "$(wc -l <tab.jsonl)" -eq 500 ]
	for f in col.json tab.json; do
		[ "$(ledger "SELECT count(*) FROM json_array_elements(\$j\$$(cat "$f")\$j\$)")" = "$(jq length "$f")" ]
	done
	[ "$(ledger "SELECT count(*) FROM (SELECT (json_populate_record(NULL::keep_legacy, j)).* FROM json_array_elements(\$j\$$(cat col.json)\$j\$) j EXCEPT ALL SELECT * FROM keep_legacy) d")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM (SELECT (json_populate_record(NULL::keep_hist, l::json)).* FROM regexp_split_to_table(\$j\$$(cat tab.jsonl)\$j\$, E'\\n') l EXCEPT ALL SELECT * FROM keep_hist) d")" = 0 ]

	# Restore both: every archived value is back on the row with its key.
	run_zn 0 zn-artifact restore-table hist
	[ "$(ledger "SELECT count(*) FROM (SELECT * FROM public.hist EXCEPT ALL SELECT * FROM keep_hist) d")" = 0 ]
	run_zn 0 zn-artifact --batch-size 500 restore-column acct.legacy
	[ "$(ledger "SELECT count(*) FROM public.acct a JOIN keep_legacy k USING (id) WHERE a.legacy IS DISTINCT FROM k.legacy")" = 0 ]
	# Rows added meanwhile have none (the column may be NULL); deleted
	# ones stay deleted.
	[ "$(ledger "SELECT count(legacy) FROM public.acct WHERE id > 3000")" = 0 ]
	[ "$(ledger "SELECT count(*) FROM public.acct")" = 3000 ]
	[ "$(ledger "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.acct'::regclass")" = "0" ]
	[ "$(ledger "SELECT string_agg(status, ',') FROM _zanith_migration_artifacts")" = "restored,restored" ]
}

@test "parked rows changed by hand are refused with both digests and nothing changes; put back, they restore" {
	twin "$SETUP_ARCH" "ALTER TABLE public.acct DROP COLUMN legacy"
	park --drop-policy archive
	col=$(newest artifact_id)
	arch=_zanith_archive.$(ledger "SELECT quote_ident(park_name) FROM _zanith_migration_artifacts")
	recorded=$(newest checksum)
	[[ "$recorded" == h2:* ]]
	before=$(ledger "SELECT md5(string_agg(c.oid || c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")
	for tamper in "UPDATE $arch SET legacy = 1 WHERE id = 5|UPDATE $arch SET legacy = 7.50 WHERE id = 5" \
	    "DELETE FROM $arch WHERE id = 6|INSERT INTO $arch VALUES (6, 9.00)" \
	    "INSERT INTO $arch VALUES (99999, 1)|DELETE FROM $arch WHERE id = 99999"; do
		zn_sql -c "${tamper%%|*}"
		run_zn 1 zn-artifact restore "$col"
		[[ "$stderr" == *"refusing to restore $col: its rows changed since they were parked: recorded $recorded"*", now h2:"* ]]
		[[ "$stderr" == *"nothing was changed"* ]]
		[ "$(ledger "SELECT md5(string_agg(c.oid || c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")" = "$before" ]
		[ "$(newest status)" = parked ]
		zn_sql -c "${tamper#*|}"
	done
	run_zn 0 zn-artifact inspect "$col" --json
	[ "$(printf '%s\n' "$output" | jq -r .checksum_matches)" = true ]
	run_zn 0 zn-artifact restore "$col"
	[ "$(newest status)" = restored ]
}

@test "artifacts of one migration are digested together, a type with no hash function by its text (t2), each recorded and each verified" {
	twin "CREATE TABLE public.a1 (id int PRIMARY KEY, x int);
CREATE TABLE public.j (id int PRIMARY KEY, doc json, p point);
CREATE TABLE public.a2 (id int PRIMARY KEY, y int);
INSERT INTO public.a1 SELECT g, g FROM generate_series(1, 50) g;
INSERT INTO public.j SELECT g, json_build_object('g', g), point(g, g) FROM generate_series(1, 50) g;
INSERT INTO public.a2 SELECT g, g FROM generate_series(1, 50) g;" \
	    "ALTER TABLE public.a1 DROP COLUMN x; DROP TABLE public.j; ALTER TABLE public.a2 DROP COLUMN y"
	park --drop-policy archive
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_artifacts")" = 3 ]
	[ "$(ledger "SELECT string_agg(left(checksum, 3) || rows, ',' ORDER BY object) FROM _zanith_migration_artifacts")" = "h2:50,h2:50,t2:50" ]
	for id in $(ledger "SELECT artifact_id FROM _zanith_migration_artifacts"); do
		run_zn 0 zn-artifact inspect "$id" --json
		[ "$(printf '%s\n' "$output" | jq -r .checksum_matches)" = true ]
	done
}

@test "a digest of the first form (h1, two sums) is still checked by its own rule" {
	twin "$SETUP_ARCH" "ALTER TABLE public.acct DROP COLUMN legacy"
	park --drop-policy archive
	col=$(newest artifact_id)
	arch=_zanith_archive.$(ledger "SELECT quote_ident(park_name) FROM _zanith_migration_artifacts")
	h1=h1:$(ledger "SELECT md5(count(*) || ':' || sum(hash_record_extended(t, 0)) || ':' || sum(hash_record_extended(t, 7))) FROM $arch t")
	zn_sql -c "UPDATE _zanith_migration_artifacts SET checksum = '$h1'"
	run_zn 0 zn-artifact inspect "$col" --json
	[ "$(printf '%s\n' "$output" | jq -r .checksum_now)" = "$h1" ]
	[ "$(printf '%s\n' "$output" | jq -r .checksum_matches)" = true ]
	zn_sql -c "UPDATE $arch SET legacy = 1 WHERE id = 5"
	run_zn 1 zn-artifact restore "$col"
	[[ "$stderr" == *"recorded $h1"*", now h1:"* ]]
	[ "$(newest status)" = parked ]
}

@test "a name taken is refused, --as restores under another; hostile names go through park, list, export and restore" {
	long=$(printf 'c%.0s' $(seq 1 62))x
	hostile="CREATE SCHEMA \"we\"\"ird sch;ema\";
CREATE TABLE \"we\"\"ird sch;ema\".\"ta ble'\" (\"i d\" int PRIMARY KEY, \"co\"\"l; drop\" text NOT NULL DEFAULT 'q''d', \"$long\" int);
CREATE INDEX \"ix \"\"1\" ON \"we\"\"ird sch;ema\".\"ta ble'\" (\"co\"\"l; drop\");
INSERT INTO \"we\"\"ird sch;ema\".\"ta ble'\" SELECT g, 'v' || g, g FROM generate_series(1, 100) g;"
	twin "$hostile" "ALTER TABLE \"we\"\"ird sch;ema\".\"ta ble'\" DROP COLUMN \"co\"\"l; drop\", DROP COLUMN \"$long\""
	park
	run_zn 0 zn-artifact list --json
	[ "$(printf '%s\n' "$output" | jq -r .object | sort | paste -sd '|')" = "we\"ird sch;ema.ta ble'.$long|we\"ird sch;ema.ta ble'.co\"l; drop" ]
	run_zn 0 zn-artifact list --table-output
	[[ "$output" == *"(2 artifacts)"* ]]
	# The filters are values, never SQL.
	run_zn 0 zn-artifact list --json --table "we\"ird sch;ema.ta ble'"
	[ "$(printf '%s\n' "$output" | grep -c '"kind":"artifact"')" = 2 ]
	run_zn 0 zn-artifact list --json --table "ta ble'" --status parked
	[ "$(printf '%s\n' "$output" | grep -c '"kind":"artifact"')" = 2 ]
	run_zn 0 zn-artifact list --json --migration "x'; DROP TABLE _zanith_migration_artifacts; --"
	[ -z "$output" ]
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_artifacts")" = 2 ]
	id=$(ledger "SELECT artifact_id FROM _zanith_migration_artifacts WHERE src_column = 'co\"l; drop'")
	run_zn 0 zn-artifact export "$id" --format jsonl
	[ "$(printf '%s\n' "$output" | head -n 1 | jq -c .)" = '{"i d":1,"co\"l; drop":"v1"}' ]
	# The name taken: refused, nothing changed; --as restores it aside.
	zn_sql -c "ALTER TABLE \"we\"\"ird sch;ema\".\"ta ble'\" ADD COLUMN \"co\"\"l; drop\" int"
	run_zn 1 zn-artifact restore "$id"
	[[ "$stderr" == *"already has a column co\"l; drop"* ]]
	[[ "$stderr" == *"--as NAME"* ]]
	run_zn 0 zn-artifact restore "$id" --as "old co\"l"
	[ "$(ledger "SELECT count(*) FROM \"we\"\"ird sch;ema\".\"ta ble'\" WHERE \"old co\"\"l\" = 'v' || \"i d\"")" = 100 ]
	# The long name's column, by its table and name.
	run_zn 0 zn-artifact restore-column "we\"ird sch;ema.ta ble'.$long"
	[ "$(ledger "SELECT sum(\"$long\") FROM \"we\"\"ird sch;ema\".\"ta ble'\"")" = 5050 ]
}

@test "list gives names with a tab, a newline and backslashes as they are, in records and in the table" {
	name=$(printf 'a\tb\nc\\\\N@\\')
	q=$(printf '%s' "$name" | sed 's/"/""/g')
	twin "CREATE TABLE \"$q\" (id int PRIMARY KEY, \"$q\" int); INSERT INTO \"$q\" VALUES (1, 1)" "ALTER TABLE \"$q\" DROP COLUMN \"$q\""
	park --drop-policy archive
	run_zn 0 zn-artifact list --json
	[ "$(printf '%s\n' "$output" | jq -r .source.name)" = "$name" ]
	[ "$(printf '%s\n' "$output" | jq -r .source.column)" = "$name" ]
	[ "$(printf '%s\n' "$output" | jq -r .status)" = parked ]
	[ "$(printf '%s\n' "$output" | jq -r .went_with)" = "[]" ]
	run_zn 0 zn-artifact list --table-output
	[[ "$output" == *"(1 artifact)"* ]]
	# A filter's value is taken as it is, an @ in it too.
	run_zn 0 zn-artifact list --json --table "$name"
	[ "$(printf '%s\n' "$output" | jq -r .source.name)" = "$name" ]
}

@test "cleanup --older-than 30: 29, 30 and 31 days old; --dry-run changes nothing; the lock held is exit 3; purges are recorded" {
	twin "$SETUP_ARCH" "ALTER TABLE public.acct DROP COLUMN note, DROP COLUMN legacy; DROP TABLE public.hist"
	park
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_artifacts")" = 3 ]
	# Ages set in the ledger: made 29, 30 and 31 days ago, each with the
	# 30 days of retention it was given.
	ledger "UPDATE _zanith_migration_artifacts a SET created_at = now() - (d || ' days')::interval, expires_at = now() - (d || ' days')::interval + interval '30 days' FROM (VALUES ('note', 29), ('legacy', 30), (NULL, 31)) v(c, d) WHERE a.src_column IS NOT DISTINCT FROM v.c" >/dev/null
	# Newest first by when they were made, whatever their numbers.
	run_zn 0 zn-artifact list --json
	[ "$(printf '%s\n' "$output" | jq -r '.source.column // .source.name' | paste -sd,)" = note,legacy,hist ]
	ledger "UPDATE _zanith_migration_artifacts SET created_at = (SELECT min(created_at) FROM _zanith_migration_artifacts)" >/dev/null
	run_zn 0 zn-artifact list --json
	[ "$(printf '%s\n' "$output" | jq -r .number | paste -sd,)" = "$(ledger "SELECT string_agg(id::text, ',' ORDER BY id DESC) FROM _zanith_migration_artifacts")" ]
	ledger "UPDATE _zanith_migration_artifacts a SET created_at = now() - (d || ' days')::interval FROM (VALUES ('note', 29), ('legacy', 30), (NULL, 31)) v(c, d) WHERE a.src_column IS NOT DISTINCT FROM v.c" >/dev/null
	before=$(ledger "SELECT string_agg(status, ',' ORDER BY id) FROM _zanith_migration_artifacts")
	run_zn 0 zn-artifact cleanup --older-than 30 --dry-run
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	[[ "$output" == "would purge "*"::soft_drop_table::public.hist: DROP TABLE public._zanith_dropped_hist_"* ]]
	[ "$(ledger "SELECT string_agg(status, ',' ORDER BY id) FROM _zanith_migration_artifacts")" = "$before" ]
	# Only the one made 31 days ago goes: 30 days ago is not older than
	# 30 calendar days.
	run_zn 0 zn-artifact cleanup --older-than 30 --reason "nightly"
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	[[ "$output" == "purged "*"::soft_drop_table::public.hist: DROP TABLE"* ]]
	[ "$(ledger "SELECT string_agg(coalesce(src_column, '-') || ' ' || status, ',' ORDER BY src_column NULLS FIRST) FROM _zanith_migration_artifacts")" = "- purged,legacy parked,note parked" ]
	[ "$(ledger "SELECT to_regclass('public._zanith_dropped_hist_' || split_part(park_name, '_', 5)) FROM _zanith_migration_artifacts WHERE src_column IS NULL")" = "" ]
	[ "$(ledger "SELECT actor = current_user AND reason = 'nightly' AND detail->>'was' = 'expired' FROM _zanith_events WHERE kind = 'purge'")" = t ]
	# Nothing due: exit 0, no output.
	run_zn 0 zn-artifact cleanup --older-than 30
	assert_output ""
	# 30d is the same; --all-ages ignores expiry; 12h is exact.
	run_zn 0 zn-artifact cleanup --older-than 30d
	assert_output ""
	ledger "UPDATE _zanith_migration_artifacts SET expires_at = now() + interval '1 day'" >/dev/null
	run_zn 0 zn-artifact cleanup --older-than 12h --dry-run
	assert_output ""
	run_zn 0 zn-artifact cleanup --older-than 12h --all-ages --dry-run
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 2 ]

	# zn-apply holds the lock: cleanup is busy, exit 3, and changes nothing.
	mkdir migrations
	mig 20260101_000000_slow "SELECT pg_sleep(60)"
	zn-apply migrations >apply.out 2>&1 &
	local applier=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND state = 'active')"
	run_zn 3 zn-artifact cleanup --all-ages --lock-wait 0
	[[ "$stderr" == *"lock"* ]]
	ledger "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'" >/dev/null
	wait "$applier" || true
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_artifacts WHERE status = 'parked'")" = 2 ]
	# Purge by id: permanent, recorded; again, a no-op.
	id=$(ledger "SELECT artifact_id FROM _zanith_migration_artifacts WHERE src_column = 'note'")
	run_zn 0 zn-artifact purge "$id" --reason "not needed"
	[ "$(ledger "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.acct'::regclass AND attname LIKE '_zanith_dropped_note%' AND NOT attisdropped")" = 0 ]
	run_zn 0 zn-artifact purge "$id"
	[[ "$output" == *"purged already: nothing to do"* ]]
	run_zn 1 zn-artifact restore "$id"
	[[ "$stderr" == *"it was purged"* ]]
	[ "$(ledger "SELECT count(*) FROM _zanith_events WHERE kind = 'purge'")" = 2 ]
}

@test "chains: soft drop a column, archive its table, restore the table, then the column" {
	twin "$SETUP_T" "ALTER TABLE public.t DROP COLUMN b"
	park
	cp b.graph soft.graph
	# Then the table goes too, into the archive.
	zn-snapshot >a1.graph
	psql -q -X -d postgres -c "DROP DATABASE IF EXISTS \"${ZN_TEST_DB}_e\"" \
	    -c "CREATE DATABASE \"${ZN_TEST_DB}_e\"" >/dev/null
	zn-snapshot -d "${ZN_TEST_DB}_e" >e.graph
	zn-diff --drop-policy archive a1.graph e.graph | zn-classify >plan.jsonl
	run_zn 0 zn-apply plan.jsonl
	run_zn 0 zn-artifact list --json
	printf '%s\n' "$output" >list.jsonl
	# The column's artifact says where it is now: in the archived table.
	[ "$(jq -r 'select(.artifact_type == "soft_drop_column") | .parked_at' list.jsonl)" = "_zanith_archive.$(ledger "SELECT park_name FROM _zanith_migration_artifacts WHERE kind = 'archive_table'").$(ledger "SELECT park_column FROM _zanith_migration_artifacts WHERE kind = 'soft_drop_column'")" ]
	[ "$(jq -r .status list.jsonl | paste -sd,)" = "parked,parked" ]
	# The column cannot come back before its table.
	run_zn 1 zn-artifact restore-column t.b
	[[ "$stderr" == *"restore the table first"* ]]
	run_zn 0 zn-artifact restore-table t
	[ "$(ledger "SELECT count(*) FROM public.t")" = 2000 ]
	run_zn 0 zn-artifact list --json --status parked
	[ "$(printf '%s\n' "$output" | jq -r .parked_at)" = "public.t.$(ledger "SELECT park_column FROM _zanith_migration_artifacts WHERE kind = 'soft_drop_column'")" ]
	run_zn 0 zn-artifact restore-column t.b
	[ "$(ledger "SELECT sum(b) FROM public.t")" = 2001000 ]
	zn-snapshot >c.graph
	same a.graph c.graph
	run_zn 0 zn-artifact list --json --status missing
	assert_output ""
}

@test "a ledger of version 1 is brought to version 2 with its artifacts named and kept" {
	twin "$SETUP_ARCH" "ALTER TABLE public.acct DROP COLUMN note"
	park
	# Back to what version 1 held.
	ledger "ALTER TABLE _zanith_migration_artifacts DROP COLUMN artifact_id, DROP COLUMN status, DROP COLUMN src_schema, DROP COLUMN src_name, DROP COLUMN src_column, DROP COLUMN park_schema, DROP COLUMN park_name, DROP COLUMN park_column, DROP COLUMN relid, DROP COLUMN src_relid, DROP COLUMN column_info, DROP COLUMN went_with, DROP COLUMN recovery_sql, DROP COLUMN purge_sql, DROP COLUMN bytes, DROP COLUMN checksum_at, DROP COLUMN expires_at CASCADE; UPDATE _zanith_migration_artifacts SET rows = NULL, checksum = NULL; UPDATE _zanith_ledger SET value = '1' WHERE key = 'version'" >/dev/null
	run_zn 0 zn-artifact list --json
	[ "$(ledger "SELECT value FROM _zanith_ledger WHERE key = 'version'")" = 2 ]
	[ "$(printf '%s\n' "$output" | jq -r '"\(.status) \(.artifact_type) \(.object) \(.parked_at)"')" = "parked soft_drop_column public.acct.note public.acct.$(ledger "SELECT parked_as FROM _zanith_migration_artifacts")" ]
	[[ "$(printf '%s\n' "$output" | jq -r .id)" == *"::soft_drop_column::public.acct.note" ]]
	# Its expiry: 30 days from when it was made.
	[ "$(ledger "SELECT expires_at - created_at FROM _zanith_migration_artifacts")" = "30 days" ]
	# Without a digest it is not restored unless asked to.
	run_zn 1 zn-artifact restore-column acct.note
	[[ "$stderr" == *"no digest of its rows was recorded"* ]]
	run_zn 0 zn-artifact restore-column acct.note --ignore-checksum
	[ "$(ledger "SELECT count(note) FROM public.acct")" = 3000 ]
}

@test "soft drops and archives are not data loss to zn-classify; a plain drop still is" {
	twin "$SETUP_ARCH" "ALTER TABLE public.acct DROP COLUMN legacy; DROP TABLE public.hist"
	for policy in soft archive; do
		run_zn 0 sh -c "zn-diff --drop-policy $policy a.graph b.graph | zn-classify --max-risk 60"
		printf '%s\n' "$output" | jq -s -e 'map(select(.kind == "op")) | length == 2 and all(.risk.level != "destructive" and .risk.level != "critical" and .risk.facts.data_loss == "none")' >/dev/null
	done
	run_zn 1 sh -c "zn-diff --drop-policy drop a.graph b.graph | zn-classify"
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "end") | .refusals[] | "\(.gate) \(.op)"' | paste -sd,)" = "allow_destructive dropColumn,allow_destructive dropTable" ]
}

@test "zn recover is zn-artifact; usage errors are 64, an unknown artifact 1, a server down 2" {
	run_zn 0 zn recover list
	run_zn 64 zn-artifact
	run_zn 64 zn-artifact frobnicate
	run_zn 64 zn-artifact restore
	run_zn 64 zn-artifact list --status gone
	run_zn 64 zn-artifact export x --format xml
	run_zn 64 zn-artifact cleanup --older-than soon
	run_zn 64 zn-artifact list --as x
	run_zn 1 zn-artifact restore nosuch
	[[ "$stderr" == *"no artifact 'nosuch'"* ]]
	twin "$SETUP_T" "ALTER TABLE public.t DROP COLUMN b"
	park
	run_zn 1 zn-artifact inspect nosuch
	run_zn 1 zn-artifact restore-table nosuch
	run_zn 2 zn-artifact -d "host=/nonexistent dbname=x password=sekrit" list
	[[ "$stderr" != *sekrit* ]]
	run_zn 0 zn-artifact --help
	[[ "$output" == *"cleanup"* ]]
	run_zn 0 zn-artifact --version
}

@test "retention: --retention, then the environment's, then zanith.yaml's, else 30 days; a bad one is refused" {
	expiry() {
		ledger "SELECT extract(day FROM expires_at - created_at) FROM _zanith_migration_artifacts ORDER BY id DESC LIMIT 1"
	}
	again() {
		zn_sql -c "ALTER TABLE public.t RENAME COLUMN \"$(ledger "SELECT park_column FROM _zanith_migration_artifacts ORDER BY id DESC LIMIT 1")\" TO b"
	}
	twin "$SETUP_T" "ALTER TABLE public.t DROP COLUMN b"
	zn-diff a.graph b.graph >plan.jsonl
	run_zn 0 zn-apply plan.jsonl
	[ "$(expiry)" = 30 ]
	printf 'retention: 7\nenvironments:\n  prod:\n    retention: 90d\n    max_risk: 60\n' >zanith.yaml
	for want in "7|" "90|ZN_ENV=prod" "2|--retention 2"; do
		again
		ledger "DELETE FROM _zanith_migration_steps; DELETE FROM _zanith_migrations" >/dev/null
		# shellcheck disable=SC2086
		if [ "${want#*|}" = ZN_ENV=prod ]; then
			ZN_ENV=prod run_zn 0 zn-apply plan.jsonl
		else
			run_zn 0 zn-apply ${want#*|} plan.jsonl
		fi
		[ "$(expiry)" = "${want%%|*}" ]
	done
	printf 'retention: forever\n' >zanith.yaml
	run_zn 65 zn-apply plan.jsonl
	[[ "$stderr" == *"zanith.yaml:1:"*"'retention' is a number of days"* ]]
	run_zn 64 zn-apply --retention 0 plan.jsonl
}

@test "contrib: the cron line runs as written, and the systemd service and timer verify" {
	local f=$ZN_TOP/contrib/cron/zn-artifact-cleanup line cmd
	# cron.d: settings, and entries of five time fields, a user, a command.
	while IFS= read -r line; do
		case $line in
		'#'* | '') continue ;;
		[A-Z]*=*) continue ;;
		esac
		awk 'NF < 7 { exit 1 }
		    { for (i = 1; i <= 5; i++) if ($i !~ /^[0-9*\/,-]+$/) exit 1 }' <<<"$line"
		cmd=$(awk '{ $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print }' <<<"$line")
		[[ "$cmd" == "cd /srv/app && zn-artifact cleanup "* ]]
	done <"$f"
	[ -n "$cmd" ]
	# Its command, run here: nothing due is exit 0 and no output; the
	# lock held elsewhere (exit 3) is not a failure either.
	twin "$SETUP_T" "ALTER TABLE public.t DROP COLUMN b"
	park
	run_zn 0 sh -c "${cmd/cd \/srv\/app/cd .}"
	assert_output ""
	ledger "UPDATE _zanith_migration_artifacts SET created_at = now() - interval '40 days', expires_at = now() - interval '10 days'" >/dev/null
	run_zn 0 sh -c "${cmd/cd \/srv\/app/cd .}"
	[[ "$output" == "purged "*"::soft_drop_column::public.t.b: ALTER TABLE public.t DROP COLUMN _zanith_dropped_b_"* ]]
	[ "$(ledger "SELECT reason FROM _zanith_events WHERE kind = 'purge'")" = "nightly cleanup" ]
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		skip "no systemd-analyze here: the cron line was checked"
	fi
	mkdir -p sd/man/man1
	cp "$ZN_TOP/man/zn-artifact.1" sd/man/man1/
	sed "s|/usr/local/bin/zn-artifact|$(command -v zn-artifact)|" \
	    "$ZN_TOP/contrib/systemd/zn-artifact-cleanup.service" >sd/zn-artifact-cleanup.service
	cp "$ZN_TOP/contrib/systemd/zn-artifact-cleanup.timer" sd/
	grep -q '^ExecStart=.*zn-artifact cleanup --older-than 30 ' sd/zn-artifact-cleanup.service
	(cd sd && MANPATH="$PWD/man" run_zn 0 systemd-analyze verify ./zn-artifact-cleanup.service ./zn-artifact-cleanup.timer)
}

@test "a restore killed while it fills the column goes on where it stopped when run again" {
	twin "CREATE TABLE public.w (id int PRIMARY KEY, v text NOT NULL DEFAULT 'd');
INSERT INTO public.w SELECT g, 'v' || g FROM generate_series(1, 60000) g;
CREATE TABLE keep_w AS SELECT * FROM public.w;" "ALTER TABLE public.w DROP COLUMN v"
	park --drop-policy archive
	id=$(newest artifact_id)
	zn-artifact restore "$id" --batch-size 50 >restore.out 2>restore.err &
	local pid=$!
	# Killed once the column is back and some of it is filled.
	zn_wait_sql "SELECT count(v) > 0 FROM public.w" 60
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 130 ] || { cat restore.out restore.err >&2; false; }
	grep -q "interrupted" restore.err || { cat restore.out restore.err >&2; false; }
	[ "$(newest status)" = parked ]
	[ "$(ledger "SELECT count(v) < 60000 FROM public.w")" = t ]
	# Run again: it goes on, without asking for the name to be free.
	run_zn 0 zn-artifact restore "$id"
	[ "$(ledger "SELECT count(*) FROM public.w w JOIN keep_w k USING (id) WHERE w.v IS DISTINCT FROM k.v")" = 0 ]
	[ "$(ledger "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.w'::regclass AND attname = 'v'")" = t ]
	[ "$(newest status)" = restored ]
	[ "$(ledger "SELECT string_agg(kind, ',' ORDER BY id) FROM _zanith_events WHERE kind LIKE 'restore%'")" = "restore-begin,restore" ]
}

@test "rebuildTable keeps the table's definition from before, and the old table it parks; it is forensic only" {
	zn_sql -c "CREATE TABLE public.r (id int PRIMARY KEY, v varchar(10))" \
	    -c "INSERT INTO public.r SELECT g, 'x' || g FROM generate_series(1, 50) g"
	mkdir migrations
	cat >migrations/20260301_000000_rebuild.yaml <<-'YAML'
	ops:
	  - op: rebuildTable
	    target: public.r
	    args: {schema: public, table: r, parked_as: _zanith_dropped_r_old}
	    sql:
	      - CREATE TABLE public.r_new (id int PRIMARY KEY, v text)
	      - INSERT INTO public.r_new SELECT id, v FROM public.r
	      - ALTER TABLE public.r RENAME TO _zanith_dropped_r_old
	      - ALTER TABLE public.r_new RENAME TO r
	YAML
	run_zn 0 zn-apply migrations
	id=20260301_000000_rebuild::rebuild_table::public.r
	[ "$(ledger "SELECT artifact_id || ' ' || status || ' ' || rows FROM _zanith_migration_artifacts")" = "$id parked 50" ]
	run_zn 0 zn-artifact inspect "$id" --json
	[ "$(printf '%s\n' "$output" | jq -r '.definition_before | "\(.name) \(.columns[1].type)"')" = "r character varying(10)" ]
	run_zn 1 zn-artifact restore "$id"
	[[ "$stderr" == *"forensic only"* ]]
	run_zn 0 zn-artifact purge "$id"
	[ "$(ledger "SELECT to_regclass('public._zanith_dropped_r_old') IS NULL")" = t ]
	[ "$(ledger "SELECT count(*) FROM public.r")" = 50 ]
}

@test "a type parked with a table comes back with it; cleanup purges the table before the type it used" {
	twin "CREATE TYPE public.mood AS ENUM ('a', 'b');
CREATE TABLE public.feel (id serial PRIMARY KEY, m public.mood, ms public.mood[]);
INSERT INTO public.feel (m, ms) VALUES ('a', '{a,b}'), ('b', '{b}');" "DROP TABLE public.feel; DROP TYPE public.mood"
	park
	[ "$(ledger "SELECT string_agg(kind, ',' ORDER BY kind) FROM _zanith_migration_artifacts")" = "soft_drop_table,soft_drop_type" ]
	run_zn 0 zn-artifact restore-table feel
	[[ "$output" == *"::soft_drop_type::public.mood"* ]]
	[ "$(ledger "SELECT string_agg(m::text || ':' || ms::text, ',' ORDER BY id) FROM public.feel")" = "a:{a,b},b:{b}" ]
	same a.graph <(zn-snapshot)
	[ "$(ledger "SELECT string_agg(status, ',') FROM _zanith_migration_artifacts")" = "restored,restored" ]
	# Parked again, and cleaned up: the table first, then its type.
	zn-snapshot >a.graph
	mkdir migrations
	run_zn 0 zn-diff -o migrations --name again a.graph b.graph
	run_zn 0 zn-apply migrations
	ledger "UPDATE _zanith_migration_artifacts SET expires_at = now() - interval '1 day' WHERE status = 'parked'" >/dev/null
	run_zn 0 zn-artifact cleanup
	[ "$(printf '%s\n' "$output" | sed 's/::.*//; s/^purged //' | wc -l)" -eq 2 ]
	[[ "$(printf '%s\n' "$output" | head -n 1)" == *"::soft_drop_table::public.feel: DROP TABLE"* ]]
	[[ "$(printf '%s\n' "$output" | tail -n 1)" == *"::soft_drop_type::public.mood: DROP TYPE"* ]]
}

@test "what does not go as planned: --ignore-checksum restores changed rows and says so; a unique index that rows written meanwhile break is reported, exit 1, no invalid index left; a purge that something needs is refused, nothing changed" {
	twin "CREATE TABLE public.u (id int PRIMARY KEY, code text NOT NULL DEFAULT 'same', note text);
CREATE UNIQUE INDEX u_code ON public.u (code);
INSERT INTO public.u SELECT g, 'c' || g, 'n' FROM generate_series(1, 100) g;" "ALTER TABLE public.u DROP COLUMN code"
	park
	id=$(newest artifact_id)
	parked=$(newest park_column)
	# Two rows written while it was parked: both get the default back,
	# which the unique index cannot take.
	zn_sql -c "INSERT INTO public.u (id, note) VALUES (101, 'x'), (102, 'y')"
	# Changed by hand, then restored anyway, knowingly.
	zn_sql -c "UPDATE public.u SET \"$parked\" = 'edited' WHERE id = 5"
	run_zn 1 zn-artifact restore "$id"
	[[ "$stderr" == *"its rows changed since they were parked"* ]]
	run_zn 1 zn-artifact restore "$id" --ignore-checksum
	[[ "$stderr" == *"restoring them as they are (--ignore-checksum)"* ]]
	[[ "$stderr" == *"could not bring back index u_code"* ]]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname = 'u_code'")" = 0 ]
	[ "$(ledger "SELECT code FROM public.u WHERE id = 5")" = edited ]
	[ "$(newest status)" = restored ]
	[ "$(ledger "SELECT jsonb_array_length(detail->'failed') || ' ' || (detail->'checksum'->>'recorded' <> detail->'checksum'->>'now') FROM _zanith_events WHERE kind = 'restore'")" = "1 true" ]
	# A parked table a view still reads cannot be purged.
	twin "CREATE TABLE public.old (id int);" "DROP TABLE public.old"
	park
	old=$(ledger "SELECT park_name FROM _zanith_migration_artifacts WHERE src_name = 'old'")
	zn_sql -c "CREATE VIEW public.reads_old AS SELECT * FROM public.\"$old\""
	run_zn 1 zn-artifact purge public.old
	[[ "$stderr" == *"cannot purge"*"nothing was changed"* ]]
	[ "$(ledger "SELECT status FROM _zanith_migration_artifacts WHERE src_name = 'old'")" = parked ]
	[ "$(ledger "SELECT to_regclass('public.\"$old\"') IS NOT NULL")" = t ]
}
