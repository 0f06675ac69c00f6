#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-shadow: a plan rehearsed on a throwaway database.  Most tests make
# the shadow database on the test server (--shadow-url); one takes the
# default, an ephemeral local cluster.

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
	URL="host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=postgres"
	T=$BATS_TEST_TMPDIR
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE public.account (id int PRIMARY KEY, email text, plan text);
CREATE TABLE public.login (id bigint PRIMARY KEY, account_id int, at timestamptz);
SQL
	cat >"$T/b.sql" <<'SQL'
CREATE TABLE public.account (id int PRIMARY KEY, email text NOT NULL, plan text,
    created timestamptz DEFAULT now());
CREATE UNIQUE INDEX account_email ON public.account (email);
CREATE TABLE public.login (id bigint PRIMARY KEY,
    account_id int REFERENCES public.account, at timestamptz);
CREATE INDEX login_at ON public.login (at);
SQL
}

# plan_of A B: A loaded in the test database, its graph ($T/a.graph),
# B's declared ($T/b.graph), the plan between them ($T/plan).
plan_of() {
	zn_sql -f "$1"
	run_zn zn-snapshot -o "$T/a.graph"
	run_zn zn-snapshot --declared "$2" --scratch-url "$URL" \
	    -o "$T/b.graph"
	run_zn zn-diff "$T/a.graph" "$T/b.graph"
	printf '%s\n' "$output" >"$T/plan"
}

# The same for $T/a.sql and $T/b.sql, and the plan classified (cplan).
plan_ab() {
	plan_of "$T/a.sql" "$T/b.sql"
	run_zn zn-classify --offline --json "$T/plan"
	printf '%s\n' "$output" >"$T/cplan"
}

# expect_drift PLAN TARGET: PLAN rehearsed from A's graph is drift, and a
# residual op is about TARGET.
expect_drift() {
	local out
	run_zn 1 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --target "$T/b.graph" "$1"
	out=$output
	run jq -r 'select(.kind == "shadow") | .verdict' <<<"$out"
	assert_output drift
	run jq -r 'select(.kind == "drift") | .target' <<<"$out"
	assert_line "$2"
}

# No database the shadow made is left on the test server.
no_shadow_db() {
	run psql -X -A -t -d postgres -c \
	    "SELECT count(*) FROM pg_database WHERE datname LIKE 'zn\\_shadow%'"
	assert_output 0
}

# Drops the last op of stream $1 into $2, the trailer's count and
# checksum recomputed as a user editing the file would.
drop_last_op() {
	local body sum n
	body=$(sed '1d;$d' "$1" | sed '$d')
	sum=$(printf '%s\n' "$body" | sha256sum | cut -c1-64)
	n=$(printf '%s\n' "$body" | grep -c '"kind":"op"')
	{
		head -n 1 "$1"
		printf '%s\n' "$body"
		tail -n 1 "$1" | sed -e "s/\"checksum\":\"sha256:[0-9a-f]*\"/\"checksum\":\"sha256:$sum\"/" \
		    -e "s/\"ops\":[0-9]*/\"ops\":$n/"
	} >"$2"
}

@test "a plan that reaches its target is ok: the stream again, verified, every step observed" {
	plan_ab
	run_zn 0 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --target "$T/b.graph" "$T/cplan"
	printf '%s\n' "$output" >"$T/verified"
	run jq -r 'select(.kind == "end") | [.verified, .shadow.verdict] | @tsv' \
	    "$T/verified"
	assert_output "$(printf 'true\tok')"
	# The shadow reached the plan's target.
	to=$(jq -r 'select(.kind == "plan") | .to_hash' "$T/cplan")
	run jq -r 'select(.kind == "end") | .shadow.reached' "$T/verified"
	assert_output "$to"
	# Every op carries what it was seen doing, beside its prediction.
	run jq -r 'select(.kind == "op") | (.risk.observed.work // "missing")' \
	    "$T/verified"
	refute_line missing
	# The index built outside a transaction on a table that was there.
	run jq -r 'select(.kind == "op" and .op == "addIndex" and
	    .target == "public.login.login_at") | .risk.observed.index_builds[]' \
	    "$T/verified"
	assert_output public.login
	# The ops are the ones classified: same SQL, same order.
	diff <(jq -c 'select(.kind == "op") | .sql' "$T/cplan") \
	    <(jq -c 'select(.kind == "op") | .sql' "$T/verified")
	no_shadow_db
}

@test "zn-apply --require-verified applies a verified stream and refuses any other, recorded" {
	plan_ab
	run_zn 0 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --target "$T/b.graph" "$T/cplan"
	printf '%s\n' "$output" >"$T/verified"
	# Not rehearsed: refused, nothing applied, the refusal recorded.
	run_zn 1 zn-apply --require-verified "$T/cplan"
	[[ $stderr == *"refused (--require-verified): its trailer does not say verified"* ]] ||
	    fail "$stderr"
	run psql -X -A -t -c "SELECT kind FROM public._zanith_events"
	assert_output refused
	run psql -X -A -t -c "SELECT count(*) FROM public._zanith_migration_steps"
	assert_output 0
	# Verified, then edited (a step taken out, the trailer's checksum
	# made right again): the digest of its SQL is not the verified one.
	drop_last_op "$T/verified" "$T/short"
	run_zn 1 zn-apply --require-verified "$T/short"
	[[ $stderr == *"its SQL changed after zn-shadow verified it"* ]] ||
	    fail "$stderr"
	# The verified stream applies, and the database is B.
	run_zn 0 zn-apply --require-verified "$T/verified"
	run_zn zn-snapshot -o "$T/after.graph"
	diff <(sed 1d "$T/b.graph") <(sed 1d "$T/after.graph")
}

@test "a plan missing one op is drift, naming the object that op makes" {
	plan_ab
	drop_last_op "$T/plan" "$T/short"
	expect_drift "$T/short" "$(sed '1d;$d' "$T/plan" | tail -n 1 |
	    jq -r '.target')"
	no_shadow_db
}

@test "a step that fails on the baseline's rows is apply-failed: the step, its SQL and SQLSTATE" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE public.account (id int PRIMARY KEY, email text);
INSERT INTO public.account VALUES (1, 'a@x'), (2, 'a@x'), (3, NULL);
SQL
	cat >"$T/b.sql" <<'SQL'
CREATE TABLE public.account (id int PRIMARY KEY, email text NOT NULL UNIQUE);
SQL
	plan_of "$T/a.sql" "$T/b.sql"
	before=$(psql -X -A -t -c "SELECT md5(string_agg(c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")
	# The declared baseline brings its rows: the NULL fails SET NOT NULL
	# (or the duplicate the unique key), as it would in production.
	run_zn 1 zn-shadow --shadow-url "$URL" --baseline "$T/a.sql" \
	    --target "$T/b.graph" "$T/plan"
	run jq -r 'select(.kind == "shadow") | [.verdict, .sqlstate, .op] | @tsv' <<<"$output"
	[[ $output == "apply-failed	23502	"* || $output == "apply-failed	23505	"* ]] ||
	    fail "$output"
	[[ $stderr == *"apply-failed: step"* ]] || fail "$stderr"
	# Production was not touched.
	after=$(psql -X -A -t -c "SELECT md5(string_agg(c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")
	assert_equal "$after" "$before"
	run psql -X -A -t -c "SELECT to_regclass('public._zanith_migrations') IS NULL"
	assert_output t
	no_shadow_db
}

@test "a baseline that is not where the plan starts is refused, exit 4" {
	plan_ab
	run_zn 4 zn-shadow --shadow-url "$URL" --baseline empty \
	    --target "$T/b.graph" "$T/plan"
	[[ $stderr == *"the baseline (empty) is not the schema the plan was made from"* ]] ||
	    fail "$stderr"
	no_shadow_db
}

@test "the live baseline comes from production (-d), read only" {
	plan_ab
	before=$(psql -X -A -t -c "SELECT md5(string_agg(c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")
	run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
	    --target "$T/b.graph" "$T/plan"
	run jq -r 'select(.kind == "end") | .shadow.baseline' <<<"$output"
	assert_output live
	after=$(psql -X -A -t -c "SELECT md5(string_agg(c.relname || c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c")
	assert_equal "$after" "$before"
	# A plan made from another schema than production's is stale.
	zn_sql -c 'CREATE TABLE public.other (id int)'
	run_zn 4 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
	    --target "$T/b.graph" "$T/plan"
	[[ $stderr == *"the plan is stale"* ]] || fail "$stderr"
}

@test "a blocked stream passes through, not rehearsed, exit 1" {
	zn_sql -c 'CREATE TABLE public.gone (id int)'
	run_zn zn-snapshot -o "$T/a.graph"
	printf '' >"$T/empty.sql"
	run_zn zn-snapshot --declared "$T/empty.sql" --scratch-url "$URL" \
	    -o "$T/b.graph"
	run_zn zn-diff --drop-policy drop "$T/a.graph" "$T/b.graph"
	printf '%s\n' "$output" >"$T/plan"
	run_zn 1 zn-classify --offline --json "$T/plan"
	printf '%s\n' "$output" >"$T/cplan"
	run_zn 1 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" "$T/cplan"
	diff "$T/cplan" <(printf '%s\n' "$output")
	[[ $stderr == *"blocked by zn-classify's gates: not rehearsed"* ]] ||
	    fail "$stderr"
	no_shadow_db
}

@test "an unreachable shadow is exit 2, naming the shadow, never its password" {
	plan_ab
	run_zn 2 zn-shadow --shadow-url "host=$T/nowhere port=5999 user=u password=s3cr3t-pw dbname=x" \
	    --baseline "$T/a.graph" "$T/plan"
	[[ $stderr == "zn-shadow: cannot connect to the shadow server: "* ]] ||
	    fail "$stderr"
	[[ $stderr != *s3cr3t-pw* ]] || fail "password printed: $stderr"
	run_zn 2 zn-shadow --shadow-url "postgresql://u:s3cr3t-pw@localhost:1/x" \
	    --baseline "$T/a.graph" "$T/plan"
	[[ $stderr != *s3cr3t-pw* ]] || fail "password printed: $stderr"
}

@test "a shadow of another major version is refused unless --allow-version-mismatch" {
	plan_ab
	# Production said to run PostgreSQL 14 (the header is not summed).
	sed '1s/"server_version_num":[0-9]*/"server_version_num":140010/' \
	    "$T/plan" >"$T/plan14"
	run_zn 2 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --target "$T/b.graph" "$T/plan14"
	[[ $stderr == *"the shadow runs PostgreSQL 15 and production 14"* ]] ||
	    fail "$stderr"
	run_zn 0 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --target "$T/b.graph" --allow-version-mismatch "$T/plan14"
	no_shadow_db
}

@test "--skip-provision uses an empty database as it is, and never one that holds anything else" {
	plan_ab
	psql -q -X -d postgres -c 'DROP DATABASE IF EXISTS zn_ci_shadow' \
	    -c 'CREATE DATABASE zn_ci_shadow'
	url="host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=zn_ci_shadow"
	run_zn 0 zn-shadow --shadow-url "$url" --skip-provision \
	    --baseline "$T/a.graph" --target "$T/b.graph" "$T/plan"
	# Made by zn-shadow now: a second rehearsal makes it again.
	run_zn 0 zn-shadow --shadow-url "$url" --skip-provision \
	    --baseline "$T/a.graph" --target "$T/b.graph" "$T/plan"
	# Someone else's: never reset.
	psql -q -X -d postgres -c 'CREATE DATABASE zn_ci_other'
	psql -q -X -d zn_ci_other -c 'CREATE TABLE keep_me (id int)'
	run_zn 2 zn-shadow --skip-provision --baseline "$T/a.graph" \
	    --shadow-url "host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=zn_ci_other" \
	    --target "$T/b.graph" "$T/plan"
	[[ $stderr == *"holds objects and was not made by zn-shadow"* ]] ||
	    fail "$stderr"
	run psql -X -A -t -d zn_ci_other -c "SELECT to_regclass('keep_me') IS NOT NULL"
	assert_output t
	psql -q -X -d postgres -c 'DROP DATABASE zn_ci_other' \
	    -c 'DROP DATABASE zn_ci_shadow'
}

@test "SIGINT during a step: exit 130, the shadow database dropped; --keep keeps it" {
	zn_sql -c 'CREATE TABLE public.t (id int)'
	run_zn zn-snapshot -o "$T/a.graph"
	mkdir "$T/m"
	printf '%s\n' 'ops:' '  - op: rawSql' '    target: public.t' \
	    '    sql: SELECT pg_sleep(60)' >"$T/m/20260101_000000_slow.yaml"
	for keep in '' --keep; do
		zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
		    --target "$T/a.graph" $keep "$T/m" >"$T/out" 2>"$T/err" 3>&- &
		pid=$!
		zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND datname LIKE 'zn\\_shadow%')"
		kill -INT "$pid"
		status=0
		wait "$pid" || status=$?
		assert_equal "$status" 130
		n=$(psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zn\\_shadow%'")
		if [ -z "$keep" ]; then
			assert_equal "$n" 0
		else
			assert_equal "$n" 1
			grep -q 'kept the shadow database zn_shadow_' "$T/err" ||
			    fail "$(cat "$T/err")"
			db=$(psql -X -A -t -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'zn\\_shadow%'")
			psql -q -X -d postgres -c "DROP DATABASE \"$db\" WITH (FORCE)"
		fi
	done
}

@test "the default shadow is an ephemeral local cluster, gone after the run, and after SIGINT" {
	plan_ab
	# Short enough for a socket path, open to the server's user.
	TMPDIR=$(mktemp -d /tmp/zn-sh.XXXXXX)
	chmod 0755 "$TMPDIR"
	export TMPDIR ZN_SCRATCH_CACHE=$T/cache
	run_zn 0 zn-shadow --baseline "$T/a.graph" --target "$T/b.graph" "$T/plan"
	run jq -r 'select(.kind == "end") | .shadow.verdict' <<<"$output"
	assert_output ok
	run compgen -G "$TMPDIR/zn-scratch.*"
	assert_output ''
	# Interrupted in a step: the cluster goes with the process.
	mkdir "$T/m"
	printf '%s\n' 'ops:' '  - op: rawSql' '    target: public.t' \
	    '    sql: SELECT pg_sleep(60)' >"$T/m/20260101_000000_slow.yaml"
	printf '' >"$T/empty.sql"
	zn-shadow --baseline empty --target "$T/empty.sql" "$T/m" \
	    >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	zn_wait_file "$TMPDIR/zn-scratch.*/data/postmaster.pid"
	dir=$(compgen -G "$TMPDIR/zn-scratch.*")
	# Until the step runs there, on the shadow's own server.
	PGHOST=$dir PGPORT=5432 PGUSER=postgres PGDATABASE=zn_shadow \
	    zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)')"
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 130
	run compgen -G "$TMPDIR/zn-scratch.*"
	assert_output ''
	rmdir "$TMPDIR"
}

# Observed, not guessed: DDL forms with what PostgreSQL 15 does to the
# table they change (risk.md's measurements): the strongest lock mode
# held on it, and the work (none, scan, index_build, rewrite).  Each line:
# the SQL, the relation, its mode ("-" when not checked: sampled from
# another session), the work, and "tx" or "notx".
FORMS='ALTER TABLE public.t ADD COLUMN e int|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ADD COLUMN f int DEFAULT 0|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ADD COLUMN g double precision DEFAULT random()|public.t|ACCESS EXCLUSIVE|rewrite|tx
ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN b SET NOT NULL|public.t|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t VALIDATE CONSTRAINT t_a_nn|public.t|SHARE UPDATE EXCLUSIVE|scan|tx
ALTER TABLE public.t ALTER COLUMN a SET NOT NULL|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ADD CONSTRAINT t_b_ck CHECK (b <> '\'''\'')|public.t|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.t ALTER COLUMN c TYPE varchar(20)|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN c TYPE text|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN d TYPE timestamptz|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN f TYPE bigint|public.t|ACCESS EXCLUSIVE|rewrite|tx
CREATE INDEX t_b ON public.t (b)|public.t|SHARE|index_build|tx
CREATE INDEX CONCURRENTLY t_c ON public.t (c)|public.t|-|index_build|notx
ALTER TABLE public.t2 ADD CONSTRAINT t2_fk FOREIGN KEY (tid) REFERENCES public.t NOT VALID|public.t|SHARE ROW EXCLUSIVE|none|tx
ALTER TABLE public.t2 VALIDATE CONSTRAINT t2_fk|public.t2|SHARE UPDATE EXCLUSIVE|scan|tx
ALTER TABLE public.t SET (fillfactor = 70)|public.t|SHARE UPDATE EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN b SET STATISTICS 500|public.t|SHARE UPDATE EXCLUSIVE|none|tx
COMMENT ON TABLE public.t IS '\''facts'\''|public.t|SHARE UPDATE EXCLUSIVE|none|tx
ALTER TABLE public.t RENAME COLUMN e TO e2|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.p ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (100)|public.p1|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.t2 DROP CONSTRAINT t2_fk|public.t|ACCESS EXCLUSIVE|none|tx
TRUNCATE public.t2|public.t2|ACCESS EXCLUSIVE|rewrite|tx
ALTER TABLE public.t DROP COLUMN g|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ADD COLUMN h public.posint|public.t|ACCESS EXCLUSIVE|rewrite|tx
ALTER TABLE public.t ALTER COLUMN cc TYPE varchar(30)|public.t|ACCESS EXCLUSIVE|scan|tx
SET LOCAL TimeZone = '\''Europe/Paris'\''; ALTER TABLE public.t ALTER COLUMN dd TYPE timestamptz|public.t|ACCESS EXCLUSIVE|rewrite|tx
ALTER TABLE public.t ADD CONSTRAINT t_id_pos CHECK (id > 0) NOT VALID; ALTER TABLE public.t VALIDATE CONSTRAINT t_id_pos|public.t|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.t3 ADD CONSTRAINT t3_pkey PRIMARY KEY USING INDEX t3_k|public.t3|ACCESS EXCLUSIVE|scan|tx
CREATE INDEX p_v ON ONLY public.p (v)|public.p|SHARE|none|tx
ALTER TABLE public.t ALTER COLUMN nn SET NOT NULL|public.t|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.t ALTER COLUMN np SET NOT NULL|public.t|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.pt ADD COLUMN r double precision DEFAULT random()|public.pt1|ACCESS EXCLUSIVE|rewrite|tx
ALTER TABLE public.pt ALTER COLUMN v SET NOT NULL|public.pt2|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.pt ADD CONSTRAINT pt_k CHECK (k >= 0)|public.pt1|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.pt ALTER COLUMN n TYPE bigint|public.pt2|ACCESS EXCLUSIVE|rewrite|tx
CREATE INDEX pt_v ON public.pt (v)|public.pt1|SHARE|index_build|tx
ALTER TABLE public.pt ALTER COLUMN v SET DEFAULT '\''x'\''|public.pt|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.ih ALTER COLUMN w SET NOT NULL|public.ihc|ACCESS EXCLUSIVE|scan|tx
ALTER TABLE public.ih ADD COLUMN z int DEFAULT 0|public.ihc|ACCESS EXCLUSIVE|none|tx
ALTER TABLE public.ih ALTER COLUMN w TYPE bigint|public.ihc|ACCESS EXCLUSIVE|rewrite|tx'

# What zn-classify does not predict of those forms today, as zn-shadow
# reports it (step: fact=observed), one per line: nothing.  (A foreign
# key dropped by raw SQL takes ACCESS EXCLUSIVE on the table it
# references too; zn-classify names that table from the catalogs, or
# from the step that added the key.)  Fixed or new, this changes.
MISSES=''

# The tables the forms change.
FORMS_BASE="CREATE DOMAIN public.posint AS int CHECK (VALUE > 0);
CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c varchar(10), d timestamp,
    cc varchar(10) CHECK (length(cc) > 0), dd timestamp,
    nn int CONSTRAINT nn_set CHECK (nn IS NOT NULL AND nn > 0),
    np int CONSTRAINT np_pos CHECK (np > 0));
INSERT INTO public.t SELECT g, g, 'b' || g, 'c', '2026-01-01', 'x', '2026-01-01', g, g FROM generate_series(1, 50) g;
CREATE TABLE public.t3 (id int, k int);
CREATE UNIQUE INDEX t3_k ON public.t3 (k);
INSERT INTO public.t3 SELECT g, g FROM generate_series(1, 50) g;
CREATE TABLE public.t2 (id int PRIMARY KEY, tid int);
INSERT INTO public.t2 SELECT g, g FROM generate_series(1, 50) g;
CREATE TABLE public.p (k int, v text) PARTITION BY RANGE (k);
CREATE TABLE public.p1 (k int, v text);
INSERT INTO public.p1 SELECT g, 'v' FROM generate_series(0, 20) g;
CREATE TABLE public.pt (k int, v text, n int) PARTITION BY RANGE (k);
CREATE TABLE public.pt1 PARTITION OF public.pt FOR VALUES FROM (0) TO (100);
CREATE TABLE public.pt2 PARTITION OF public.pt FOR VALUES FROM (100) TO (200);
INSERT INTO public.pt SELECT g, 'v', g FROM generate_series(0, 199) g;
CREATE TABLE public.ih (id int, w int);
CREATE TABLE public.ihc () INHERITS (public.ih);
INSERT INTO public.ihc SELECT g, g FROM generate_series(1, 30) g;"

# forms_migration DIR: the forms as one migration file, a step each.
forms_migration() {
	mkdir "$1"
	{
		echo 'ops:'
		while IFS='|' read -r sql rel mode work tx; do
			printf '  - op: rawSql\n    target: %s\n' "$rel"
			if [ "$tx" = tx ]; then
				# Raw SQL bounds its own lock waits (a gate).
				printf '    sql:\n      - "%s"\n      - "%s"\n' \
				    "SET LOCAL lock_timeout = '5s'" "$sql"
			else
				printf '    transactional: false\n'
				printf '    sql: "%s"\n' "$sql"
			fi
		done <<<"$FORMS"
	} >"$1/20260101_000000_forms.yaml"
}

@test "observed facts: 42 DDL forms seen as PostgreSQL 15 does them, predicted as they happen, and every classifier miss reported" {
	printf '%s\n' "$FORMS_BASE" >"$T/base.sql"
	zn_sql -f "$T/base.sql"
	forms_migration "$T/m"
	# The target: the same statements run by psql on a copy.
	psql -q -X -d postgres -c "CREATE DATABASE \"${PGDATABASE}_to\""
	psql -q -X -v ON_ERROR_STOP=1 -d "${PGDATABASE}_to" -f "$T/base.sql" >/dev/null
	while IFS='|' read -r sql _; do
		psql -q -X -v ON_ERROR_STOP=1 -d "${PGDATABASE}_to" -c "$sql" >/dev/null
	done <<<"$FORMS"
	run_zn zn-snapshot -d "${PGDATABASE}_to" -o "$T/target.graph"
	# Classified against the database itself (its sizes and keys known).
	run_zn '?' zn-classify -d "$PGDATABASE" --json --max-risk 100 \
	    --allow-destructive "$T/m"
	printf '%s\n' "$output" >"$T/cplan"
	run_zn 0 zn-shadow --shadow-url "$URL" --baseline "$T/base.sql" \
	    --target "$T/target.graph" "$T/cplan"
	printf '%s\n' "$output" >"$T/verified"
	i=0
	while IFS='|' read -r sql rel mode work tx; do
		i=$((i + 1))
		got=$(jq -r --argjson i "$i" --arg rel "$rel" 'select(.kind == "op"
		    and .step == $i) | .risk.observed | [([.locks[] |
		    select(.relation == $rel) | .mode][0] // "none"), .work] |
		    join("|")' "$T/verified")
		pred=$(jq -r --argjson i "$i" --arg rel "$rel" 'select(.kind == "op"
		    and .step == $i) | .risk.facts | [([.locks[] |
		    select(.relation == $rel) | .mode][0] // "none"), .work] |
		    join("|")' "$T/verified")
		if [ "$mode" = - ]; then
			got="-|${got#*|}"
			pred="-|${pred#*|}"
		fi
		[ "$got" = "$mode|$work" ] ||
		    fail "step $i ($sql): observed $got, PostgreSQL 15 does $mode|$work"
		# Predicted, before anything ran, as it then happened.
		[ "$pred" = "$mode|$work" ] ||
		    fail "step $i ($sql): zn-classify predicts $pred, PostgreSQL 15 does $mode|$work"
	done <<<"$FORMS"
	# Where zn-classify predicted less on a table, the op says so
	# (unpredicted): ACCESS EXCLUSIVE it did not name, a rewrite it
	# did not foresee.  (The tables' indexes are not its subject.)
	run jq -r 'select(.kind == "op") | .risk as $r | select(
	    ((([$r.observed.locks[] | select(.mode == "ACCESS EXCLUSIVE" and
	    (.relation | test("^public[.](t|t2|p|p1)$"))) | .relation] -
	    [$r.facts.locks[] | select(.mode == "ACCESS EXCLUSIVE") |
	    .relation]) | length > 0) or ($r.observed.work == "rewrite" and
	    $r.facts.work != "rewrite")) and ($r.unpredicted | not)) | .step' \
	    "$T/verified"
	assert_output ''
	# This classifier's misses on these forms, as the shadow reports
	# them: its table of facts is checked here, so a new miss or a
	# fixed one changes this line.
	run jq -r 'select(.kind == "op" and .risk.unpredicted) | "\(.step):" +
	    ([.risk.unpredicted[] | .fact + "=" + .observed] | join(","))' \
	    "$T/verified"
	assert_output "$MISSES"
	psql -q -X -d postgres -c "DROP DATABASE \"${PGDATABASE}_to\""
}

@test "--max-risk 60 refuses every form that rewrites or scans a large table under ACCESS EXCLUSIVE, partitioned or not (sizes from --stats)" {
	zn_sql -c "$FORMS_BASE"
	forms_migration "$T/m"
	for tab in t t2 t3 p p1 pt pt1 pt2 ih ihc; do
		echo "public,$tab,5000000,10737418240"
	done >"$T/stats.csv"
	run_zn 1 zn-classify -d "$PGDATABASE" --stats "$T/stats.csv" --json \
	    --max-risk 60 --allow-destructive "$T/m"
	printf '%s\n' "$output" >"$T/cplan"
	[ "$(jq -r 'select(.kind == "end") | .verdict' "$T/cplan")" = blocked ]
	i=0
	n=0
	while IFS='|' read -r sql rel mode work tx; do
		i=$((i + 1))
		score=$(jq -r --argjson i "$i" 'select(.kind == "op" and
		    .step == $i) | .risk.score' "$T/cplan")
		case "$mode|$work" in
		"ACCESS EXCLUSIVE|rewrite" | "ACCESS EXCLUSIVE|scan")
			n=$((n + 1))
			[ "$score" -gt 60 ] ||
			    fail "step $i ($sql): $score on a large table, within --max-risk 60"
			;;
		esac
	done <<<"$FORMS"
	[ "$n" -ge 15 ]
	# Sizes from --stats, the tree from the catalogs: the partitions
	# are locked too.
	[ "$(jq -r 'select(.kind == "op" and (.sql | tostring | contains("ADD COLUMN r"))) | [.risk.facts.locks[].relation] | sort | join(",")' "$T/cplan")" = public.pt,public.pt1,public.pt2 ]
	# Not a gate that refuses everything: a column added without a
	# default takes its lock for a moment.
	[ "$(jq -r 'select(.kind == "op" and .step == 1) | .risk.score' "$T/cplan")" -le 60 ]
}

@test "ordering, as rehearsed: a generated column after the type change it reads; a primary key after its column is proven NOT NULL" {
	for pair in 194-generated-column-reads-retyped-column \
	    195-primary-key-on-nullable-column; do
		dir=$ZN_TOP/tests/pairs/$pair
		zn_db_new
		plan_of "$dir/a.sql" "$dir/b.sql"
		run_zn 0 zn-classify -d "$PGDATABASE" --json --max-risk 100 \
		    "$T/plan"
		printf '%s\n' "$output" >"$T/cplan"
		# Rehearsed from the database's own schema, rows and all.
		run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
		    --target "$T/b.graph" "$T/cplan"
		printf '%s\n' "$output" >"$T/verified"
		run jq -r 'select(.kind == "op") | .op' "$T/verified"
		case $pair in
		194-*)
			assert_line --index 0 alterColumnType ;;
		195-*)
			# The key comes after the column's SET NOT NULL, and
			# scans nothing.
			run jq -rs '[.[] | select(.kind == "op")] |
			    (map(.op == "addPrimaryKey") | index(true)) >
			    (map(.op == "alterColumnNullable" and
			    (.target | endswith(".id"))) | index(true))' \
			    "$T/verified"
			assert_output true
			run jq -r 'select(.kind == "op" and .op == "addPrimaryKey") |
			    [.risk.observed.work, (.risk.unpredicted // [] |
			    length)] | @tsv' "$T/verified"
			assert_output "$(printf 'none\t0')" ;;
		esac
	done
}

@test "mutations of real pairs: each plan missing its last op is drift naming that op's object" {
	for pair in 017-column-type-change 027-fk-change-actions \
	    082-unique-to-primary-key-under-fk 120-rules 168-app-blog-release; do
		dir=$ZN_TOP/tests/pairs/$pair
		zn_db_new
		plan_of "$dir/a.sql" "$dir/b.sql"
		drop_last_op "$T/plan" "$T/short"
		# The residual names the object the missing op was about.
		expect_drift "$T/short" "$(sed '1d;$d' "$T/plan" | tail -n 1 |
		    jq -r '.target')"
	done
}

@test "an orphan before a new foreign key is apply-failed at the step that validates it, 23503" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE public.parent (id int PRIMARY KEY);
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int);
INSERT INTO public.parent VALUES (1);
INSERT INTO public.child VALUES (1, 1), (2, 7);
SQL
	cat >"$T/b.sql" <<'SQL'
CREATE TABLE public.parent (id int PRIMARY KEY);
CREATE TABLE public.child (id int PRIMARY KEY,
    parent_id int REFERENCES public.parent);
SQL
	plan_of "$T/a.sql" "$T/b.sql"
	run_zn 1 zn-shadow --shadow-url "$URL" --baseline "$T/a.sql" \
	    --target "$T/b.graph" "$T/plan"
	run jq -r 'select(.kind == "shadow") | [.verdict, .op, .sqlstate] | @tsv' <<<"$output"
	assert_output "$(printf 'apply-failed\tvalidateConstraint\t23503')"
	no_shadow_db
}

@test "--sample-rows: production's rows make a step fail on the shadow as it would there; production untouched" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE public.parent (id int PRIMARY KEY);
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int, email text,
    note text);
INSERT INTO public.parent SELECT g FROM generate_series(1, 40) g;
INSERT INTO public.child SELECT g, g, 'u' || g || '@x', 'n'
    FROM generate_series(1, 40) g;
SQL
	zn_sql -f "$T/a.sql"
	run_zn zn-snapshot -o "$T/a.graph"
	catalog() {
		psql -X -A -t -c "SELECT md5(string_agg(c.oid || c.relname ||
		    c.relfilenode, ',' ORDER BY c.oid)) FROM pg_class c"
	}
	# b: a unique email, a foreign key, a NOT NULL note.
	for case in unique fk notnull clean; do
		case $case in
		unique) bad="UPDATE public.child SET email = 'dup@x' WHERE id IN (3, 4)"
			b="parent_id int, email text UNIQUE, note text" ;;
		fk) bad="UPDATE public.child SET parent_id = 999 WHERE id = 5"
			b="parent_id int REFERENCES public.parent, email text, note text" ;;
		notnull) bad="UPDATE public.child SET note = NULL WHERE id = 6"
			b="parent_id int, email text, note text NOT NULL" ;;
		clean) bad="SELECT 1"
			b="parent_id int, email text UNIQUE, note text NOT NULL" ;;
		esac
		zn_db_new
		zn_sql -f "$T/a.sql" -c "$bad"
		printf '%s\n' 'CREATE TABLE public.parent (id int PRIMARY KEY);' \
		    "CREATE TABLE public.child (id int PRIMARY KEY, $b);" >"$T/b.sql"
		run_zn zn-snapshot --declared "$T/b.sql" --scratch-url "$URL" \
		    -o "$T/b.graph"
		run_zn zn-diff "$T/a.graph" "$T/b.graph"
		printf '%s\n' "$output" >"$T/plan"
		before=$(catalog)
		# Without rows the shadow cannot see it.
		run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
		    --target "$T/b.graph" "$T/plan"
		if [ "$case" = clean ]; then
			run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
			    --sample-rows 100 --target "$T/b.graph" "$T/plan"
			run jq -r 'select(.kind == "end") | .shadow.sample_rows' <<<"$output"
			assert_output 100
		else
			run_zn 1 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
			    --sample-rows 100 --target "$T/b.graph" "$T/plan"
			run jq -r 'select(.kind == "shadow") | .sqlstate' <<<"$output"
			case $case in
			unique) assert_output 23505 ;;
			fk) assert_output 23503 ;;
			notnull) assert_output 23514 ;;
			esac
		fi
		assert_equal "$(catalog)" "$before"
		run psql -X -A -t -c "SELECT to_regclass('public._zanith_migrations') IS NULL"
		assert_output t
	done
	no_shadow_db
}

@test "--sample-rows copies at most N rows of each table, read only, and needs the live baseline" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE public.big (id int PRIMARY KEY, v text,
    g int GENERATED ALWAYS AS (id * 2) STORED);
INSERT INTO public.big SELECT g, 'v' FROM generate_series(1, 50) g;
CREATE TABLE public.small (id int PRIMARY KEY);
INSERT INTO public.small VALUES (1), (2);
SQL
	zn_sql -f "$T/a.sql"
	run_zn zn-snapshot -o "$T/a.graph"
	printf '%s\n' 'CREATE TABLE public.big (id int PRIMARY KEY, v text,
    g int GENERATED ALWAYS AS (id * 2) STORED, w int);' \
	    'CREATE TABLE public.small (id int PRIMARY KEY);' >"$T/b.sql"
	run_zn zn-snapshot --declared "$T/b.sql" --scratch-url "$URL" \
	    -o "$T/b.graph"
	run_zn zn-diff "$T/a.graph" "$T/b.graph"
	printf '%s\n' "$output" >"$T/plan"
	run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" --keep \
	    --sample-rows 5 --target "$T/b.graph" "$T/plan"
	db=$(psql -X -A -t -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'zn\\_shadow%'")
	run psql -X -A -t -d "$db" -c "SELECT (SELECT count(*) FROM public.big) || ' ' || (SELECT count(*) FROM public.small) || ' ' || (SELECT bool_and(g = id * 2) FROM public.big)"
	assert_output '5 2 true'
	psql -q -X -d postgres -c "DROP DATABASE \"$db\""
	run_zn 64 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" \
	    --sample-rows 5 "$T/plan"
	run_zn 64 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" \
	    --sample-rows 0 "$T/plan"
	# zanith.yaml's shadow: {url, sample_rows}: the same, where the
	# baseline is production; left out where it is not.
	printf 'shadow: {url: "%s", sample_rows: 3}\n' "$URL" >"$T/zanith.yaml"
	run_zn 0 zn-shadow -C "$T" -d "$PGDATABASE" --keep \
	    --target "$T/b.graph" "$T/plan"
	db=$(psql -X -A -t -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'zn\\_shadow%'")
	run psql -X -A -t -d "$db" -c "SELECT (SELECT count(*) FROM public.big) || ' ' || (SELECT count(*) FROM public.small)"
	assert_output '3 2'
	psql -q -X -d postgres -c "DROP DATABASE \"$db\""
	run_zn 0 zn-shadow -C "$T" --baseline "$T/a.graph" "$T/plan"
	printf 'shadow: {url: "%s", sample_rows: 0}\n' "$URL" >"$T/zanith.yaml"
	run_zn 65 zn-shadow -C "$T" -d "$PGDATABASE" "$T/plan"
	[[ "$stderr" == *"zanith.yaml:1:"*"sample_rows"* ]]
	rm "$T/zanith.yaml"
}

@test "bad input starts no shadow: a truncated stream and a damaged one are exit 65, production down is exit 2" {
	plan_ab
	head -n 2 "$T/plan" >"$T/cut"
	run_zn 65 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" "$T/cut"
	sed '2s/"op":"/"op":"x/' "$T/plan" >"$T/bad"
	run_zn 65 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" "$T/bad"
	printf '{"kind":"plan","v":1,\n' >"$T/json"
	run_zn 65 zn-shadow --shadow-url "$URL" --baseline "$T/a.graph" "$T/json"
	no_shadow_db
	# Production unreachable: nothing made, the password not said.
	run_zn 2 zn-shadow --shadow-url "$URL" \
	    -d "host=$T/nowhere port=5999 user=u password=s3cr3t-pw dbname=x" \
	    --target "$T/b.graph" "$T/plan"
	[[ $stderr == "zn-shadow: cannot connect to the database: "* ]] ||
	    fail "$stderr"
	[[ $stderr != *s3cr3t-pw* ]] || fail "password printed: $stderr"
	no_shadow_db
}

@test "hostile names go through a rehearsal: quoted, never run as written" {
	cat >"$T/a.sql" <<'SQL'
CREATE SCHEMA "s%s; DROP x";
CREATE TABLE "s%s; DROP x"."t'bl""" ("co l" int);
SQL
	cat >"$T/b.sql" <<'SQL'
CREATE SCHEMA "s%s; DROP x";
CREATE TABLE "s%s; DROP x"."t'bl""" ("co l" int NOT NULL, "%n" text);
CREATE INDEX "ix;--" ON "s%s; DROP x"."t'bl""" ("%n");
SQL
	plan_ab
	run_zn 0 zn-shadow --shadow-url "$URL" -d "$PGDATABASE" --sample-rows 3 \
	    --target "$T/b.graph" "$T/cplan"
	run jq -r 'select(.kind == "op" and .op == "addIndex") |
	    .risk.observed.index_builds[]' <<<"$output"
	assert_output '"s%s; DROP x"."t'"'"'bl"""'
	no_shadow_db
}
