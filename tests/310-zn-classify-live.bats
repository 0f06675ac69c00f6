#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-classify against a live PostgreSQL: the worked anchors, table sizes
# from pg_class, and the data probes (what they find, that they never
# write, that they never outlive their timeout).

setup_file() { load helpers/common; zn_pg_start; }
teardown_file() { load helpers/common; zn_pg_stop; }
setup() {
	load helpers/common
	load helpers/classify
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
}

teardown() {
	[ -n "${BLOCKER:-}" ] && kill "$BLOCKER" 2>/dev/null
	# A writer left running by a failed test stops with it.
	touch "$BATS_TEST_TMPDIR/stop" 2>/dev/null
	if [ -n "${WRITER:-}" ]; then
		wait "$WRITER" 2>/dev/null
	fi
	return 0
}

@test "the 24 worked anchors: codes, score and level on PostgreSQL 15" {
	zn_sql <<-'SQL'
	CREATE TYPE mood AS ENUM ('ok', 'sad');
	CREATE TABLE r (id int PRIMARY KEY);
	CREATE TABLE t (id int PRIMARY KEY, a int, v varchar(10),
	    n numeric(10,2), rid int, b int);
	CREATE TABLE t2 (id int);
	CREATE TABLE t3 (id int, a int CONSTRAINT t3_a_nn CHECK (a IS NOT NULL));
	CREATE INDEX i ON t (b);
	INSERT INTO r VALUES (1);
	INSERT INTO t VALUES (1, 1, 'x', 1.5, 1, 1);
	INSERT INTO t3 VALUES (1, 1);
	SQL
	# Each raw op bounds its own lock_timeout, as raw SQL must.
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN x int
	ALTER TABLE t ADD COLUMN x1 int NOT NULL DEFAULT 0
	ALTER TABLE t ADD COLUMN x2 uuid DEFAULT gen_random_uuid()
	ALTER TABLE t ADD COLUMN x3 int NOT NULL
	ALTER TABLE t ALTER COLUMN v TYPE varchar(20)
	ALTER TABLE t ALTER COLUMN a TYPE bigint
	ALTER TABLE t ALTER COLUMN n TYPE numeric(10,0)
	ALTER TABLE t ALTER COLUMN a SET NOT NULL
	ALTER TABLE t3 ALTER COLUMN a SET NOT NULL
	ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)
	ALTER TABLE t ADD CONSTRAINT c2 CHECK (a > 0) NOT VALID
	ALTER TABLE t VALIDATE CONSTRAINT c2
	ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (rid) REFERENCES r (id)
	CREATE INDEX i1 ON t (a)
	nt CREATE INDEX CONCURRENTLY i2 ON t (a)
	ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)
	DROP INDEX i
	ALTER TABLE t RENAME COLUMN a TO a2
	ALTER TABLE t DROP COLUMN b
	DROP TABLE t2
	TRUNCATE r CASCADE
	raw ALTER TYPE mood ADD VALUE 'meh'
	ALTER TABLE t3 ENABLE ROW LEVEL SECURITY
	raw DO $$ BEGIN PERFORM 1; END $$
	SQL
	# No size modifiers ("no stats") and no probes: the anchors' terms.
	run_zn 1 zn-classify -d "" --no-preflight --small-rows 0 "$M"
	cat >want <<-'WANT'
	1 15 low takes_access_exclusive_lock
	2 15 low takes_access_exclusive_lock
	3 65 high rebuilds_table,takes_access_exclusive_lock
	4 60 high adds_required_column_without_default,takes_access_exclusive_lock
	5 20 low changes_column_type,takes_access_exclusive_lock
	6 65 high changes_column_type,rebuilds_table
	7 80 destructive changes_column_type,narrows_column_type,rebuilds_table
	8 55 high changes_column_nullable_to_not_null,takes_access_exclusive_lock
	9 15 low changes_column_nullable_to_not_null,takes_access_exclusive_lock
	10 55 high validates_under_strong_lock
	11 15 low takes_access_exclusive_lock
	12 15 low 
	13 55 high adds_foreign_key,validates_under_strong_lock
	14 50 high adds_index
	15 15 low adds_index,non_transactional_step
	16 60 high adds_unique_constraint
	17 30 medium drops_index,takes_access_exclusive_lock
	18 60 high rename_column,takes_access_exclusive_lock
	19 80 destructive drops_column_with_data,takes_access_exclusive_lock
	20 80 destructive drops_table_with_data
	21 85 destructive drops_table_with_data
	22 35 medium breaks_client_contract
	23 35 medium rls_change,takes_access_exclusive_lock
	24 60 high raw_sql
	WANT
	risks >got
	diff -u want got
	# The old types came from the catalog, not from args.
	op_is 5 '.risk.facts.details[] | select(.code == "changes_column_type") |
	    .detail | startswith("v character varying(10) -> varchar(20)")'
	# The 24th anchor: bigserial on a table of 50 million rows.
	mkmig <<<'ALTER TABLE t ADD COLUMN x4 bigserial'
	printf 'public,t,50000000,8000000000\n' >stats.csv
	run_zn 0 zn-classify -d "" --no-preflight --stats stats.csv "$M"
	[ "$(risk_of 1)" = "95 critical rebuilds_table,takes_access_exclusive_lock" ]
}

@test "sizes come from pg_class: large is critical, small is a band lower, never analysed is neither" {
	zn_sql <<-'SQL'
	CREATE TABLE big AS SELECT g AS a FROM generate_series(1, 30000) g;
	CREATE TABLE small AS SELECT g AS a FROM generate_series(1, 100) g;
	CREATE TABLE fresh (a int);
	INSERT INTO fresh SELECT g FROM generate_series(1, 50) g;
	ANALYZE big;
	ANALYZE small;
	SQL
	mkmig <<-'SQL'
	CREATE INDEX big_a ON big (a)
	CREATE INDEX small_a ON small (a)
	CREATE INDEX fresh_a ON fresh (a)
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	[ "$(risk_of 1)" = "95 critical adds_index" ]
	[ "$(risk_of 2)" = "35 medium adds_index" ]
	[ "$(risk_of 3)" = "50 high adds_index" ]
	op_is 1 '.risk.facts.tables["public.big"].rows == 30000 and
	    .risk.facts.tables["public.big"].source == "pg_class" and
	    .risk.facts.tables["public.big"].bytes > 0'
	op_is 3 '.risk.facts.tables["public.fresh"].rows == null'
	[ "$(refused 1)" = max_risk ]
	# --stats wins over the live numbers.
	printf 'schema,table,rows,bytes\npublic,big,10,8192\n' >stats.csv
	run_zn 0 zn-classify -d "" --large-rows 20000 --stats stats.csv "$M"
	[ "$(risk_of 1)" = "35 medium adds_index" ]
}

@test "a partitioned table and an inheritance parent are as large as their trees; CONCURRENTLY on a partitioned parent is refused" {
	zn_sql <<-'SQL'
	CREATE TABLE m (id bigint, at date, v text) PARTITION BY RANGE (at);
	CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
	CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2026-07-01') TO ('2027-01-01')
	    PARTITION BY RANGE (at);
	CREATE TABLE m2a PARTITION OF m2 FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
	INSERT INTO m SELECT g, '2026-01-01'::date + (g % 360), 'x' FROM generate_series(1, 30000) g;
	CREATE TABLE p (id bigint, v text);
	CREATE TABLE c1 () INHERITS (p);
	INSERT INTO c1 SELECT g, 'x' FROM generate_series(1, 30000) g;
	ANALYZE m;
	ANALYZE p;
	ANALYZE c1;
	SQL
	mkmig <<-'SQL'
	ALTER TABLE m ADD COLUMN r float8 DEFAULT random()
	ALTER TABLE m ALTER COLUMN v SET NOT NULL
	ALTER TABLE m ALTER COLUMN id TYPE text
	ALTER TABLE m ADD CONSTRAINT m_id CHECK (id > 0)
	nt CREATE INDEX CONCURRENTLY m_v ON m (v)
	ALTER TABLE p ALTER COLUMN id TYPE text
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	# Each is as large as its partitions (the parent's heap is empty):
	# critical, never "the table is empty".
	for n in 1 2 3 4 6; do
		[ "$(risk_of "$n" | cut -d' ' -f2)" = critical ] || { risk_of "$n" >&2; false; }
		op_is "$n" '[.risk.facts.tables[] | .rows] | max >= 29000'
		[ "$(refused "$n")" = max_risk ]
	done
	[ "$(risk_of 5)" = "95 critical adds_index,non_transactional_step" ]
	# The locks name the partitions the statement takes too.
	op_is 2 '[.risk.facts.locks[] | "\(.relation) \(.mode)"] == ["public.m ACCESS EXCLUSIVE", "public.m1 ACCESS EXCLUSIVE", "public.m2 ACCESS EXCLUSIVE", "public.m2a ACCESS EXCLUSIVE"]'
	op_is 6 '[.risk.facts.locks[].relation] == ["public.p", "public.c1"]'
	op_is 5 '[.risk.facts.details[].detail] | any(startswith("PostgreSQL refuses CREATE INDEX CONCURRENTLY on public.m, a partitioned table"))'
	# ONLY takes the parent alone.
	printf '{"ops": [{"op": "rawSql", "sql": ["SET lock_timeout = 1000", "ALTER TABLE ONLY m ADD CONSTRAINT m_k CHECK (id > 0) NOT VALID"]}]}' >only.yaml
	run_zn 0 zn-classify -d "" only.yaml
	op_is 1 '[.risk.facts.locks[].relation] == ["public.m"]'
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	# Small trees are small, not empty.
	run_zn 0 zn-classify -d "" "$M"
	[ "$(risk_of 1 | cut -d' ' -f1)" -ge 60 ]
	[ "$(risk_of 6 | cut -d' ' -f1)" -ge 60 ]
}

@test "zn-diff's index on a large partitioned table is the online form: ON ONLY, each partition CONCURRENTLY, attached; it passes --max-risk 60" {
	zn_sql <<-'SQL'
	CREATE TABLE m (id bigint, at date, v text) PARTITION BY RANGE (at);
	CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
	CREATE TABLE m2 PARTITION OF m FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
	INSERT INTO m SELECT g, '2026-01-01'::date + (g % 360), 'x' FROM generate_series(1, 30000) g;
	ANALYZE m;
	SQL
	zn-snapshot >a.graph
	zn_sql -c "CREATE INDEX m_v ON m (v)"
	zn-snapshot >b.graph
	zn_sql -c "DROP INDEX m_v"
	run_zn 0 sh -c "zn-diff a.graph b.graph | zn-classify --large-rows 20000 --max-risk 60"
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "op") | "\(.transactional) \(.sql | join("; "))"')" = "true CREATE INDEX m_v ON ONLY public.m USING btree (v)
false CREATE INDEX CONCURRENTLY m1_v_idx ON public.m1 USING btree (v)
false CREATE INDEX CONCURRENTLY m2_v_idx ON public.m2 USING btree (v)
true ALTER INDEX public.m_v ATTACH PARTITION public.m1_v_idx; ALTER INDEX public.m_v ATTACH PARTITION public.m2_v_idx" ]
}

@test "a column added with a domain that has a CHECK (directly or through its base) rewrites the table; one without does not" {
	zn_sql <<-'SQL'
	CREATE DOMAIN posint AS int CHECK (VALUE > 0);
	CREATE DOMAIN small_posint AS posint;
	CREATE DOMAIN plain AS int;
	CREATE TABLE t (id int);
	INSERT INTO t SELECT g FROM generate_series(1, 30000) g;
	ANALYZE t;
	SQL
	mkmig <<-'SQL'
	ALTER TABLE t ADD COLUMN a posint
	ALTER TABLE t ADD COLUMN b public.small_posint DEFAULT 5
	ALTER TABLE t ADD COLUMN c plain
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	[ "$(risk_of 1)" = "95 critical rebuilds_table,takes_access_exclusive_lock" ]
	[ "$(risk_of 2)" = "95 critical rebuilds_table,takes_access_exclusive_lock" ]
	op_is 1 '.risk.facts.work == "rewrite" and ([.risk.facts.details[].detail] | any(startswith("posint is a domain with a CHECK")))'
	[ "$(risk_of 3)" = "15 low takes_access_exclusive_lock" ]
	[ "$(refused 3)" = "" ]
}

@test "timestamp to timestamptz rewrites when the step sets a TimeZone that is not UTC, and only then" {
	zn_sql <<-'SQL'
	CREATE TABLE ts (id int, at timestamp, bt timestamptz);
	INSERT INTO ts SELECT g, now(), now() FROM generate_series(1, 30000) g;
	ANALYZE ts;
	SQL
	mkmig <<-'SQL'
	SET LOCAL TimeZone = 'Europe/Paris' ;; ALTER TABLE ts ALTER COLUMN at TYPE timestamptz
	SET TIME ZONE 'America/New_York' ;; ALTER TABLE ts ALTER COLUMN bt TYPE timestamp
	SET LOCAL timezone TO 'Etc/UTC' ;; ALTER TABLE ts ALTER COLUMN at TYPE timestamptz
	ALTER TABLE ts ALTER COLUMN at TYPE timestamptz
	SET TimeZone = 'Asia/Tokyo' ;; RESET TimeZone ;; ALTER TABLE ts ALTER COLUMN at TYPE timestamptz
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	for n in 1 2; do
		op_is "$n" '.risk.facts.work == "rewrite" and .risk.score == 95 and (.risk.reasons | index("rebuilds_table"))'
	done
	op_is 1 '[.risk.facts.details[].detail] | any(contains("sets TimeZone to '"'"'Europe/Paris'"'"'"))'
	for n in 3 4 5; do
		op_is "$n" '.risk.facts.work == "none" and .risk.score < 60'
	done
}

@test "a type change or a drop of a column a view uses is foreseen to fail, unless an earlier step drops the view" {
	zn_sql <<-'SQL'
	CREATE SCHEMA "we ird";
	CREATE TABLE vt (id int, a int, b text);
	CREATE VIEW "we ird"."v v" AS SELECT id, a FROM vt;
	CREATE MATERIALIZED VIEW mv AS SELECT b FROM vt;
	SQL
	mkmig <<-'SQL'
	ALTER TABLE vt ALTER COLUMN a TYPE bigint
	ALTER TABLE vt DROP COLUMN a
	ALTER TABLE vt ALTER COLUMN b TYPE varchar(5)
	DROP VIEW "we ird"."v v" ;; ALTER TABLE vt ALTER COLUMN a TYPE bigint
	ALTER TABLE vt DROP COLUMN a CASCADE
	ALTER TABLE vt ALTER COLUMN id TYPE bigint
	SQL
	run_zn 1 zn-classify -d "" --max-risk 60 "$M"
	# The table is empty: a failure is certain all the same.
	op_is 1 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(startswith("fails: \"we ird\".\"v v\" uses a, and PostgreSQL cannot change the type")))'
	op_is 2 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(startswith("fails: \"we ird\".\"v v\" uses a, and PostgreSQL refuses to drop it without CASCADE")))'
	op_is 3 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(startswith("fails: public.mv uses b")))'
	for n in 4 5 6; do
		op_is "$n" '[.risk.facts.details[].detail] | any(startswith("fails")) | not'
	done
}

@test "constraints that make a step scan: a CHECK on a column whose type change needs no rewrite, VALIDATE in the transaction of its NOT VALID add" {
	zn_sql <<-'SQL'
	CREATE TABLE ck (id int PRIMARY KEY, v varchar(10) CHECK (length(v) > 0), w varchar(10), n int);
	INSERT INTO ck SELECT g, 'x', 'y', g FROM generate_series(1, 30000) g;
	ANALYZE ck;
	SQL
	mkmig <<-'SQL'
	ALTER TABLE ck ALTER COLUMN v TYPE varchar(30)
	ALTER TABLE ck ALTER COLUMN w TYPE varchar(30)
	ALTER TABLE ck ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID ;; ALTER TABLE ck VALIDATE CONSTRAINT n_pos
	ALTER TABLE ck ADD CONSTRAINT n_pos2 CHECK (n > 0) NOT VALID
	ALTER TABLE ck VALIDATE CONSTRAINT n_pos2
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	op_is 1 '.risk.score == 95 and .risk.facts.work == "scan" and (.risk.reasons | index("validates_under_strong_lock"))'
	op_is 1 '[.risk.facts.details[].detail] | any(contains("ck_v_check, the CHECK on v, is checked again on every row"))'
	op_is 2 '.risk.score < 60 and .risk.facts.work == "none"'
	op_is 3 '.risk.score == 95 and (.risk.reasons | index("validates_under_strong_lock"))'
	op_is 4 '.risk.score < 60'
	op_is 5 '.risk.score < 60'
	[ "$(refused 3)" = max_risk ]
	[ "$(refused 5)" = "" ]
}

@test "an enum label used in the step that adds it is foreseen to fail; in a later step it is not" {
	zn_sql -c "CREATE TYPE mood AS ENUM ('ok', 'sad')" -c "CREATE TABLE mt (id int, m mood)"
	mkmig <<-'SQL'
	ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok' ;; UPDATE mt SET m = 'meh' WHERE id = 1
	ALTER TYPE mood ADD VALUE IF NOT EXISTS 'gah' AFTER 'ok'
	UPDATE mt SET m = 'gah' WHERE id = 1
	nt ALTER TYPE mood ADD VALUE 'x''y' BEFORE 'sad'
	SQL
	run_zn 1 zn-classify -d "" --max-risk 60 "$M"
	op_is 1 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(startswith("fails: the enum label '"'"'meh'"'"' is added in this step")))'
	for n in 2 3 4; do
		op_is "$n" '[.risk.facts.details[].detail] | any(startswith("fails")) | not'
	done
}

@test "PRIMARY KEY USING INDEX on a nullable column scans for NULLs under ACCESS EXCLUSIVE and is probed; after SET NOT NULL it does not" {
	zn_sql <<-'SQL'
	CREATE TABLE pk (a int, b text);
	INSERT INTO pk SELECT g, 'x' FROM generate_series(1, 30000) g;
	INSERT INTO pk VALUES (NULL, 'n');
	CREATE UNIQUE INDEX pk_a ON pk (a);
	ANALYZE pk;
	SQL
	mkmig <<-'SQL'
	ALTER TABLE pk ADD CONSTRAINT pk_pkey PRIMARY KEY USING INDEX pk_a
	ALTER TABLE pk ALTER COLUMN a SET NOT NULL
	ALTER TABLE pk ADD CONSTRAINT pk_pkey PRIMARY KEY USING INDEX pk_a
	SQL
	run_zn 1 zn-classify -d "" --large-rows 20000 --max-risk 60 "$M"
	op_is 1 '.risk.score == 95 and .risk.facts.work == "scan" and (.risk.reasons | index("changes_column_nullable_to_not_null"))'
	op_is 1 '.risk.facts.probes | any(.check == "nulls" and .status == "found")'
	op_is 3 '.risk.score < 60 and .risk.facts.work == "none"'
}

@test "a DROP without CASCADE of what views or foreign keys still need is foreseen to fail, unless earlier steps drop them" {
	zn_sql <<-'SQL'
	CREATE TABLE par (id int PRIMARY KEY);
	CREATE TABLE "ch i" (id int, pid int CONSTRAINT "chi fk" REFERENCES par);
	CREATE VIEW pv AS SELECT * FROM par;
	CREATE VIEW pv2 AS SELECT * FROM pv;
	SQL
	mkmig <<-'SQL'
	DROP TABLE par
	DROP VIEW pv
	DROP VIEW pv2 ;; DROP VIEW pv ;; ALTER TABLE "ch i" DROP CONSTRAINT "chi fk" ;; DROP TABLE par
	DROP TABLE par CASCADE
	SQL
	run_zn 0 zn-classify -d "" --allow-destructive "$M"
	op_is 1 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(. == "fails: foreign key \"chi fk\" of public.\"ch i\", view public.pv still needs public.par, and PostgreSQL refuses to drop it without CASCADE; drop those first"))'
	op_is 2 '.risk.score == 95 and ([.risk.facts.details[].detail] | any(startswith("fails: view public.pv2 still needs public.pv")))'
	for n in 3 4; do
		op_is "$n" '[.risk.facts.details[].detail] | any(startswith("fails")) | not'
	done
	# zn-diff's own plan drops the foreign key and the views first.
	zn-snapshot >a.graph
	psql -q -X -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_e\""
	psql -q -X -d "${ZN_TEST_DB}_e" -c 'CREATE TABLE "ch i" (id int, pid int)'
	zn-snapshot -d "${ZN_TEST_DB}_e" >b.graph
	run_zn 0 sh -c "zn-diff --drop-policy drop a.graph b.graph | zn-classify --allow-destructive"
	printf '%s\n' "$output" | jq -e -s 'map(select(.kind == "op")) | all([.risk.facts.details[].detail] | any(startswith("fails")) | not)' >/dev/null
}

@test "a foreign key dropped by raw SQL takes ACCESS EXCLUSIVE on the table it references too, known from the catalogs" {
	zn_sql <<-'SQL'
	CREATE TABLE "pa r" (id int PRIMARY KEY);
	CREATE TABLE ch (id int, pid int CONSTRAINT "f k" REFERENCES "pa r");
	SQL
	mkmig <<-'SQL'
	ALTER TABLE ch DROP CONSTRAINT "f k"
	ALTER TABLE ch DROP CONSTRAINT IF EXISTS nonesuch
	SQL
	run_zn 0 zn-classify -d "" --allow-destructive "$M"
	op_is 1 '[.risk.facts.locks[] | select(.mode == "ACCESS EXCLUSIVE") | .relation] | sort == ["public.\"pa r\"", "public.ch"]'
	op_is 2 '[.risk.facts.locks[].relation] == ["public.ch"]'
}

@test "probes find seeded duplicates, orphans, NULLs, rows, and values that do not fit, with samples" {
	zn_sql <<-'SQL'
	CREATE TABLE parent (id int PRIMARY KEY);
	CREATE TABLE child (id int PRIMARY KEY, pid int, email text,
	    code varchar(20), big bigint, note text);
	INSERT INTO parent VALUES (1), (2);
	INSERT INTO child VALUES (1, 1, 'dup@example.org', 'abc', 1, NULL),
	    (2, 3, 'dup@example.org', 'abcdefghijk', 5000000000, 'n'),
	    (3, NULL, 'b@example.org', 'x', 2, NULL);
	SQL
	mkmig <<-'SQL'
	ALTER TABLE child ADD CONSTRAINT child_email_key UNIQUE (email)
	nt CREATE UNIQUE INDEX CONCURRENTLY child_email_uidx ON child (lower(email)) WHERE id > 0
	ALTER TABLE child ADD CONSTRAINT child_pid_fk FOREIGN KEY (pid) REFERENCES parent (id)
	ALTER TABLE child ALTER COLUMN note SET NOT NULL
	ALTER TABLE child ADD COLUMN req int NOT NULL
	ALTER TABLE child ALTER COLUMN code TYPE varchar(5)
	ALTER TABLE child ALTER COLUMN big TYPE integer
	ALTER TABLE child ADD CONSTRAINT child_big_small CHECK (big < 100)
	ALTER TABLE child ADD CONSTRAINT child_id_key UNIQUE (id)
	ALTER TABLE child ADD CONSTRAINT child_pid_fk2 FOREIGN KEY (pid) REFERENCES parent (id) NOT VALID
	SQL
	run_zn 1 zn-classify -d "" "$M"
	for s in 1 2 3 4 5 6 7 8; do
		[ "$(refused "$s")" = preflight ] || fail "step $s: $(refused "$s")"
		[ "$(risk_of "$s" | cut -d' ' -f1-2)" = "95 critical" ] ||
		    fail "step $s: $(risk_of "$s")"
	done
	op_is 1 '.risk.facts.probes[0] | .check == "duplicates" and .status == "found" and
	    (.rows[0] | fromjson) == {"email":"dup@example.org","count":2}'
	op_is 2 '.risk.facts.probes[0].rows[0] | fromjson | .count == 2'
	op_is 3 '.risk.facts.probes[0] | .check == "orphans" and .rows == ["{\"pid\":3}"]'
	op_is 4 '.risk.facts.probes[0] | .check == "nulls" and (.rows | length) == 2 and
	    ((.rows[0] | fromjson).id == 1)'
	op_is 5 '.risk.facts.probes[0] | .check == "rows" and (.rows | length) == 3'
	op_is 6 '.risk.facts.probes[0] | .check == "out_of_range" and .rows == ["{\"code\":\"abcdefghijk\"}"]'
	op_is 7 '.risk.facts.probes[0].rows == ["{\"big\":5000000000}"]'
	op_is 8 '.risk.facts.probes[0] | .check == "violations" and (.rows | length) == 1'
	# Clean data: the probe ran and found nothing; NOT VALID needs none.
	[ "$(refused 9)" = "" ]
	op_is 9 '.risk.facts.probes[0].status == "clean"'
	[ "$(refused 10)" = "" ]
	op_is 10 '.risk.facts.probes == null'
	# The samples are on the terminal too.
	run script -qec "NO_COLOR=1 zn-classify -d '' -v $M" /dev/null
	assert_line --partial 'probe orphans on public.child: found'
	assert_line --partial '{"pid":3}'
	# --no-preflight: no probes, so no evidence and no refusal.
	run_zn 0 zn-classify -d "" --no-preflight --allow-destructive "$M"
	[ "$(risk_of 3)" = "55 high adds_foreign_key,validates_under_strong_lock" ]
}

@test "a probe never writes: a function that would write is refused by the read-only transaction" {
	zn_sql <<-'SQL'
	CREATE TABLE log (n int);
	CREATE TABLE people (id int, email text);
	INSERT INTO people VALUES (1, 'a'), (2, 'b');
	CREATE FUNCTION sneaky(text) RETURNS text LANGUAGE plpgsql VOLATILE
	    AS $$ BEGIN INSERT INTO log VALUES (1); RETURN $1; END $$;
	SQL
	mkmig <<<'CREATE UNIQUE INDEX people_sneaky ON people (sneaky(email))'
	run_zn 0 zn-classify -d "" "$M"
	op_is 1 '.risk.facts.probes[0].status == "refused_write"'
	[ "$(psql -X -At -c 'SELECT count(*) FROM log')" = 0 ]
	# Nothing else in the database changed either.
	[ "$(psql -X -At -c "SELECT count(*) FROM pg_class WHERE relname = 'people_sneaky'")" = 0 ]
}

@test "a probe never outlives its timeout, even behind a lock that is held" {
	zn_sql <<-'SQL'
	CREATE TABLE held (id int, note text);
	INSERT INTO held VALUES (1, NULL);
	SQL
	psql -X -q -c 'BEGIN' -c 'LOCK TABLE held IN ACCESS EXCLUSIVE MODE' \
	    -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 3>&- &
	BLOCKER=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'held'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
	mkmig <<<'ALTER TABLE held ALTER COLUMN note SET NOT NULL'
	start=$(date +%s%N)
	run_zn 0 zn-classify -d "" --probe-timeout 1s --max-risk 60 "$M"
	elapsed=$((($(date +%s%N) - start) / 1000000))
	# Bounded by the timeout, not by the blocker's minute (valgrind
	# slows the command itself).
	[ "$elapsed" -lt "$([ -n "${ZN_TEST_VALGRIND:-}" ] && echo 30000 || echo 6000)" ] ||
	    fail "took $elapsed ms"
	op_is 1 '.risk.facts.probes[0].status == "timeout"'
	# The table's size could not be read under the lock: estimated.
	[[ "$stderr" == *"a table is locked: its size is estimated"* ]]
	# No evidence: the op keeps its score and is not refused.
	[ "$(risk_of 1)" = "55 high changes_column_nullable_to_not_null,takes_access_exclusive_lock" ]
	kill "$BLOCKER"
	BLOCKER=
}

@test "a database that is down is exit 2; --offline never connects" {
	mkmig <<<'ALTER TABLE t ADD COLUMN x int'
	run_zn 2 zn-classify -d "host=$BATS_TEST_TMPDIR/nowhere port=5432" "$M"
	[[ "$stderr" == *"zn-classify:"* ]]
	[ -z "$output" ]
	printf 'database: "host=%s/nowhere port=5432"\n' "$BATS_TEST_TMPDIR" >zanith.yaml
	run_zn 2 zn-classify "$M"
	run_zn 0 zn-classify --offline "$M"
	run_zn 64 zn-classify --offline -d "" "$M"
}

@test "zn plan: the live database to the declaration, classified with the configured gates" {
	zn_sql -c 'CREATE TABLE users (id bigint PRIMARY KEY, email text)'
	cat >schema.sql <<-'SQL'
	CREATE TABLE users (id bigint PRIMARY KEY);
	SQL
	printf 'database: "dbname=%s"\nschema: schema.sql\nscratch: "host=%s port=5432 user=postgres dbname=postgres"\ngates:\n  max_risk: 35\n' \
	    "$ZN_TEST_DB" "$ZN_TEST_PGHOST" >zanith.yaml
	run_zn 0 zn commands
	assert_line plan
	assert_line classify
	run_zn 0 zn -n plan --env x
	[ "$output" = "zn-diff --json | zn-classify --env x" ]
	run_zn 1 zn plan
	[ "$(trailer | jq -r .verdict)" = blocked ]
	op_is 1 '.op == "softDropColumn" and .risk.refused_by[0].gate == "max_risk"'
	run_zn 0 zn plan --max-risk 60
	# The differ's failure is the plan's.
	printf 'schema: missing.sql\n' >zanith.yaml
	run_zn 2 zn plan
}

@test "VALIDATE of a constraint added NOT VALID earlier in the plan is probed" {
	zn_sql <<-'SQL'
	CREATE TABLE p (id int PRIMARY KEY);
	CREATE TABLE c (id int, pid int, qty int);
	INSERT INTO p VALUES (1);
	INSERT INTO c VALUES (1, 1, 5), (2, 9, -1);
	SQL
	mkmig <<-'SQL'
	ALTER TABLE c ADD CONSTRAINT c_qty CHECK (qty >= 0) NOT VALID
	ALTER TABLE c ADD CONSTRAINT c_pid FOREIGN KEY (pid) REFERENCES p (id) NOT VALID
	ALTER TABLE c VALIDATE CONSTRAINT c_qty
	ALTER TABLE c VALIDATE CONSTRAINT c_pid
	SQL
	run_zn 1 zn-classify -d "" "$M"
	[ "$(refused 1)" = "" ]
	[ "$(refused 2)" = "" ]
	[ "$(refused 3)" = preflight ]
	[ "$(refused 4)" = preflight ]
	op_is 3 '.risk.facts.probes[0] | .check == "violations" and (.rows[0] | fromjson).qty == -1'
	op_is 4 '.risk.facts.probes[0].rows == ["{\"pid\":9}"]'
}

@test "probes quote hostile names as the server does" {
	zn_sql <<-'SQL'
	CREATE SCHEMA "Sch ""Ω""; DROP";
	CREATE TABLE "Sch ""Ω""; DROP"."t; DROP TABLE x" ("Col Ω" int, "e""x" text);
	INSERT INTO "Sch ""Ω""; DROP"."t; DROP TABLE x" VALUES (NULL, 'a'), (1, 'a');
	SQL
	cat >"$M" <<-'YAML'
	ops:
	  - {op: rawSql, sql: ["SET lock_timeout = '1s'", "ALTER TABLE \"Sch \"\"Ω\"\"; DROP\".\"t; DROP TABLE x\" ALTER COLUMN \"Col Ω\" SET NOT NULL"]}
	  - {op: rawSql, sql: ["SET lock_timeout = '1s'", "ALTER TABLE \"Sch \"\"Ω\"\"; DROP\".\"t; DROP TABLE x\" ADD CONSTRAINT u UNIQUE (\"e\"\"x\")"]}
	YAML
	run_zn 1 zn-classify -d "" "$M"
	op_is 1 '.risk.facts.probes[0] | .status == "found" and .relation == "\"Sch \"\"Ω\"\"; DROP\".\"t; DROP TABLE x\""'
	op_is 2 '.risk.facts.probes[0] | .status == "found" and (.rows[0] | fromjson) == {"e\"x":"a","count":2}'
	[ "$(psql -X -At -c "SELECT count(*) FROM \"Sch \"\"Ω\"\"; DROP\".\"t; DROP TABLE x\"")" = 2 ]
}

@test "zn-diff's online forms run while a writer goes on, never blocked past the lock_timeout: a unique index made a key, NOT NULL proven by a check, a primary key after the check that proves it, an index on a partitioned table" {
	zn_sql <<-'SQL'
	CREATE TABLE acct (id int NOT NULL, code text, n int CONSTRAINT n_present CHECK (n IS NOT NULL));
	CREATE UNIQUE INDEX acct_code_idx ON acct (code);
	INSERT INTO acct SELECT g, 'c' || g, g FROM generate_series(1, 20000) g;
	CREATE TABLE ev (id bigint, at date NOT NULL, v text) PARTITION BY RANGE (at);
	CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
	CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
	INSERT INTO ev SELECT g, '2026-01-01'::date + (g % 360), 'x' FROM generate_series(1, 20000) g;
	CREATE SEQUENCE w_id START 100000;
	CREATE TABLE pk (id int, v text);
	INSERT INTO pk SELECT g, 'x' FROM generate_series(1, 20000) g;
	SQL
	zn-snapshot >a.graph
	zn_sql -c "ALTER TABLE acct ADD CONSTRAINT acct_code_key UNIQUE USING INDEX acct_code_idx" \
	    -c "ALTER TABLE acct ALTER COLUMN n SET NOT NULL" -c "CREATE INDEX ev_v ON ev (v)" \
	    -c "ALTER TABLE pk ADD PRIMARY KEY (id)"
	zn-snapshot >b.graph
	zn_sql -c "ALTER TABLE acct DROP CONSTRAINT acct_code_key" \
	    -c "CREATE UNIQUE INDEX acct_code_idx ON acct (code)" \
	    -c "ALTER TABLE acct ALTER COLUMN n DROP NOT NULL" -c "DROP INDEX ev_v" \
	    -c "ALTER TABLE pk DROP CONSTRAINT pk_pkey" \
	    -c "ALTER TABLE pk ALTER COLUMN id DROP NOT NULL"
	zn-diff a.graph b.graph | zn-classify --max-risk 60 >plan.jsonl
	[ "$(jq -r 'select(.kind == "op" and (.target | startswith("public.pk") | not)) | .sql[]' plan.jsonl | grep -c 'DROP INDEX\|CREATE UNIQUE INDEX\|_zanith_nn_')" -eq 0 ]
	# The key: its index built CONCURRENTLY, used once its column is
	# proven NOT NULL by a validated check.
	jq -s -e '[.[] | select(.kind == "op" and (.target | startswith("public.pk")))] |
	    (map(.op) | index("validateConstraint")) as $v |
	    (map(.op) | index("alterColumnNullable")) as $n |
	    (map(.op) | index("addPrimaryKey")) as $k |
	    $v != null and $n != null and $k != null and $v < $n and $n < $k and
	    (.[$k].sql[0] | test("PRIMARY KEY USING INDEX")) and
	    any(.[]; .sql[0] | test("CREATE UNIQUE INDEX CONCURRENTLY"))' plan.jsonl >/dev/null
	# A writer, each statement bounded: blocked past 6 s, it fails.
	: >fails
	: >ok
	(
		while [ ! -e stop ]; do
			if psql -X -q -v ON_ERROR_STOP=1 -c "SET statement_timeout = '6s'" \
			    -c "INSERT INTO acct VALUES (nextval('w_id'), 'w' || nextval('w_id'), 1)" \
			    -c "INSERT INTO ev VALUES (1, '2026-03-01', 'w')" \
			    -c "INSERT INTO pk VALUES (nextval('w_id'), 'w')" >/dev/null 2>>fails; then
				echo >>ok
			fi
		done
	) 3>&- &
	WRITER=$!
	zn_wait 30 "writes" test -s ok
	run_zn 0 zn-apply plan.jsonl
	local n
	n=$(wc -l <ok)
	zn_wait 30 "more writes" sh -c "[ \$(wc -l <ok) -gt $((n + 2)) ]"
	touch stop
	wait "$WRITER"
	WRITER=
	[ ! -s fails ] || { cat fails >&2; false; }
	zn-snapshot >c.graph
	run_zn 0 zn-diff c.graph b.graph
	[ "$(printf '%s\n' "$output" | jq -r 'select(.kind == "end") | .ops')" = 0 ]
}
