#!/bin/sh
# SPDX-License-Identifier: ISC
# snapshot.sh: time zn-snapshot against pg_dump --schema-only.
#
# Usage: bench/snapshot.sh [-r RUNS] [-s SEED] [N ...]
#
#   -r RUNS   timed runs of each tool per N (default 7)
#   -s SEED   seed for bench/gen-schema (default 1)
#   N ...     schema sizes in tables (default: 100 1000 5000)
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh), and
# for each N creates database bench_N, loads "bench/gen-schema N SEED"
# into it and runs VACUUM ANALYZE.  Then one untimed warm-up of each
# tool, then RUNS timed runs of each, interleaved (zn-snapshot, pg_dump,
# zn-snapshot, ...):
#
#   zn-snapshot -C EMPTYDIR -d bench_N --json >/dev/null
#   pg_dump --schema-only -f /dev/null bench_N
#
# Wall time comes from date +%s%N around each run (or GNU time's %e when
# date has no nanoseconds); peak RSS from GNU time's %M (/usr/bin/time),
# reported as the largest over the timed runs, or "n/a" without GNU time.
# Prints the machine, the commands, a table of medians and the targets:
# at N=1000 zn-snapshot's median at most half of pg_dump's and its peak
# RSS at most 64 MiB, plus the growth of the medians between successive
# N.  Progress goes to stderr, the report to stdout.
#
# Environment: ZN_SNAPSHOT (the binary; default zn-snapshot from PATH,
# else build/bin/zn-snapshot next to this script's directory),
# ZN_PG_BINDIR (server binaries, see pgtmp.sh), PGOPTIONS (passed by
# libpq to both tools' sessions, e.g. PGOPTIONS='-c jit=off'; shown in
# the report).  The cluster is stopped
# and removed on exit.  Exits 1 when a schema fails to load or a run
# fails, 2 on a usage error; a missed target does not change the status.

usage() {
	echo "usage: snapshot.sh [-r RUNS] [-s SEED] [N ...]" >&2
	exit 2
}

die() {
	echo "snapshot.sh: $*" >&2
	exit 1
}

say() {
	echo "snapshot.sh: $*" >&2
}

# shellcheck source=bench/common.sh disable=SC1091
. "$(dirname "$0")/common.sh"
# Set by bench_setup (common.sh), for shellcheck run without -x.
tmp=${tmp-}

runs=7
seed=1
while getopts r:s: opt; do
	case $opt in
	r) runs=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
isnum "$runs" || usage
isnum "$seed" || usage
if [ $# -eq 0 ]; then
	set -- 100 1000 5000
fi
for n in "$@"; do
	isnum "$n" || usage
done
sizes=$*

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find the script's directory"
top=${here%/*}
gen=$here/gen-schema
[ -r "$gen" ] || die "no $gen"

if [ -n "${ZN_SNAPSHOT:-}" ]; then
	zn=$ZN_SNAPSHOT
elif command -v zn-snapshot >/dev/null 2>&1; then
	zn=$(command -v zn-snapshot)
else
	zn=$top/build/bin/zn-snapshot
fi
[ -x "$zn" ] || die "no zn-snapshot at $zn (run make all, or set ZN_SNAPSHOT)"

# shellcheck disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
# Read by tool() (common.sh).
# shellcheck disable=SC2034
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
pg_dump=$(tool pg_dump) || exit 1
psql=$(tool psql) || exit 1

# GNU time gives the peak RSS; date +%s%N the wall time.
bench_timers

bench_setup

say "starting a PostgreSQL cluster"
zn_pgtmp_start || die "the PostgreSQL cluster did not start"
# PGDATABASE from pgtmp is "postgres"; every command names its database.
export PGHOST PGPORT PGUSER

q() {
	"$psql" -X -v ON_ERROR_STOP=1 -q -At "$@"
}

# timed FILE CMD...: runs CMD with stdout to /dev/null, appends
# "seconds rss_kib" to FILE; dies if CMD fails.

# median FILE: the median of column 1.

# peakmib FILE: the largest column 2 (KiB) in MiB, or n/a.
peakmib() {
	awk '$2 == "n/a" { na = 1 } $2 + 0 > m + 0 { m = $2 }
	    END { if (na) print "n/a"; else printf "%.1f", m / 1024 }' "$1"
}

for n in $sizes; do
	db=bench_$n
	say "N=$n: loading $db"
	q -d postgres -c "CREATE DATABASE $db" ||
	    die "cannot create database $db"
	"$gen" "$n" "$seed" >"$tmp/schema-$n.sql" ||
	    die "gen-schema $n $seed failed"
	q -d "$db" -f "$tmp/schema-$n.sql" >"$tmp/load.log" 2>&1 || {
		cat "$tmp/load.log" >&2
		die "bench/gen-schema $n $seed did not load into $db"
	}
	q -d "$db" -c "VACUUM ANALYZE" || die "VACUUM ANALYZE failed in $db"

	tables=$(q -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_class c
	    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'bench' AND c.relkind = 'r'") ||
	    die "cannot count tables in $db"
	fks=$(q -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_constraint co
	    JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace
	    WHERE n.nspname = 'bench' AND co.contype = 'f'") ||
	    die "cannot count foreign keys in $db"
	idx=$(q -d "$db" -c "SELECT count(*) FROM pg_catalog.pg_index i
	    JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
	    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'bench'") ||
	    die "cannot count indexes in $db"
	[ "$tables" -eq "$n" ] ||
	    die "$db has $tables tables in schema bench, not $n"

	say "N=$n: $tables tables, $fks foreign keys, $idx indexes;" \
	    "warm-up and $runs runs of each"
	rm -f "$tmp/zn-$n" "$tmp/pg-$n"
	timed "$tmp/warm" "$zn" -C "$tmp/empty" -d "$db" --json
	timed "$tmp/warm" "$pg_dump" --schema-only -f /dev/null "$db"
	# What both tools cannot avoid, timed the same way: a new session,
	# and a new session opening every table (what the server does for
	# pg_get_constraintdef and pg_get_indexdef of a CHECK or an
	# expression index: it builds each table's relation cache entry).
	rm -f "$tmp/conn-$n" "$tmp/open-$n"
	open="SELECT count(pg_catalog.pg_relation_size(c.oid))
	    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
	    ON n.oid = c.relnamespace WHERE n.nspname = 'bench'
	    AND c.relkind = 'r'"
	i=0
	while [ "$i" -lt "$runs" ]; do
		timed "$tmp/zn-$n" "$zn" -C "$tmp/empty" -d "$db" --json
		timed "$tmp/pg-$n" "$pg_dump" --schema-only -f /dev/null "$db"
		timed "$tmp/conn-$n" "$psql" -X -q -At -d "$db" -c "SELECT 1"
		timed "$tmp/open-$n" "$psql" -X -q -At -d "$db" -c "$open"
		i=$((i + 1))
	done

	# The output itself, once more, for its size.
	"$zn" -C "$tmp/empty" -d "$db" -o "$tmp/graph-$n.jsonl" ||
	    die "zn-snapshot -d $db -o FILE failed"
	"$pg_dump" --schema-only -f "$tmp/dump-$n.sql" "$db" ||
	    die "pg_dump --schema-only $db failed"
	lines=$(wc -l <"$tmp/graph-$n.jsonl" | tr -d ' ')
	pglines=$(wc -l <"$tmp/dump-$n.sql" | tr -d ' ')
	bytes=$(wc -c <"$tmp/graph-$n.jsonl" | tr -d ' ')
	pgbytes=$(wc -c <"$tmp/dump-$n.sql" | tr -d ' ')

	znmed=$(median "$tmp/zn-$n")
	pgmed=$(median "$tmp/pg-$n")
	echo "$n $tables $fks $idx $znmed $pgmed $(peakmib "$tmp/zn-$n")" \
	    "$(peakmib "$tmp/pg-$n") $lines $pglines $bytes $pgbytes" \
	    >>"$tmp/summary"
	say "N=$n: zn-snapshot ${znmed}s, pg_dump ${pgmed}s (medians)"
done

# The report.
servver=$(q -d postgres -c "SHOW server_version") || servver=unknown
jit=$(q -d postgres -c "SELECT 'jit = ' || current_setting('jit') ||
    ', jit_above_cost = ' || current_setting('jit_above_cost') ||
    ', available: ' || pg_catalog.pg_jit_available()") || jit=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)

echo "zn-snapshot benchmark: zn-snapshot vs pg_dump --schema-only"
echo
echo "Machine"
echo "  cpus:       $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
echo "  cpu model:  ${cpu:-unknown}"
echo "  memory:     ${mem:-unknown}"
echo "  kernel:     $(uname -srm)"
echo "  postgresql: $servver (throwaway cluster from tests/helpers/pgtmp.sh," \
    "Unix socket, fsync off, shared_buffers 32MB)"
echo "  pg_dump:    $("$pg_dump" --version)"
echo "  zn:         $("$zn" --version 2>&1 | head -n 1)"
if command -v sha256sum >/dev/null 2>&1; then
	echo "  zn binary:  $zn (sha256 $(sha256sum <"$zn" | cut -c1-16)...)"
else
	echo "  zn binary:  $zn"
fi
echo "  jit:        $jit"
echo "  load avg:   ${load0:-n/a} at start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) at end (1, 5, 15 min)"
echo "  PGOPTIONS:  ${PGOPTIONS:-(not set)}"
echo
echo "Commands (N in: $sizes; $runs timed runs of each after one warm-up," \
    "interleaved)"
echo "  load:    bench/gen-schema N $seed | psql -v ON_ERROR_STOP=1 -q" \
    "-d bench_N -f -; psql -d bench_N -c 'VACUUM ANALYZE'"
echo "  zn:      $zn -C EMPTYDIR -d bench_N --json >/dev/null"
echo "  pg_dump: $pg_dump --schema-only -f /dev/null bench_N"
if [ -n "$gnutime" ]; then
	echo "  each wrapped in: $gnutime -f '%e %M' (peak RSS)"
fi
if [ -n "$nsdate" ]; then
	echo "  wall time: date +%s%N before and after each run"
fi
echo
awk '
BEGIN {
	printf "%6s %6s %6s %6s %9s %9s %7s %8s %8s %8s\n", "N", "tables",
	    "FKs", "idx", "zn med s", "pg med s", "zn/pg", "zn MiB",
	    "pg MiB", "zn lines"
}
{
	printf "%6d %6d %6d %6d %9.3f %9.3f %7.2f %8s %8s %8d\n", $1, $2,
	    $3, $4, $5, $6, ($6 > 0 ? $5 / $6 : 0), $7, $8, $9
}' "$tmp/summary"
echo
echo "  idx: all indexes on bench tables, primary keys and unique" \
    "constraints included."
echo "  MiB: largest peak RSS over the timed runs."
echo "  zn lines: lines of the graph (zn-snapshot -o FILE); pg_dump's" \
    "output for comparison:"
awk '{ printf "    N=%d: zn %d lines, %d bytes; pg_dump %d lines, %d bytes\n",
    $1, $9, $11, $10, $12 }' "$tmp/summary"
echo
echo "Targets"
awk '
{
	ratio = $6 > 0 ? $5 / $6 : 0
	t = ($1 == 1000) ? " (target size)" : " (informational)"
	printf "  N=%d%s\n", $1, t
	verdict = $5 <= $6 / 2 ? "holds" : "MISSED"
	printf "    time: zn %.3fs <= 0.5 x pg_dump %.3fs = %.3fs: %s" \
	    " (ratio %.2f)\n", $5, $6, $6 / 2, verdict, ratio
	if ($7 == "n/a")
		printf "    rss:  n/a (no GNU time)\n"
	else
		printf "    rss:  zn %.1f MiB <= 64 MiB: %s\n", $7,
		    $7 + 0 <= 64 ? "holds" : "MISSED"
}' "$tmp/summary"
echo
echo "Fixed costs and what opening every table costs (medians of the same"
echo "timer, same runs):"
for n in $sizes; do
	printf '  N=%s: psql -c "SELECT 1" %ss; psql opening every bench table' \
	    "$n" "$(median "$tmp/conn-$n")"
	printf ' (pg_relation_size of each) %ss\n' "$(median "$tmp/open-$n")"
done
echo "  (pg_dump has the server deparse every CHECK constraint and every"
echo "  expression or partial index, which opens its table; zn-snapshot"
echo "  writes the common ones from their node trees, lib/deparse.c.)"
echo
echo "Growth of the medians between successive N (linear: time ratio" \
    "near the N ratio, less when fixed start-up cost dominates)"
awk '
NR > 1 {
	printf "  N %d -> %d (x%.1f): zn x%.2f, pg_dump x%.2f\n", pn, $1,
	    $1 / pn, (pz > 0 ? $5 / pz : 0), (pp > 0 ? $6 / pp : 0)
}
{ pn = $1; pz = $5; pp = $6 }' "$tmp/summary"
echo
echo "Raw wall seconds and peak RSS KiB (timed runs, in order)"
for n in $sizes; do
	printf '  N=%s zn:     ' "$n"
	awk '{ printf " %s/%s", $1, $2 } END { print "" }' "$tmp/zn-$n"
	printf '  N=%s pg_dump:' "$n"
	awk '{ printf " %s/%s", $1, $2 } END { print "" }' "$tmp/pg-$n"
done
