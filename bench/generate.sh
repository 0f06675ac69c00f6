#!/bin/sh
# SPDX-License-Identifier: ISC
# generate.sh: the first zn generate, zn-diff from an empty database to a
# whole schema (@empty -> A), at two or more sizes, to see that its time
# and memory grow no faster than the schema; side by side, in the same
# runs, with pg_dump --schema-only of the same database and with zn-diff
# of the graph against itself.
#
# Usage: bench/generate.sh [-r RUNS] [-s SEED] [N ...]
#
#   -r RUNS   timed runs of each command (default 5)
#   -s SEED   seed for bench/gen-schema (default 1)
#   N ...     schema sizes in tables (default: 1000 3000)
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh),
# loads "bench/gen-schema N SEED" into database bench_N and writes its
# graph with zn-snapshot -o a_N.graph.  Then, RUNS times, interleaved:
#
#   zn-diff -C EMPTYDIR @empty a_N.graph >/dev/null   the plan from empty
#   zn-diff -C EMPTYDIR a_N.graph a_N.graph >/dev/null  reading the graph
#                                                     twice, no op
#   pg_dump --schema-only -f /dev/null bench_N        the reference
#
# each timed with date +%s%N (wall) and GNU time (peak RSS).  Prints the
# machine, the commands, the medians, the op count of each plan, and
# the growth from each N to the next beside the growth of N.
# Target (issue: lean plans): from N = 1,000 to 3,000, zn-diff
# @empty -> A at most 3.3 times the time and 3.3 times the peak RSS.
#
# Environment: ZN_DIFF, ZN_SNAPSHOT (the binaries; default from PATH,
# else build/bin), ZN_PG_BINDIR (server binaries, see pgtmp.sh).  Exits
# 1 when a command fails, 2 on a usage error; a missed target does not
# change the status.

usage() {
	echo "usage: generate.sh [-r RUNS] [-s SEED] [N ...]" >&2
	exit 2
}

die() {
	echo "generate.sh: $*" >&2
	exit 1
}

say() {
	echo "generate.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

runs=5
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
[ $# -gt 0 ] || set -- 1000 3000
for n in "$@"; do
	isnum "$n" || usage
done

bench_top
zndiff=$(bin zn-diff "${ZN_DIFF:-}")
znsnap=$(bin zn-snapshot "${ZN_SNAPSHOT:-}")
[ -x "$zndiff" ] || die "no zn-diff at $zndiff (run make all)"
[ -x "$znsnap" ] || die "no zn-snapshot at $znsnap (run make all)"

bench_cluster
pg_dump=$(tool pg_dump) || exit 1

for n in "$@"; do
	db=bench_$n
	say "$db: loading bench/gen-schema $n $seed"
	q -d postgres -c "CREATE DATABASE $db" || die "cannot create $db"
	"$here/gen-schema" "$n" "$seed" | q -d "$db" >/dev/null 2>&1 ||
	    die "bench/gen-schema $n $seed did not load into $db"
	"$znsnap" -C "$tmp/empty" -d "$db" -o "$tmp/a_$n.graph" ||
	    die "zn-snapshot of $db failed"
	"$zndiff" -C "$tmp/empty" @empty "$tmp/a_$n.graph" >"$tmp/plan_$n" ||
	    die "zn-diff @empty a_$n.graph failed"
	grep -c '"kind":"op"' "$tmp/plan_$n" >"$tmp/ops_$n"
	# One warm-up of each, not counted.
	"$zndiff" -C "$tmp/empty" "$tmp/a_$n.graph" "$tmp/a_$n.graph" \
	    >/dev/null || die "zn-diff a_$n.graph a_$n.graph failed"
	"$pg_dump" --schema-only -f /dev/null "$db" || die "pg_dump $db failed"
done
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for n in "$@"; do
		say "run $i of $runs, N=$n"
		timed "$tmp/gen_$n" "$zndiff" -C "$tmp/empty" @empty \
		    "$tmp/a_$n.graph"
		timed "$tmp/self_$n" "$zndiff" -C "$tmp/empty" \
		    "$tmp/a_$n.graph" "$tmp/a_$n.graph"
		timed "$tmp/pg_$n" "$pg_dump" --schema-only -f /dev/null \
		    "bench_$n"
	done
done

peak() {
	awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$1"
}

servver=$(q -d postgres -c "SHOW server_version") || servver=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "zn-diff @empty -> A (the first zn generate), by schema size"
echo "machine: ${cpu:-unknown}, $(nproc 2>/dev/null || echo '?') cores," \
    "PostgreSQL $servver, load before: ${load0:-unknown}," \
    "after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "zn-diff: $zndiff ($("$zndiff" --version))"
echo "commands ($runs timed runs each after a warm-up, interleaved):"
echo "  gen:  zn-diff -C EMPTYDIR @empty a_N.graph >/dev/null"
echo "  self: zn-diff -C EMPTYDIR a_N.graph a_N.graph >/dev/null"
echo "  pg:   pg_dump --schema-only -f /dev/null bench_N"
echo "  schema: bench/gen-schema N $seed; graph: zn-snapshot -d bench_N -o a_N.graph"
echo
printf '%7s %7s %9s %9s %9s %9s %9s %9s\n' N ops gen_s gen_MiB self_s \
    self_MiB pg_s pg_MiB
for n in "$@"; do
	printf '%7s %7s %9s %9s %9s %9s %9s %9s\n' "$n" "$(cat "$tmp/ops_$n")" \
	    "$(median "$tmp/gen_$n")" "$(peak "$tmp/gen_$n")" \
	    "$(median "$tmp/self_$n")" "$(peak "$tmp/self_$n")" \
	    "$(median "$tmp/pg_$n")" "$(peak "$tmp/pg_$n")"
done
echo
echo "Growth from each N to the next (the target: at most 3.3 from 1000 to 3000)"
prev=
for n in "$@"; do
	if [ -n "$prev" ]; then
		awk -v a="$prev" -v b="$n" -v ta="$(median "$tmp/gen_$prev")" \
		    -v tb="$(median "$tmp/gen_$n")" -v ma="$(peak "$tmp/gen_$prev")" \
		    -v mb="$(peak "$tmp/gen_$n")" -v pa="$(median "$tmp/pg_$prev")" \
		    -v pb="$(median "$tmp/pg_$n")" 'BEGIN {
			lim = (a == 1000 && b == 3000) ? " (target <= 3.3: " : ""
			t = tb / ta; m = mb / ma
			printf "  N %s -> %s (x%.2f): zn-diff time x%.2f, peak RSS x%.2f; pg_dump time x%.2f\n",
			    a, b, b / a, t, m, pb / pa
			if (lim != "")
				printf "  time: %s; memory: %s\n",
				    t <= 3.3 ? "holds" : "MISSED",
				    m <= 3.3 ? "holds" : "MISSED"
		}'
	fi
	prev=$n
done
echo
echo "Raw wall seconds and peak RSS KiB (timed runs, in order)"
for n in "$@"; do
	for c in gen self pg; do
		printf '  N=%s %-5s' "$n" "$c:"
		awk '{ printf " %s/%s", $1, $2 } END { print "" }' "$tmp/${c}_$n"
	done
done
