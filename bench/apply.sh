#!/bin/sh
# SPDX-License-Identifier: ISC
# apply.sh: time zn-apply on a migration of N createTable steps, each
# recorded in the ledger, next to psql running the same SQL, in the
# same run on the same throwaway server.
#
# Usage: bench/apply.sh [-r RUNS] [N]
#
#   -r RUNS   timed runs of each command (default 7)
#   N         createTable steps (default 1000)
#
# Setup.  A throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh; fsync
# off, as for the tests).  bench.yaml is one migration of N createTable
# ops, each "CREATE TABLE public.tI (id bigint PRIMARY KEY, name text NOT
# NULL, created timestamptz NOT NULL DEFAULT now())"; "zn-diff --read"
# makes it the op stream stream.jsonl; bench.sql holds the same N
# statements, one a line.
#
# Each run, for each command in turn, a fresh database is made from
# template0, a CHECKPOINT is taken, and the command is timed against it (wall time, and peak
# RSS with GNU time); then the result is checked (N tables; for zn-apply
# N done steps in the ledger and the migration row) and the database is
# dropped.  Commands:
#
#   psql -X -q -1 -v ON_ERROR_STOP=1 -f bench.sql     the reference
#   psql -X -q -v ON_ERROR_STOP=1 -f bench.sql        one commit a statement
#   zn-apply stream.jsonl                             a transaction and a
#                                                     ledger row per step
#   zn-apply --atomic stream.jsonl                    one transaction
#
# Targets: zn-apply's overhead over psql -1, (median zn-apply - median
# psql -1) / N, at most 2 ms a step; zn-apply --atomic at most 1.5 times
# psql -1; zn-apply's peak RSS at most 32 MiB (asked at N = 15,000: the
# plan is held, its parsed parts only while a step runs, and the schema
# snapshots are read a batch of relations at a time, kept on disk and
# stored with COPY).  zn-apply's time includes connecting, the lock,
# creating the ledger, reading the stream and the schema snapshots
# before and after.
#
# Environment: ZN_APPLY, ZN_DIFF (the binaries; default the ones in
# PATH, else build/bin next to this script's directory), ZN_PG_BINDIR
# and ZN_PGTMP_USER (see pgtmp.sh).  Prints the machine, the setup, the
# exact commands, the medians, the targets and the raw times; progress
# goes to stderr, the report to stdout.  Exits 1 when a run or a check
# fails, 2 on a usage error; a missed target does not change the status.

usage() {
	echo "usage: apply.sh [-r RUNS] [N]" >&2
	exit 2
}

die() {
	echo "apply.sh: $*" >&2
	exit 1
}

say() {
	echo "apply.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

runs=7
while getopts r: opt; do
	case $opt in
	r) runs=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
n=${1:-1000}
isnum "$runs" || usage
isnum "$n" || usage
[ $# -le 1 ] || usage

top=$(cd "$(dirname "$0")/.." && pwd)
ZN_TOP=$top
export ZN_TOP
# shellcheck source=tests/helpers/pgtmp.sh disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
unset DATABASE_URL ZN_DATABASE_URL ZN_CONFIG

apply=$(bin zn-apply "${ZN_APPLY:-}")
diff=$(bin zn-diff "${ZN_DIFF:-}")
[ -x "$apply" ] || die "no zn-apply (make, or set ZN_APPLY)"
[ -x "$diff" ] || die "no zn-diff (make, or set ZN_DIFF)"

bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries"
bench_setup
bench_timers
say "starting a throwaway PostgreSQL"
zn_pgtmp_start || die "the server did not start"
psql=$(tool psql)

i=1
{
	echo "ops:"
	while [ "$i" -le "$n" ]; do
		printf '  - op: createTable\n    target: public.t%d\n' "$i"
		printf '    sql: ["CREATE TABLE public.t%d (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now())"]\n' "$i"
		i=$((i + 1))
	done
} >"$tmp/20260101_000000_bench.yaml"
"$diff" --read "$tmp/20260101_000000_bench.yaml" >"$tmp/stream.jsonl" ||
    die "zn-diff --read failed"
sed -n 's/^    sql: \["\(.*\)"\]$/\1;/p' "$tmp/20260101_000000_bench.yaml" \
    >"$tmp/bench.sql"
[ "$(wc -l <"$tmp/bench.sql")" -eq "$n" ] || die "bench.sql is not $n lines"

q() {
	"$psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

fresh() {
	q -d postgres -c "DROP DATABASE IF EXISTS bench_a" \
	    -c "CREATE DATABASE bench_a TEMPLATE template0" -c "CHECKPOINT" \
	    >/dev/null 2>&1 ||
	    die "cannot make database bench_a"
}

check() {
	t=$(q -d bench_a -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'")
	[ "$t" -eq "$n" ] || die "$1: $t tables, not $n"
	case $1 in
	zn-apply*)
		d=$(q -d bench_a -c "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")
		m=$(q -d bench_a -c "SELECT count(*) FROM _zanith_migrations")
		if [ "$d" -ne "$n" ] || [ "$m" -ne 1 ]; then
			die "$1: $d done steps and $m migrations on record"
		fi
		;;
	esac
}

names="psql-1 psql zn-apply zn-apply-atomic"
cmd_of() {
	case $1 in
	psql-1) echo "$psql -X -q -1 -v ON_ERROR_STOP=1 -d bench_a -f $tmp/bench.sql" ;;
	psql) echo "$psql -X -q -v ON_ERROR_STOP=1 -d bench_a -f $tmp/bench.sql" ;;
	zn-apply) echo "$apply -d dbname=bench_a $tmp/stream.jsonl" ;;
	zn-apply-atomic) echo "$apply --atomic -d dbname=bench_a $tmp/stream.jsonl" ;;
	esac
}

# One warm-up of each, checked, then the timed runs, interleaved.
for c in $names; do
	fresh
	# shellcheck disable=SC2046
	timed "$tmp/warm" $(cmd_of "$c")
	check "$c"
done
r=1
while [ "$r" -le "$runs" ]; do
	say "run $r of $runs"
	for c in $names; do
		fresh
		# shellcheck disable=SC2046
		timed "$tmp/$c" $(cmd_of "$c")
		check "$c"
	done
	r=$((r + 1))
done
q -d postgres -c "DROP DATABASE bench_a" >/dev/null

p1=$(median "$tmp/psql-1")
za=$(median "$tmp/zn-apply")
zt=$(median "$tmp/zn-apply-atomic")

echo "# zn-apply benchmark"
echo
echo "machine: $(uname -srm), $(nproc 2>/dev/null || echo '?') cores," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
echo "server: PostgreSQL $(q -d postgres -c 'SHOW server_version'), fsync off (tests/helpers/pgtmp.sh)"
echo "load before: $load0"
echo "steps: $n createTable; runs: $runs each, after one warm-up, interleaved"
echo
echo "| command | median s | per step ms | peak RSS KiB |"
echo "|---|---|---|---|"
for c in $names; do
	m=$(median "$tmp/$c")
	rss=$(sort -n -k2 "$tmp/$c" | tail -n 1 | awk '{ print $2 }')
	# shellcheck disable=SC2016
	printf '| `%s` | %s | %s | %s |\n' "$(cmd_of "$c" | sed "s|$tmp/||g; s|$psql|psql|; s|$apply|zn-apply|")" \
	    "$m" "$(awk -v m="$m" -v n="$n" 'BEGIN { printf "%.2f", m * 1000 / n }')" "$rss"
done
echo
over=$(awk -v a="$za" -v p="$p1" -v n="$n" 'BEGIN { printf "%.2f", (a - p) * 1000 / n }')
ratio=$(awk -v a="$zt" -v p="$p1" 'BEGIN { printf "%.2f", a / p }')
ok1=$(awk -v o="$over" 'BEGIN { print (o <= 2) ? "met" : "MISSED" }')
ok2=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) ? "met" : "MISSED" }')
echo "target 1, zn-apply overhead per step over psql -1: $over ms (<= 2 ms): $ok1"
echo "target 2, zn-apply --atomic / psql -1: $ratio (<= 1.5): $ok2"
rz=$(sort -n -k2 "$tmp/zn-apply" | tail -n 1 | awk '{ print $2 }')
ok3=$(awk -v r="$rz" 'BEGIN { print (r <= 32768) ? "met" : "MISSED" }')
echo "target 3, zn-apply peak RSS: $rz KiB (<= 32768 KiB, asked at 15,000 steps): $ok3"
echo
echo "raw wall times (s):"
for c in $names; do
	printf '  %-16s %s\n' "$c" "$(awk '{ printf "%s ", $1 }' "$tmp/$c")"
done
