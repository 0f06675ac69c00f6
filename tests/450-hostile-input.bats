#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Input made to hurt: YAML that expands without end or nests without
# end, inputs without newlines, op records that are well-formed JSON
# with a valid checksum but not what zn-records(5) allows, durations
# without a unit, and temporary files left by a failed write.  Each is
# refused at once with its exit status, and nothing runs.

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

# A "billion laughs": nine levels of nine aliases, 441 bytes.
bomb() {
	{
		echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
		local p=a c
		for c in b c d e f g h i; do
			printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' \
			    "$c" "$c" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p"
			p=$c
		done
	}
}

@test "nested YAML aliases (billion laughs) are refused at once, exit 65, wherever YAML is read" {
	bomb >bomb.yaml
	[ "$(wc -c <bomb.yaml)" -lt 600 ]
	run_zn 65 timeout 10 zn-snapshot --declared bomb.yaml --offline
	[[ $stderr == *"bomb.yaml:"*"aliases expand to more than"* ]] || fail "$stderr"
	# As a migration file, and as zanith.yaml.
	sed 's/^i:/ops:/' bomb.yaml >migrations/20260101_000000_bomb.yaml
	run_zn 65 timeout 10 zn-diff --read migrations
	[[ $stderr == *"aliases expand to more than"* ]] || fail "$stderr"
	sed 's/^i:/database:/' bomb.yaml >zanith.yaml
	run_zn 65 timeout 10 zn-snapshot
	[[ $stderr == *"zanith.yaml:"*"aliases expand to more than"* ]] || fail "$stderr"
	# A few aliases of a small anchor are fine.
	printf 'ops:\n  - &s {op: rawSql, sql: ["SELECT 1"]}\n  - *s\n  - *s\n' \
	    >migrations/20260101_000000_bomb.yaml
	run_zn 0 zn-diff --read migrations
	[ "$(grep -c '"kind":"op"' <<<"$output")" = 3 ]
}

@test "YAML nested deeper than 512 levels is refused at once, exit 65" {
	perl -e 'print "x: ", "[" x 40000, "]" x 40000, "\n"' >deep.yaml
	run_zn 65 timeout 10 zn-snapshot --declared deep.yaml --offline
	[[ $stderr == *"deep.yaml:1:"*"nested deeper than 512 levels"* ]] || fail "$stderr"
	perl -e 'print "ops: ", "[" x 511, "]" x 511, "\n"' >migrations/20260101_000000_ok.yaml
	run_zn 65 zn-diff --read migrations
	[[ $stderr != *"nested deeper"* ]] || fail "$stderr"
}

@test "invalid UTF-8 in YAML is reported at its line" {
	printf 'ops:\n  - op: rawSql\n    sql: ["SELECT 1"]\n  - op: rawSql\n    sql: ["SELECT \xff"]\n' \
	    >migrations/20260101_000000_u.yaml
	run_zn 65 zn-diff --read migrations
	[[ $stderr == *"20260101_000000_u.yaml:5:"* ]] || fail "$stderr"
}

@test "an input without an end or without newlines is refused, exit 65, not read until memory runs out" {
	printf 'ops:\n  - op: rawSql\n    sql: ["SELECT 1"]\n' >migrations/20260101_000000_a.yaml
	zn-diff --read migrations >plan
	run_zn 65 timeout 20 zn-classify --offline --stats /dev/zero plan
	[[ $stderr == *"/dev/zero:1: a line longer than 64 MiB"* ]] || fail "$stderr"
	run_zn 65 timeout 20 zn-diff --read /dev/zero
	[[ $stderr == *"/dev/zero:1: a line longer than 64 MiB"* ]] || fail "$stderr"
	run_zn 65 timeout 20 sh -c 'head -c 70000000 /dev/zero | tr "\0" "x" | zn-snapshot --graph -'
	[[ $stderr == *"<stdin>:1: a line longer than 64 MiB"* ]] || fail "$stderr"
	# A regular file is mapped, not read through a buffer: the same bound.
	{ printf 'a\n'; head -c 70000000 /dev/zero | tr '\0' 'x'; } >"$BATS_TEST_TMPDIR/long"
	run_zn 65 timeout 20 zn-diff "$BATS_TEST_TMPDIR/long" "$BATS_TEST_TMPDIR/long"
	[[ $stderr == *"/long:2: a line longer than 64 MiB"* ]] || fail "$stderr"
	rm -f "$BATS_TEST_TMPDIR/long"
	# The line is counted across the reads that make it up.
	run_zn 65 timeout 20 sh -c '{ printf "a\\nb\\n"; head -c 70000000 /dev/zero | tr "\0" "x"; } | zn-snapshot --graph -'
	[[ $stderr == *"<stdin>:3: a line longer than 64 MiB"* ]] || fail "$stderr"
}

# resum FILE: the trailer's checksum made right again for the records as
# they now are: zanith's canonical form (kind, v, schema, table and name
# first, then the other keys in byte order), the records between the
# header and the trailer, a migration record without its own checksum.
CANON='def rank: {"kind":0,"v":1,"schema":2,"table":3,"name":4}[.] // 5;
    def canon: if type == "object" then (to_entries |
    sort_by([(.key | rank), .key]) | map(.value |= canon) | from_entries)
    elif type == "array" then map(canon) else . end; canon'
resum() {
	local sum
	sum=$(sed '1d;$d' "$1" | jq -c "$CANON |
	    if .kind == \"migration\" then del(.checksum) else . end" |
	    sha256sum | cut -d' ' -f1)
	{
		head -n 1 "$1"
		sed '1d;$d' "$1" | jq -c "$CANON"
		tail -n 1 "$1" | jq -c --arg s "sha256:$sum" '.checksum = $s'
	} >"$1.new"
	mv "$1.new" "$1"
}

@test "a graph file cut short, at a page's end or anywhere, is refused, exit 65, where it ends" {
	for i in $(seq 1 40); do
		echo "CREATE TABLE t$i (id int PRIMARY KEY, v text NOT NULL);"
	done | zn_sql
	run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/g"
	# Read in place (mapped) from a file; as a stream from a pipe.
	head -c 4096 "$BATS_TEST_TMPDIR/g" >"$BATS_TEST_TMPDIR/page"
	run_zn 65 zn-diff -C "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/page" \
	    "$BATS_TEST_TMPDIR/g"
	[[ $stderr == *"page:"[0-9]*": invalid JSON"* ]] || fail "$stderr"
	run_zn 65 sh -c 'head -c 4096 "$1" | zn-diff -C "$2" - "$1"' sh \
	    "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR"
	[[ $stderr == *"<stdin>:"[0-9]*": invalid JSON"* ]] || fail "$stderr"
	printf '{"kind":"graph"' >"$BATS_TEST_TMPDIR/tiny"
	run_zn 65 zn-snapshot --graph "$BATS_TEST_TMPDIR/tiny"
	[[ $stderr == *"tiny:1:"* ]] || fail "$stderr"
	# And whole, the same file reads back as it was written.
	run_zn 0 zn-snapshot --graph "$BATS_TEST_TMPDIR/g" --json
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/g")"
}

# Whether process $1 has file $2 open.
_has_open() {
	local f
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

@test "a graph file cut short by another process while zn-diff reads it: a message and exit 2, no core dump" {
	[ -d /proc/self/fd ] || skip "no /proc"
	t=$BATS_TEST_TMPDIR
	for i in $(seq 1 40); do
		echo "CREATE TABLE t$i (id int PRIMARY KEY, v text NOT NULL);"
	done | zn_sql
	zn-snapshot -o "$t/a.graph"
	cp "$t/a.graph" "$t/b.graph"
	mkfifo "$t/fifo"
	# Held open read-write, so zn-diff's open of the FIFO returns at once;
	# zn-diff reads FROM (mapped) before it opens TO.
	# (fd 8: bats keeps 3 for itself; zn-diff must not hold a writer.)
	exec 8<>"$t/fifo"
	zn-diff -C "$t" "$t/a.graph" "$t/fifo" >"$t/out" 2>"$t/err" 8>&- 3>&- &
	pid=$!
	zn_wait 30 "zn-diff to open the FIFO" _has_open "$pid" "$t/fifo"
	: >"$t/a.graph"
	cat "$t/b.graph" >&8
	exec 8>&-
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 2 ] || fail "status $status: $(cat "$t/err")"
	grep -q 'zn-diff: a graph file was cut short while it was being read' \
	    "$t/err" || fail "$(cat "$t/err")"
	[ ! -s "$t/out" ]
}

@test "op records with a valid checksum but not what zn-records(5) allows: exit 65, nothing runs" {
	zn_sql -c 'CREATE TABLE public.t (id int)'
	run_zn 0 zn-snapshot -o a.graph
	printf 'CREATE TABLE public.t (id int);\nCREATE TABLE public.u (id int);\nCREATE INDEX t_id ON public.t (id);\n' >s.sql
	zn-diff a.graph s.sql >plan
	# The helper sums as zanith does: the untouched plan stays the same.
	cp plan plan0
	resum plan0
	[ "$(tail -n 1 plan0 | jq -r .checksum)" = "$(tail -n 1 plan | jq -r .checksum)" ]
	bad() {	# jq-filter-on-the-op OP-KIND expected-message
		jq -c --arg k "$2" "if .kind == \"op\" and .op == \$k then $1 else . end" plan >bad
		resum bad
		run_zn 65 zn-apply bad
		[[ $stderr == *"$3"* ]] || fail "$1: $stderr"
		[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname IN ('u', '_zanith_ledger')")" = 0 ] ||
		    fail "$1: something ran"
	}
	bad '.sql = null' createTable 'no "sql" list'
	bad '.sql = [""]' createTable '(createTable): statement 1 is empty'
	bad '.sql = ["  ;  "]' createTable '(createTable): statement 1 is empty'
	bad '.sql = [null]' createTable '(createTable): statement 1 is not text'
	bad '.transactional = false | .sql = [.sql[0], "SELECT 1"]' addIndex '(addIndex): it runs outside a transaction, so it must be one statement, not 2'
	bad '.transactional = false | .sql = ["SELECT 1; SELECT 2"]' addIndex 'outside a transaction, so it must be one statement, not 2'
	bad '.args = [1]' createTable '"args" is not an object'
	bad '.target = 7' createTable '"target" is not text'
	bad '.reverse = "DROP TABLE u"' createTable '"reverse" is not a list'
	bad '.reverse = [1]' createTable 'reverse statement 1 is not text'
	# Set as the step's lock_timeout: what the server takes, or refused.
	bad '.risk = {"level":"low","score":0,"reasons":[],"facts":{"lock_timeout_ms":2147483648}}' createTable \
	    "(createTable): its risk's lock_timeout_ms is not a number of milliseconds from 1 to 2147483647"
	bad '.risk = {"level":"low","score":0,"reasons":[],"facts":{"lock_timeout_ms":0}}' createTable \
	    "(createTable): its risk's lock_timeout_ms is not a number"
	bad '.risk = {"level":"low","score":0,"reasons":[],"facts":{"lock_timeout_ms":"5s"}}' createTable \
	    "(createTable): its risk's lock_timeout_ms is not a number"
	# The header's from_hash guards the plan: it must be text or null.
	jq -c 'if .kind == "plan" then .from_hash = 12 else . end' plan >bad
	resum bad
	run_zn 65 zn-apply bad
	[[ $stderr == *'"from_hash" is not text or null'* ]] || fail "$stderr"
	# The plan as made runs.
	run_zn 0 zn-apply plan
}

@test "a duration needs its unit on the command line and in zanith.yaml, but for 0" {
	run_zn 64 zn-apply --lock-wait 60 migrations
	assert_equal "$stderr" "zn-apply: --lock-wait takes a duration with its unit, such as 60s, 500ms or 2min, not '60'
Try 'zn-apply --help' for more information."
	run_zn 64 zn-classify --lock-timeout 5 --offline /dev/null
	[[ $stderr == *"--lock-timeout takes a duration above 0 with its unit"* ]] || fail "$stderr"
	run_zn 64 zn-snapshot --lock-wait 5
	[[ $stderr == *"--lock-wait takes a duration with its unit"* ]] || fail "$stderr"
	run_zn 0 zn-apply --lock-wait 0 --dry-run migrations
	run_zn 0 zn-apply --lock-wait 1.5s --dry-run migrations
	printf 'gates:\n  max_lock_timeout: 5000\n' >zanith.yaml
	run_zn 65 zn-classify --offline /dev/null
	[[ $stderr == *"zanith.yaml:2:"*"'max_lock_timeout' must be a duration above 0 with its unit"* ]] || fail "$stderr"
}

# A session that holds table t locked until killed; HOLDER is its pid.
hold_t() {
	psql -X -q -c 'BEGIN' -c 'LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE' \
	    -c 'SELECT pg_sleep(120)' >/dev/null 2>&1 3>&- &
	HOLDER=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'public.t'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
}

teardown() {
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null || true
}

# Table t and a view on it: the server renders the view, locking t to
# read its query (t's check zn-snapshot writes itself, opening nothing).
t_and_view() {
	zn_sql -c 'CREATE TABLE public.t (id int CHECK (id > 0))' \
	    -c 'CREATE VIEW public.t_ids AS SELECT id FROM public.t'
}

@test "a snapshot behind a lock waits --lock-wait, then exit 3 with nothing written" {
	t_and_view
	hold_t
	run_zn 3 zn-snapshot --lock-wait 300ms -o out.graph
	[[ $stderr == *"lock timeout (SQLSTATE 55P03)"* ]] || fail "$stderr"
	[[ $stderr == *"longer than 300 ms (--lock-wait); nothing was written"* ]] || fail "$stderr"
	run compgen -G 'out.graph*'
	assert_output ''
}

@test "a snapshot ended by a signal while it waits: exit 130, its query cancelled, no file left" {
	t_and_view
	hold_t
	for sig in INT TERM; do
		zn-snapshot --lock-wait 100s -o out.graph 2>err 3>&- &
		pid=$!
		zn_wait_sql "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND wait_event_type = 'Lock')"
		kill -"$sig" "$pid"
		status=0
		wait "$pid" || status=$?
		assert_equal "$status" 130
		# Its backend does not go on waiting, holding what it took.
		zn_wait_sql "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'zn-snapshot' AND state = 'active')" 10
		run compgen -G 'out.graph*'
		assert_output ''
	done
}

@test "a write that fails leaves no temporary file and names the file" {
	zn_load_fixture full.sql
	# A file size limit: the write fails with EFBIG (its signal ignored).
	run_zn 2 sh -c "trap '' XFSZ; ulimit -f 1; exec zn-snapshot -o out.graph"
	[[ $stderr == "zn-snapshot: cannot write 'out.graph': File too large" ]] || fail "$stderr"
	run compgen -G 'out.graph*'
	assert_output ''
	# An old file keeps what it had.
	echo old >out.graph
	run_zn 2 sh -c "trap '' XFSZ; ulimit -f 1; exec zn-snapshot -o out.graph"
	[ "$(cat out.graph)" = old ]
	run compgen -G 'out.graph*'
	assert_output out.graph
}

@test "memory running out is exit 2, never bad input and never fewer ops" {
	case $ZN_TEST_BUILD in
	*-san) skip "AddressSanitizer reserves more address space than the limits tried" ;;
	esac
	[ -z "${ZN_TEST_VALGRIND:-}" ] ||
	    skip "valgrind needs more address space than the limits tried"
	# Eleven ops that share one large statement through an alias.
	{
		echo 'ops:'
		printf '  - &big {op: rawSql, sql: ["SELECT '"'"'%s'"'"'"]}\n' "$(head -c 2000000 /dev/zero | tr '\0' x)"
		for _ in 1 2 3 4 5 6 7 8 9 10; do echo '  - *big'; done
	} >migrations/20260101_000000_big.yaml
	run_zn 0 zn-diff --read migrations
	[ "$(grep -c '"kind":"op"' <<<"$output")" = 11 ]
	local kb seen2=0 seen0=0
	for kb in 20000 30000 40000 50000 60000 70000 80000 100000 120000 160000; do
		run sh -c "ulimit -v $kb; exec zn-diff --read migrations" 3>&-
		case $status in
		0)	[ "$(grep -c '"kind":"op"' <<<"$output")" = 11 ] ||
			    fail "ulimit -v $kb: exit 0 with fewer ops"
			seen0=1 ;;
		2)	[[ $output == *"out of memory"* || $output == *"cannot"* ]] ||
			    fail "ulimit -v $kb: exit 2 saying: $output"
			seen2=1 ;;
		*)	fail "ulimit -v $kb: exit $status: $output" ;;
		esac
	done
	# Both sides of the line were tried.
	[ "$seen0" = 1 ] && [ "$seen2" = 1 ]
}

@test "the server's notices reach stderr after the command's name, one line each" {
	cat >migrations/20260101_000000_n.yaml <<-'YAML'
	ops:
	  - op: rawSql
	    sql: ["DO $$BEGIN RAISE NOTICE '%', E'two\\nlines'; END$$", "DROP TABLE IF EXISTS public.nope"]
	YAML
	run_zn 0 zn-apply migrations
	assert_equal "$(grep -c '' <<<"$stderr")" 2
	[[ $stderr == *'zn-apply: NOTICE:  two lines'* ]] || fail "$stderr"
	[[ $stderr == *'zn-apply: NOTICE:  table "nope" does not exist, skipping'* ]] || fail "$stderr"
}

@test "names with newlines and escape sequences are shown, not obeyed, in what people read" {
	local id=$'20260101_000000_x\e[31m'
	printf 'ops:\n  - op: rawSql\n    target: "a\\nb\\e[2J"\n    sql: ["SELECT 1"]\n  - op: rawSql\n    target: "c"\n    sql: ["SELECT 1/0"]\n' \
	    >"migrations/$id.yaml"
	run_zn 1 zn-apply migrations
	[[ $output != *$'\e'* && $stderr != *$'\e'* ]] || fail "an escape reached the terminal"
	[ "$(grep -c '' <<<"$output")" = 4 ] || fail "$output"
	assert_line --partial '20260101_000000_x\e[31m 01 rawSql'
	assert_line --partial '  a\nb\e[2J'
	[[ $stderr == 'zn-apply: step 2 (rawSql) of 20260101_000000_x\e[31m failed'* ]] || fail "$stderr"
	run_zn 0 zn-ledger status migrations
	[[ $output != *$'\e'* ]] || fail "an escape reached the terminal"
	assert_line --partial 'failed         20260101_000000_x\e[31m  at step 2'
	run_zn 0 zn-ledger history
	[[ $output != *$'\e'* ]] || fail "an escape reached the terminal"
	# Records keep the names as they are.
	run_zn 1 zn-apply --json migrations
	[ "$(jq -r 'select(.kind == "step") | .migration' <<<"$output" | head -1)" = "$id" ]
}
