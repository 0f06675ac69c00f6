#!/bin/sh
# SPDX-License-Identifier: ISC
# diff.sh: time zn-diff of two graphs, and materialising a declared
# schema, each next to its reference in the same run.
#
# Usage: bench/diff.sh [-H] [-p] [-r RUNS] [-m RUNS] [-z SECS] [-s SEED] [N]
#
#   -r RUNS   timed runs of each zn-diff command (default 21)
#   -m RUNS   timed runs of each materialising command (default 5)
#   -z SECS   pause SECS seconds (untimed) before each run of the four
#             materialising commands (default 0; see below)
#   -s SEED   seed for bench/gen-schema (default 1)
#   -H        do not use hyperfine even when it is installed
#   -p        also profile one zn-diff run with perf (when installed)
#   N         schema size in tables (default 1000; at least 20)
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh) and
# raises its max_locks_per_transaction to 4096 (ALTER SYSTEM, then a
# restart), since a declaration of N tables applied in one transaction
# locks every object it creates; the ephemeral cluster of zn-snapshot
# sets the same value.  Then two parts.
#
# 1. zn-diff.  "bench/gen-schema N SEED" is loaded into databases
#    bench_a and bench_b.  In bench_b, max(10, N/100) tables spread over
#    the schema get one change each, cycling through ten kinds (add a
#    column, add an index, drop a column, change a default, add a CHECK,
#    drop an index, change a column type, drop a NOT NULL, set a table
#    comment, drop a foreign key), and three more records change: a new
#    table with a foreign key, a new enum value, and the last table
#    dropped.  Each database is snapshotted to a graph
#    (zn-snapshot -d DB -o FILE).  Before timing, the op stream of
#    "zn-diff a.graph b.graph" is checked against the ops those changes
#    must give (the list is printed), and "zn-diff a.graph a.graph" must
#    give none.  Timed, with the same runs each, one command after the
#    other:
#
#      zn-diff -C EMPTYDIR a.graph b.graph      the target
#      zn-diff -C EMPTYDIR a.graph a.graph      no differences
#      zn-snapshot --graph a.graph --json
#                                               read one graph, check it
#                                               and write it back
#      diff a.graph b.graph                     a text diff of the files
#
#    No independent schema-diff tool is assumed installed; the last two
#    show what merely reading the input costs.  Peak RSS of zn-diff comes
#    from GNU time's %M over 5 more runs (n/a without GNU time).
#
# 2. Materialising the declared schema (the file gen-schema printed).
#    Timed, one command after the other:
#
#      zn-snapshot -C EMPTYDIR --declared schema.sql --scratch-url URL --json
#                     a new database on the running cluster (URL), the
#                     file applied in one transaction, introspected,
#                     the database dropped
#      psql -X -q -v ON_ERROR_STOP=1 -1 -d bench_p -f schema.sql
#                     the reference; bench_p is dropped and created
#                     (TEMPLATE template0) before each run, untimed
#      zn-snapshot -C EMPTYDIR --declared schema.sql --json
#                     no --scratch-url: zn-snapshot initdb's, starts and
#                     removes its own cluster
#      sh bare-cluster.sh
#                     initdb, start and stop of a cluster as zn-snapshot
#                     does it, nothing applied: the ephemeral cluster's
#                     own cost
#
#    With -z, each run of those four commands (warm-up included) is
#    preceded by an untimed "sleep SECS" (for psql, after its database
#    is recreated).  Why: each of these runs creates and then removes
#    thousands of files (one or more per table, index and sequence), and
#    on an ext4 file system without a journal the kernel skips inodes
#    freed in the last 30 seconds or so when it allocates new ones
#    (recently_deleted() in fs/ext4/ialloc.c), so back to back the
#    file creations of each run are slowed by the previous run's
#    deletions.  -z 35 measures each run as if it were the first in a
#    while; -z 0 measures them back to back.
#
#    And, for the breakdown, with the same runs: creating and dropping a
#    database (the untimed step of the psql runs), and
#    "zn-snapshot -d bench_a --json" (introspecting the same schema
#    live).  The graph of the declaration must have the same hash as the
#    graph of bench_a.
#
# Timing: with hyperfine (found in PATH; not with -H), one hyperfine run
# per command, --shell=none, warm-up runs (3 for zn-diff, 1 for
# materialising), and --prepare for the psql runs' database and the
# pauses; the raw times and the mean CPU times come from its
# --export-json.  Without it, the same runs, each timed with date +%s%N
# (or GNU time's %e), after the same warm-ups; CPU times from GNU time.
# CPU times are those of the command and the children it waits for: the
# own cluster's server and initdb count for zn-snapshot without
# --scratch-url, initdb for bare-cluster.sh, and the running cluster's
# server for none.  Prints the machine, the exact commands, the medians,
# the targets (zn-diff median at most 100 ms; zn-snapshot --scratch-url
# median at most twice psql's) and the raw times.  Progress goes to
# stderr, the report to stdout.
#
# Environment: ZN_SNAPSHOT, ZN_DIFF (the binaries; default the ones in
# PATH, else build/bin next to this script's directory), ZN_PG_BINDIR
# and ZN_PGTMP_USER (see pgtmp.sh), PGOPTIONS (shown in the report).
# ZN_SCRATCH_URL is unset, so that the run without --scratch-url makes
# its own cluster.  The cluster is stopped and removed on exit.  Exits 1
# when a schema fails to load, a run fails, the ops are not the ones
# expected or the declaration's graph is not bench_a's, 2 on a usage
# error; a missed target does not change the status.

usage() {
	echo "usage: diff.sh [-H] [-p] [-r RUNS] [-m RUNS] [-z SECS] [-s SEED] [N]" >&2
	exit 2
}

die() {
	echo "diff.sh: $*" >&2
	exit 1
}

say() {
	echo "diff.sh: $*" >&2
}

# shellcheck source=bench/common.sh disable=SC1091
. "$(dirname "$0")/common.sh"
# Set by bench_setup (common.sh), for shellcheck run without -x.
tmp=${tmp-}

# shq WORD: WORD quoted for sh (and for hyperfine's word splitting)
# when it needs quoting.
shq() {
	case $1 in
	'' | *[!A-Za-z0-9_./=:,+-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# cmdline WORD...: the words as one quoted command line.
cmdline() {
	_l=
	for _w in "$@"; do
		_l="$_l${_l:+ }$(shq "$_w")"
	done
	printf '%s\n' "$_l"
}

runs=21
mruns=5
pause=0
seed=1
usehf=1
prof=
while getopts Hpr:m:s:z: opt; do
	case $opt in
	H) usehf= ;;
	p) prof=1 ;;
	r) runs=$OPTARG ;;
	m) mruns=$OPTARG ;;
	z) pause=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
isnum "$runs" || usage
isnum "$mruns" || usage
isnum "$seed" || usage
case $pause in
'' | *[!0-9]*) usage ;;
esac
[ $# -le 1 ] || usage
n=${1:-1000}
isnum "$n" || usage
[ "$n" -ge 20 ] || usage

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find the script's directory"
top=${here%/*}
gen=$here/gen-schema
[ -r "$gen" ] || die "no $gen"

# bin NAME ENVVALUE: the zanith binary to time.
zn=$(bin zn-snapshot "${ZN_SNAPSHOT:-}")
zd=$(bin zn-diff "${ZN_DIFF:-}")
[ -x "$zn" ] || die "no zn-snapshot at $zn (run make all, or set ZN_SNAPSHOT)"
[ -x "$zd" ] || die "no zn-diff at $zd (run make all, or set ZN_DIFF)"
unset ZN_SCRATCH_URL

# shellcheck disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
psql=$(tool psql) || exit 1
textdiff=$(command -v diff) || die "no diff in PATH"
jq=$(command -v jq) || die "no jq in PATH (it reads the op stream for the check)"

hf=
if [ -n "$usehf" ] && command -v hyperfine >/dev/null 2>&1; then
	hf=$(command -v hyperfine)
fi
bench_timers
if [ -n "$prof" ] && ! command -v perf >/dev/null 2>&1; then
	say "no perf: -p ignored"
	prof=
fi

bench_setup
status=0

say "starting a PostgreSQL cluster"
zn_pgtmp_start || die "the PostgreSQL cluster did not start"
# PGDATABASE from pgtmp is "postgres"; every command names its database.
export PGHOST PGPORT PGUSER

q() {
	"$psql" -X -v ON_ERROR_STOP=1 -q -At "$@"
}

# pgtmp.sh starts the server with its own postgresql.conf; the lock
# table is sized at start, so set the value and restart.
locks=4096
q -d postgres -c "ALTER SYSTEM SET max_locks_per_transaction = $locks" ||
    die "cannot set max_locks_per_transaction"
_zn_pgtmp_as "$bindir/pg_ctl" -w -t 60 -D "$ZN_PGTMP_DIR/data" \
    -l "$ZN_PGTMP_DIR/server.log" restart >/dev/null 2>&1 </dev/null 3>&- ||
    die "the PostgreSQL cluster did not restart (see $ZN_PGTMP_DIR/server.log)"
[ "$(q -d postgres -c "SHOW max_locks_per_transaction")" = "$locks" ] ||
    die "max_locks_per_transaction is not $locks after the restart"

# The timing machinery.  Each result file holds "seconds rss_kib", one
# line per timed run; a .cpu file "user_s sys_s" (means) when known.

# timed FILE CMD...: runs CMD with stdout to /dev/null, appends
# "seconds rss_kib" to FILE; dies if CMD fails.

# bench LABEL WARMUP RUNS PREPARE CMDLINE: times CMDLINE (words quoted
# as by cmdline) RUNS times after WARMUP untimed runs, running PREPARE
# (a command line too, or empty) untimed before each.  Results go to
# $tmp/res-LABEL.
bench() {
	_lab=$1 _warm=$2 _runs=$3 _prep=$4 _cmd=$5
	_out=$tmp/res-$_lab
	rm -f "$_out" "$_out.cpu" "$_out.cpus"
	if [ -n "$hf" ]; then
		if [ -n "$_prep" ]; then
			"$hf" -N -w "$_warm" -r "$_runs" --style basic \
			    --prepare "$_prep" --export-json "$tmp/hf.json" \
			    "$_cmd" >"$tmp/hf.out" 2>&1
		else
			"$hf" -N -w "$_warm" -r "$_runs" --style basic \
			    --export-json "$tmp/hf.json" \
			    "$_cmd" >"$tmp/hf.out" 2>&1
		fi || {
			cat "$tmp/hf.out" >&2
			die "failed under hyperfine: $_cmd"
		}
		# hyperfine 1.x: one "results" entry; "times" one per line.
		awk '
		/"times": *\[/ { t = 1; next }
		t && /\]/ { t = 0; next }
		t { v = $1; sub(/,$/, "", v); printf "%.4f n/a\n", v }
		' "$tmp/hf.json" >"$_out"
		awk '
		/"user":/ { u = $2; sub(/,$/, "", u) }
		/"system":/ { s = $2; sub(/,$/, "", s) }
		END { printf "%.4f %.4f\n", u, s }' "$tmp/hf.json" >"$_out.cpu"
		[ "$(wc -l <"$_out" | tr -d ' ')" -eq "$_runs" ] ||
		    die "cannot read hyperfine's times for: $_cmd"
		return 0
	fi
	eval "set -- $_cmd"
	_i=0
	while [ "$_i" -lt $((_warm + _runs)) ]; do
		if [ -n "$_prep" ]; then
			(eval "$_prep") >/dev/null 2>&1 ||
			    die "failed: $_prep"
		fi
		if [ "$_i" -lt "$_warm" ]; then
			timed "$tmp/warm" "$@"
		else
			timed "$_out" "$@"
		fi
		_i=$((_i + 1))
	done
	awk '$1 == "n/a" { na = 1 } { u += $1; s += $2 }
	    END { if (na || NR == 0) print "n/a n/a";
	    else printf "%.4f %.4f\n", u / NR, s / NR }' "$_out.cpus" \
	    >"$_out.cpu"
}


# minmax FILE: "min-max" of column 1.
minmax() {
	sort -n "$1" | awk 'NR == 1 { a = $1 } { b = $1 }
	    END { printf "%.4f-%.4f", a, b }'
}

# row LABEL NAME: one line of a results table.
row() {
	printf '  %-38s %8s %15s %12s\n' "$2" "$(median "$tmp/res-$1")" \
	    "$(minmax "$tmp/res-$1")" "$(cat "$tmp/res-$1.cpu")"
}

tname() {
	printf 't_%05d' "$1"
}

# Part 1: two graphs.
"$gen" "$n" "$seed" >"$tmp/schema.sql" || die "gen-schema $n $seed failed"
for db in bench_a bench_b; do
	say "loading $db ($n tables)"
	q -d postgres -c "CREATE DATABASE $db" ||
	    die "cannot create database $db"
	q -d "$db" -f "$tmp/schema.sql" >"$tmp/load.log" 2>&1 || {
		cat "$tmp/load.log" >&2
		die "bench/gen-schema $n $seed did not load into $db"
	}
done

# The changes: k tables at even intervals, one change each, the kinds in
# turn; then three more records.  $tmp/expected gets the ops they must
# give, "op target", one a line.
# The last table is dropped, so none of the k may be it: below about 40
# tables the offset shrinks (at N = 20 every other table changes, the
# first, third, ..., nineteenth).
k=$((n / 100))
[ "$k" -ge 10 ] || k=10
off=$((n / (2 * k) + 1))
[ $(((k - 1) * n / k + off)) -lt "$n" ] || off=$(((n / k - 1) / 2 + 1))
: >"$tmp/change.sql"
: >"$tmp/expected"
j=0
while [ "$j" -lt "$k" ]; do
	i=$((j * n / k + off))
	t=$(tname "$i")
	tt=bench.$t
	case $((j % 10)) in
	0)
		echo "ALTER TABLE $tt ADD COLUMN bench_extra text;"
		echo "addColumn $tt.bench_extra" >>"$tmp/expected"
		;;
	1)
		echo "CREATE INDEX ${t}_bench_ix ON $tt (created_at, id);"
		echo "addIndex $tt.${t}_bench_ix" >>"$tmp/expected"
		;;
	2)
		# The last column of the first table from here on with a
		# column nothing depends on (no index, constraint or
		# sequence; its default goes with it).
		next=$(tname $(((j + 1) * n / k + off)))
		# shellcheck disable=SC2046
		set -- $(q -d bench_b -F ' ' -c "
		    SELECT c.relname, a.attname
		    FROM pg_catalog.pg_attribute a
		    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
		    JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
		    WHERE s.nspname = 'bench' AND c.relkind = 'r'
		      AND c.relname >= '$t' AND c.relname < '$next'
		      AND a.attnum > 0 AND NOT a.attisdropped
		      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
		        WHERE d.refclassid = 'pg_catalog.pg_class'::regclass
		          AND d.refobjid = a.attrelid
		          AND d.refobjsubid = a.attnum
		          AND d.classid <> 'pg_catalog.pg_attrdef'::regclass)
		    ORDER BY c.relname, a.attnum DESC LIMIT 1")
		[ $# -eq 2 ] ||
		    die "no droppable column in tables $t to $next of bench_b"
		echo "ALTER TABLE bench.$1 DROP COLUMN $2;"
		echo "softDropColumn bench.$1.$2" >>"$tmp/expected"
		;;
	3)
		echo "ALTER TABLE $tt ALTER COLUMN created_at SET DEFAULT clock_timestamp();"
		echo "alterColumnDefault $tt.created_at" >>"$tmp/expected"
		;;
	4)
		echo "ALTER TABLE $tt ADD CONSTRAINT ${t}_bench_check CHECK (id > 0);"
		# On a table that exists: added NOT VALID, then validated.
		echo "addCheck $tt.${t}_bench_check" >>"$tmp/expected"
		echo "validateConstraint $tt.${t}_bench_check" >>"$tmp/expected"
		;;
	5)
		echo "DROP INDEX ${tt}_ix1;"
		echo "dropIndex $tt.${t}_ix1" >>"$tmp/expected"
		;;
	6)
		echo "ALTER TABLE $tt ALTER COLUMN code TYPE varchar(300);"
		echo "alterColumnType $tt.code" >>"$tmp/expected"
		;;
	7)
		echo "ALTER TABLE $tt ALTER COLUMN code DROP NOT NULL;"
		echo "alterColumnNullable $tt.code" >>"$tmp/expected"
		;;
	8)
		echo "COMMENT ON TABLE $tt IS 'changed by bench/diff.sh';"
		echo "setComment $tt" >>"$tmp/expected"
		;;
	9)
		echo "ALTER TABLE $tt DROP CONSTRAINT ${t}_ref_1_fk;"
		echo "dropForeignKey $tt.${t}_ref_1_fk" >>"$tmp/expected"
		;;
	esac >>"$tmp/change.sql"
	j=$((j + 1))
done
last=bench.$(tname "$n")
cat >>"$tmp/change.sql" <<EOF
CREATE TABLE bench.t_bench_new (id bigint PRIMARY KEY, t_00001_id bigint REFERENCES bench.t_00001 (id), note text);
ALTER TYPE bench.status_1 ADD VALUE 'bench_added';
DROP TABLE $last;
EOF
cat >>"$tmp/expected" <<EOF
createTable bench.t_bench_new
addEnumValue bench.status_1.bench_added
softDropTable $last
EOF
changed=$((k + 3))
q -d bench_b -f "$tmp/change.sql" >"$tmp/load.log" 2>&1 || {
	cat "$tmp/load.log" >&2
	die "the changes did not apply to bench_b"
}

# objects DB: "records columns indexes constraints" of schema bench.
objects() {
	q -d "$1" -F ' ' -c "SELECT
	    (SELECT count(*) FROM pg_catalog.pg_class c
	     JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
	     WHERE s.nspname = 'bench' AND c.relkind IN ('r', 'S')),
	    (SELECT count(*) FROM pg_catalog.pg_attribute a
	     JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	     JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
	     WHERE s.nspname = 'bench' AND c.relkind = 'r'
	       AND a.attnum > 0 AND NOT a.attisdropped),
	    (SELECT count(*) FROM pg_catalog.pg_index i
	     JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
	     JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
	     WHERE s.nspname = 'bench'),
	    (SELECT count(*) FROM pg_catalog.pg_constraint co
	     JOIN pg_catalog.pg_namespace s ON s.oid = co.connamespace
	     WHERE s.nspname = 'bench' AND co.contype IN ('c', 'f', 'p', 'u'))"
}
objs_a=$(objects bench_a) || die "cannot count the objects of bench_a"

say "snapshotting bench_a and bench_b"
"$zn" -C "$tmp/empty" -d bench_a -o "$tmp/a.graph" ||
    die "zn-snapshot -d bench_a failed"
"$zn" -C "$tmp/empty" -d bench_b -o "$tmp/b.graph" ||
    die "zn-snapshot -d bench_b failed"
# trailer FILE KEY: a number from the last line of a graph or op stream.
trailer() {
	tail -n 1 "$1" | sed -n "s/.*\"$2\":\\([0-9]*\\).*/\\1/p"
}
recs_a=$(trailer "$tmp/a.graph" objects)
recs_b=$(trailer "$tmp/b.graph" objects)

# The ops: what the changes must give, and nothing else.
"$zd" -C "$tmp/empty" "$tmp/a.graph" "$tmp/b.graph" >"$tmp/ops.jsonl" ||
    die "zn-diff a.graph b.graph failed"
"$zd" -C "$tmp/empty" "$tmp/a.graph" "$tmp/a.graph" >"$tmp/ops-same.jsonl" ||
    die "zn-diff a.graph a.graph failed"
"$zd" -C "$tmp/empty" "$tmp/b.graph" "$tmp/a.graph" >"$tmp/ops-back.jsonl" ||
    die "zn-diff b.graph a.graph failed"
"$jq" -r 'select(.kind == "op") | .op + " " + .target' "$tmp/ops.jsonl" \
    >"$tmp/found" || die "cannot read the op stream of zn-diff a.graph b.graph"
nops=$(trailer "$tmp/ops.jsonl" ops)
nsame=$(trailer "$tmp/ops-same.jsonl" ops)
nback=$(trailer "$tmp/ops-back.jsonl" ops)
nexp=$(wc -l <"$tmp/expected" | tr -d ' ')
nfound=$(wc -l <"$tmp/found" | tr -d ' ')
sort "$tmp/expected" >"$tmp/expected.s"
sort "$tmp/found" >"$tmp/found.s"
opsok=1
if ! cmp -s "$tmp/expected.s" "$tmp/found.s" || [ "$nops" != "$nfound" ]; then
	opsok=
	status=1
	say "the ops are not the ones expected:"
	diff "$tmp/expected.s" "$tmp/found.s" >&2
fi
if [ "$nsame" != 0 ]; then
	opsok=
	status=1
	say "zn-diff a.graph a.graph gave $nsame ops, not 0"
fi

say "timing zn-diff: $runs runs of each command"
# On the command lines the files are named as in the report.
cd "$tmp" || die "cannot enter $tmp"
c_diff=$(cmdline "$zd" -C empty a.graph b.graph)
c_same=$(cmdline "$zd" -C empty a.graph a.graph)
c_read=$(cmdline "$zn" --graph a.graph --json)
bench diff 3 "$runs" "" "$c_diff"
bench same 3 "$runs" "" "$c_same"
bench read 3 "$runs" "" "$c_read"
# diff exits 1 when the files differ: run it through a wrapper.
printf '#!/bin/sh\n"$@"\n[ $? -le 1 ]\n' >"$tmp/ok1.sh"
c_text=$(cmdline sh ok1.sh "$textdiff" a.graph b.graph)
bench text 3 "$runs" "" "$c_text"
rm -f "$tmp/res-diff-rss"
if [ -n "$gnutime" ]; then
	i=0
	while [ "$i" -lt 5 ]; do
		"$gnutime" -f '%M' -o "$tmp/time" "$zd" -C empty a.graph \
		    b.graph >/dev/null || die "zn-diff failed under GNU time"
		tail -n 1 "$tmp/time" >>"$tmp/res-diff-rss"
		i=$((i + 1))
	done
	diffrss=$(sort -n "$tmp/res-diff-rss" | tail -n 1 |
	    awk '{ printf "%.1f", $1 / 1024 }')
else
	diffrss=n/a
fi
if [ -n "$prof" ]; then
	say "profiling one zn-diff run with perf"
	perf record -q --call-graph dwarf,32768 -F 4000 -o "$tmp/perf.data" \
	    "$zd" -C empty a.graph b.graph >/dev/null 2>"$tmp/perf.err" ||
	    say "perf record failed: $(cat "$tmp/perf.err")"
fi

# Part 2: materialising.
say "timing materialising: $mruns runs of each command"
url="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$PGUSER"
# A check first: the declaration's graph is bench_a's.
"$zn" -C empty --declared schema.sql --scratch-url "$url" -o decl.graph ||
    die "zn-snapshot --declared schema.sql --scratch-url failed"
hdecl=$(tail -n 1 decl.graph | sed -n 's/.*"hash":"\([^"]*\)".*/\1/p')
hlive=$(tail -n 1 a.graph | sed -n 's/.*"hash":"\([^"]*\)".*/\1/p')
if [ -n "$hdecl" ] && [ "$hdecl" = "$hlive" ]; then
	hashok=1
else
	hashok=
	status=1
	say "the declaration's graph ($hdecl) is not bench_a's ($hlive)"
fi

# The psql runs' untimed step, and its cost measured on its own.
cat >prep.sh <<EOF
#!/bin/sh
"$psql" -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_p' &&
"$psql" -X -q -d postgres -c "CREATE DATABASE bench_p TEMPLATE template0 ENCODING 'UTF8'"
EOF
[ "$pause" -eq 0 ] || echo "sleep $pause" >>prep.sh
cat >createdrop.sh <<EOF
#!/bin/sh
"$psql" -X -q -d postgres -c "CREATE DATABASE bench_cd TEMPLATE template0 ENCODING 'UTF8'" &&
"$psql" -X -q -d postgres -c 'DROP DATABASE bench_cd'
EOF
# A bare ephemeral cluster: what zn-snapshot does in lib/scratch.c
# (initdb with the same options and settings, start, an immediate stop,
# the directory removed), with nothing applied.
cat >bare-cluster.sh <<EOF
#!/bin/sh
bindir='$bindir'
user='${ZN_PGTMP_USER:-postgres}'
EOF
cat >>bare-cluster.sh <<'EOF'
as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$user" -- "$@"
	else
		"$@"
	fi
}
d=$(mktemp -d "${TMPDIR:-/tmp}/zn-bare.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
[ "$(id -u)" -ne 0 ] || chown "$user" "$d" || exit 1
as "$bindir/initdb" -A trust -U postgres --no-sync -E UTF8 --locale=C \
    -D "$d/data" >"$d/initdb.log" 2>&1 || exit 1
cat >>"$d/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$d'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 20
shared_buffers = 32MB
max_locks_per_transaction = 4096
log_min_messages = warning
CONF
as "$bindir/pg_ctl" -w -t 60 -D "$d/data" -l "$d/server.log" start \
    >/dev/null 2>&1 </dev/null || exit 1
as "$bindir/pg_ctl" -D "$d/data" -m immediate stop >/dev/null 2>&1 </dev/null
EOF
c_url=$(cmdline "$zn" -C empty --declared schema.sql --scratch-url "$url" --json)
c_psql=$(cmdline "$psql" -X -q -v ON_ERROR_STOP=1 -1 -d bench_p -f schema.sql)
c_prep=$(cmdline sh prep.sh)
c_eph=$(cmdline "$zn" -C empty --declared schema.sql --json)
c_bare=$(cmdline sh bare-cluster.sh)
c_cd=$(cmdline sh createdrop.sh)
c_live=$(cmdline "$zn" -C empty -d bench_a --json)
c_pause=
[ "$pause" -eq 0 ] || c_pause="sleep $pause"
bench url 1 "$mruns" "$c_pause" "$c_url"
bench psql 1 "$mruns" "$c_prep" "$c_psql"
bench eph 1 "$mruns" "$c_pause" "$c_eph"
bench bare 1 "$mruns" "$c_pause" "$c_bare"
bench cd 1 "$mruns" "" "$c_cd"
bench live 1 "$mruns" "" "$c_live"
left=$(q -d postgres -c "SELECT count(*) FROM pg_catalog.pg_database
    WHERE datname LIKE 'zn\\_scratch\\_%'") || left='?'

# The report.
servver=$(q -d postgres -c "SHOW server_version") || servver=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
digest() {
	if command -v sha256sum >/dev/null 2>&1; then
		echo "$1 (sha256 $(sha256sum <"$1" | cut -c1-16)...)"
	else
		echo "$1"
	fi
}

echo "zn-diff and declared-schema benchmark (bench/diff.sh)"
echo
echo "Machine"
echo "  cpus:       $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
echo "  cpu model:  ${cpu:-unknown}"
echo "  memory:     ${mem:-unknown}"
echo "  kernel:     $(uname -srm)"
echo "  postgresql: $servver (throwaway cluster from tests/helpers/pgtmp.sh," \
    "Unix socket, fsync off, shared_buffers 32MB, max_locks_per_transaction $locks)"
echo "  psql:       $("$psql" --version)"
echo "  zn:         $("$zn" --version 2>&1 | head -n 1)"
echo "  zn-snapshot: $(digest "$zn")"
echo "  zn-diff:    $(digest "$zd")"
if [ -n "$hf" ]; then
	echo "  timer:      $("$hf" --version) (--shell=none)"
else
	echo "  timer:      date +%s%N around each run (no hyperfine)"
fi
echo "  load avg:   ${load0:-n/a} at start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) at end (1, 5, 15 min)"
echo "  PGOPTIONS:  ${PGOPTIONS:-(not set)}"
echo
echo "Setup"
echo "  schema:  bench/gen-schema $n $seed > schema.sql"
echo "           ($(wc -l <schema.sql | tr -d ' ') lines," \
    "$(wc -c <schema.sql | tr -d ' ') bytes)"
echo "  load:    psql -v ON_ERROR_STOP=1 -q -d bench_a -f schema.sql;" \
    "the same into bench_b"
echo "  server:  ALTER SYSTEM SET max_locks_per_transaction = $locks;" \
    "pg_ctl restart"
echo "  changes: psql -d bench_b -f change.sql ($changed statements):"
sed 's/^/             /' change.sql
echo "  graphs:  $zn -C empty -d bench_a -o a.graph (and bench_b, b.graph)"
# shellcheck disable=SC2086
set -- $objs_a
echo "  a.graph: $recs_a records ($(wc -c <a.graph | tr -d ' ') bytes);" \
    "bench_a has $1 tables and sequences, $2 columns, $3 indexes," \
    "$4 constraints"
echo "  b.graph: $recs_b records ($(wc -c <b.graph | tr -d ' ') bytes)"
awk -v c="$changed" -v k="$k" -v r="$recs_a" -v t="$n" \
    -v o="$(($1 + $2 + $3 + $4))" '
BEGIN {
	printf "  changed: %d of %d tables altered (%.1f%%), one table added," \
	    " one dropped, one enum\n           value added: %d of %d graph" \
	    " records (%.2f%%), %d changes against ~%d catalog\n" \
	    "           objects (tables, sequences, columns, indexes," \
	    " constraints; %.2f%%)\n", k, t, 100 * k / t, c, r, 100 * c / r,
	    c, o, 100 * c / o
}'
echo
echo "Part 1: zn-diff of the two graphs"
echo
echo "  Ops of zn-diff a.graph b.graph: $nops (expected $nexp):" \
    "$([ -n "$opsok" ] && echo "as expected" || echo "MISMATCH")"
awk '{ c[$1]++ } END { for (k in c) printf "    %3d %s\n", c[k], k }' \
    found | sort -k2
echo "  Ops of zn-diff a.graph a.graph: $nsame (expected 0);" \
    "b.graph a.graph (the way back): $nback"
echo
echo "  Commands ($runs timed runs each after 3 warm-ups; in $tmp," \
    "files as named)"
echo "    diff:   $c_diff >/dev/null"
echo "    same:   $c_same >/dev/null"
echo "    read:   $c_read >/dev/null"
echo "    text:   $c_text >/dev/null   (ok1.sh: runs it, exit 0 or 1 is success)"
echo "    rss:    $gnutime -f %M $c_diff >/dev/null  (5 runs, largest)"
echo
printf '  %-38s %8s %15s %12s\n' "command" "median s" "min-max s" "user sys s"
row diff "zn-diff a.graph b.graph"
row same "zn-diff a.graph a.graph"
row read "zn-snapshot --graph a.graph"
row text "diff a.graph b.graph (text)"
echo
echo "  user sys s: mean CPU seconds (user, system) of the command and the" \
    "children it waited for."
echo
echo "Part 2: materialising the declared schema ($n tables)"
echo
echo "  Check: graph of --declared schema.sql = graph of bench_a:" \
    "$([ -n "$hashok" ] && echo "same hash" || echo "DIFFERENT")"
echo "  Scratch databases left on the server: $left"
echo
echo "  Commands ($mruns timed runs each after 1 warm-up; in $tmp)"
if [ "$pause" -eq 0 ]; then
	echo "    (back to back: no pause between runs)"
else
	echo "    (url, psql, eph, bare: before each run, untimed: $c_pause)"
fi
echo "    url:    $c_url >/dev/null"
echo "    psql:   $c_psql >/dev/null"
echo "            before each run, untimed: $c_prep"
sed 's/^/              /' prep.sh
echo "    eph:    $c_eph >/dev/null"
echo "    bare:   $c_bare"
sed 's/^/              /' bare-cluster.sh
echo "    cd:     $c_cd"
sed 's/^/              /' createdrop.sh
echo "    live:   $c_live >/dev/null"
echo
printf '  %-38s %8s %15s %12s\n' "command" "median s" "min-max s" "user sys s"
row url "zn-snapshot --declared --scratch-url"
row psql "psql -1 -f schema.sql"
row eph "zn-snapshot --declared (own cluster)"
row bare "initdb + start + stop (bare)"
row cd "CREATE + DROP DATABASE"
row live "zn-snapshot -d bench_a (live)"
echo
m_url=$(median res-url)
m_psql=$(median res-psql)
m_eph=$(median res-eph)
m_bare=$(median res-bare)
m_cd=$(median res-cd)
m_live=$(median res-live)
awk -v u="$m_url" -v p="$m_psql" -v e="$m_eph" -v b="$m_bare" \
    -v c="$m_cd" -v l="$m_live" '
BEGIN {
	printf "  --scratch-url / psql:                      %.2f\n", u / p
	printf "  own cluster - bare cluster:                %.3f s" \
	    " (materialising, initdb excluded)\n", e - b
	printf "  own cluster / psql:                        %.2f" \
	    " (initdb included)\n", e / p
	printf "  psql + create/drop + live snapshot:        %.3f s" \
	    " (the sum of the parts of a --scratch-url run)\n", p + c + l
}'
echo
echo "Targets"
awk -v d="$(median res-diff)" -v r="$diffrss" 'BEGIN {
	printf "  zn-diff median %.3f s <= 0.100 s: %s (peak RSS %s MiB)\n",
	    d, d <= 0.1 ? "holds" : "MISSED", r
}'
awk -v u="$m_url" -v p="$m_psql" 'BEGIN {
	printf "  --scratch-url median %.3f s <= 2 x psql %.3f s = %.3f s:" \
	    " %s (ratio %.2f)\n", u, p, 2 * p, u <= 2 * p ? "holds" : "MISSED",
	    u / p
}'
echo
echo "Raw wall seconds (timed runs, in order)"
for l in diff same read text url psql eph bare cd live; do
	printf '  %-5s' "$l:"
	awk '{ printf " %s", $1 } END { print "" }' "res-$l"
done
if [ -n "$gnutime" ]; then
	printf '  zn-diff peak RSS KiB:'
	awk '{ printf " %s", $1 } END { print "" }' res-diff-rss
fi
if [ -n "$prof" ] && [ -s perf.data ]; then
	echo
	echo "perf: one run of $c_diff (--call-graph dwarf; inclusive" \
	    "share of the samples, named functions of 3% or more)"
	perf report -i perf.data --children --stdio --sort sym -g none \
	    --percent-limit 3 2>/dev/null | grep '%' | grep -v '0x0000' |
	    grep -v '_start\|__libc_start' | head -n 40
fi
[ "$status" -eq 0 ]
