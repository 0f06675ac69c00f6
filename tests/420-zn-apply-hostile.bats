#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-apply on hostile names: tables and columns whose names hold printf
# directives (%s, %n), backslashes, quotes and newlines, parked by every
# drop policy that parks (soft-drop and archive), each leaving the right
# artifact row.  A name is data: it never reaches a format string.

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
	cd "$BATS_TEST_TMPDIR" || return 1
}

ledger() {
	psql -X -A -t -v ON_ERROR_STOP=1 -c "$1"
}

# The hostile tables in database $1, each with two rows.
hostile() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
	CREATE TABLE "t%s%n" (id int PRIMARY KEY, "v%n" text);
	CREATE TABLE "b\ack" (id int PRIMARY KEY, "c\d" text);
	CREATE TABLE "new
line" (id int PRIMARY KEY, "q""uote" text);
	INSERT INTO "t%s%n" VALUES (1, 'a%sb'), (2, NULL);
	INSERT INTO "b\ack" VALUES (1, E'x\\y'), (2, 'z');
	INSERT INTO "new
line" VALUES (1, E'l\nm'), (2, '%n');
	SQL
}

# plan FILE ARGS...: zn-diff's op stream into FILE.
plan() {
	local f=$1
	shift
	run_zn 0 zn-diff "$@"
	printf '%s\n' "$output" >"$f"
}

# Graphs of the hostile database and of an empty one.
graphs() {
	hostile "$ZN_TEST_DB"
	run_zn 0 zn-snapshot -o full.graph
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_e\""
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_e" -o empty.graph
}

@test "archiving tables named with %s, %n, a backslash and a newline keeps their rows and records each" {
	graphs
	plan plan.jsonl --drop-policy archive full.graph empty.graph
	[ "$(jq -r 'select(.kind == "op") | .op' plan.jsonl | sort -u)" = archiveTable ]
	run_zn 0 zn-apply plan.jsonl
	[ "$(ledger "SELECT count(*) FROM _zanith_migration_artifacts WHERE kind = 'archive_table'")" = 3 ]
	# Each row names its table as the plan did, and counts and sums the
	# rows now in the archive.
	ledger "SELECT object, rows FROM _zanith_migration_artifacts ORDER BY object" >rows.txt
	printf '%s\n' 'public.b\ack|2' 'public.new' 'line|2' 'public.t%s%n|2' >want.txt
	diff -u want.txt rows.txt
	while IFS= read -r parked; do
		sum=$(ledger "SELECT checksum FROM _zanith_migration_artifacts WHERE parked_as = '$(printf '%s' "$parked" | sed "s/'/''/g")'")
		[ -n "$sum" ]
	done < <(ledger "SELECT parked_as FROM _zanith_migration_artifacts WHERE parked_as NOT LIKE '%line%'")
	[ "$(ledger "SELECT count(*) FROM _zanith_archive.\"t%s%n_$(ledger "SELECT split_part(parked_as, '_', 4) FROM _zanith_migration_artifacts WHERE object = 'public.t%s%n'")\"")" = 2 ]
	# The stored checksum is the rows' digest, as zn-ledger(7) says.
	[ "$(ledger "SELECT a.checksum = 'h2:' || md5(count(*) || ':' || sum(coalesce(hashint4extended(t.id, 1), -1) # coalesce(hashtextextended(t.\"c\\d\" COLLATE \"C\", 2), -2))) FROM _zanith_migration_artifacts a, _zanith_archive.\"b\\ack_$(ledger "SELECT split_part(parked_as, '_', 4) FROM _zanith_migration_artifacts WHERE object = 'public.b\\ack'")\" t GROUP BY a.checksum, a.object HAVING a.object = 'public.b\\ack'")" = t ]
	# zn-apply's own report names the tables as they are.
	[[ $output == *'public.t%s%n'* ]]
}

@test "soft-dropping tables and columns with hostile names records each artifact, and the reverses bring them back" {
	graphs
	plan soft.jsonl full.graph empty.graph
	[ "$(jq -r 'select(.kind == "op") | .op' soft.jsonl | sort -u)" = softDropTable ]
	run_zn 0 zn-apply soft.jsonl
	[ "$(ledger "SELECT string_agg(object, ',' ORDER BY object) FROM _zanith_migration_artifacts WHERE kind = 'soft_drop_table'")" = "$(printf 'public.b\\ack,public.new\nline,public.t%%s%%n')" ]
	# The reverses, run by hand, give the tables back with their rows.
	jq -r 'select(.kind == "op") | .reverse[] + ";"' soft.jsonl >back.sql
	psql -X -q -v ON_ERROR_STOP=1 -f back.sql
	[ "$(ledger 'SELECT count(*) FROM "t%s%n"')" = 2 ]
	[ "$(ledger 'SELECT "c\d" FROM "b\ack" WHERE id = 1')" = 'x\y' ]
}

@test "archiving and soft-dropping columns with hostile names" {
	hostile "$ZN_TEST_DB"
	run_zn 0 zn-snapshot -o full.graph
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_c\""
	hostile "${ZN_TEST_DB}_c"
	psql -X -q -v ON_ERROR_STOP=1 -d "${ZN_TEST_DB}_c" \
	    -c 'ALTER TABLE "t%s%n" DROP COLUMN "v%n"' \
	    -c 'ALTER TABLE "b\ack" DROP COLUMN "c\d"'
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_c" -o cols.graph
	plan arch.jsonl --drop-policy archive full.graph cols.graph
	[ "$(jq -r 'select(.kind == "op") | .op' arch.jsonl | sort -u)" = archiveColumn ]
	run_zn 0 zn-apply arch.jsonl
	[ "$(ledger "SELECT string_agg(object || ' ' || rows, ',' ORDER BY object) FROM _zanith_migration_artifacts WHERE kind = 'archive_column'")" = 'public.b\ack.c\d 2,public.t%s%n.v%n 2' ]
	# The soft form on a fresh copy.
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_s\""
	hostile "${ZN_TEST_DB}_s"
	plan sd.jsonl full.graph cols.graph
	[ "$(jq -r 'select(.kind == "op") | .op' sd.jsonl | sort -u)" = softDropColumn ]
	run_zn 0 zn-apply -d "${ZN_TEST_DB}_s" sd.jsonl
	[ "$(psql -X -A -t -d "${ZN_TEST_DB}_s" -c "SELECT string_agg(object, ',' ORDER BY object) FROM _zanith_migration_artifacts WHERE kind = 'soft_drop_column'")" = 'public.b\ack.c\d,public.t%s%n.v%n' ]
}
