#!/bin/sh
# SPDX-License-Identifier: ISC
# apply-schema.sh: a whole schema applied to an empty database, the
# first deploy: zn-apply of zn-diff's plan from empty, next to psql
# running the same SQL and to node-pg-migrate running it as one
# migration per table, in the same runs on the same throwaway server.
#
# Usage: bench/apply-schema.sh [-r RUNS] [-s SEED] [N ...]
#
#   -r RUNS   timed runs of each command (default 3)
#   -s SEED   seed for bench/gen-schema (default 1)
#   N ...     schema sizes in tables (default: 1000 3000)
#
# One throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh; fsync off,
# max_locks_per_transaction 1024 so that one transaction can make 3,000
# tables with their indexes).  Setup, for each N: "bench/gen-schema N
# SEED" is loaded into src_N and
# read with zn-snapshot -o a.graph; then
#
#   zn-diff @empty a.graph >plan.jsonl          the plan: every op a step
#   zn-diff --sql @empty a.graph >plan.sql      the same SQL as a script
#
# and the plan's SQL is cut into one node-pg-migrate SQL migration per
# table (each op goes to its table's migration, in the plan's order, a
# sequence's OWNED BY to its table's; schemas, types and sequences to a
# first one).  node-pg-migrate 7 and pg are
# installed from the npm registry into the bench's temporary directory;
# when npm cannot reach it, that command is left out and the report
# says so.
#
# Each run, for each command in turn, a fresh database is made from
# template0 and the command is timed against it (wall time: date
# +%s%N; peak RSS: GNU time); the result is checked (N tables in schema
# bench; for zn-apply every step done in the ledger) and the database
# dropped.  Commands:
#
#   psql -X -q -1 -v ON_ERROR_STOP=1 -f plan.sql     one transaction
#   psql -X -q -v ON_ERROR_STOP=1 -f plan.sql        one a statement
#   zn-apply plan.jsonl          a transaction and a ledger row a step
#   zn-apply --atomic plan.jsonl                     one transaction
#   node-pg-migrate up -m DIR    a transaction and a row a migration
#
# Targets (issue: a lean apply): zn-apply faster than node-pg-migrate;
# zn-apply's overhead over psql -f, (median zn-apply - median psql) /
# steps, at most 1 ms a step; zn-apply --atomic at most 1.2 times
# psql -1.  zn-apply's time includes connecting, the migration lock,
# making the ledger, reading the plan and the schema snapshots before
# and after.
#
# Environment: ZN_APPLY, ZN_DIFF, ZN_SNAPSHOT (the binaries; default
# from PATH, else build/bin), ZN_PG_BINDIR (see pgtmp.sh), NPM (default
# npm).  Exits 1 when a run or a check fails, 2 on a usage error; a
# missed target does not change the status.

usage() {
	echo "usage: apply-schema.sh [-r RUNS] [-s SEED] [N ...]" >&2
	exit 2
}

die() {
	echo "apply-schema.sh: $*" >&2
	exit 1
}

say() {
	echo "apply-schema.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

runs=3
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
apply=$(bin zn-apply "${ZN_APPLY:-}")
zndiff=$(bin zn-diff "${ZN_DIFF:-}")
znsnap=$(bin zn-snapshot "${ZN_SNAPSHOT:-}")
for b in "$apply" "$zndiff" "$znsnap"; do
	[ -x "$b" ] || die "no $b (run make all)"
done
command -v jq >/dev/null 2>&1 || die "no jq"

# One transaction makes every table (psql -1, --atomic): a lock each
# for the tables, their indexes, sequences and types.
ZN_PGTMP_CONF="max_locks_per_transaction = 1024"
export ZN_PGTMP_CONF
bench_cluster

# node-pg-migrate from the npm registry, if it can be had.
npgm=
npm=${NPM:-npm}
if command -v node >/dev/null 2>&1 && command -v "$npm" >/dev/null 2>&1; then
	say "installing node-pg-migrate 7 and pg with npm"
	if "$npm" install --prefix "$tmp/npm" --no-audit --no-fund \
	    --loglevel=error node-pg-migrate@7 pg >"$tmp/npm.log" 2>&1; then
		npgm=$tmp/npm/node_modules/.bin/node-pg-migrate
		npgmver=$(cd "$tmp/npm" && node -p \
		    "require('node-pg-migrate/package.json').version" 2>/dev/null)
	else
		say "npm could not install node-pg-migrate (registry unreachable?): left out"
		sed 's/^/  npm: /' "$tmp/npm.log" | tail -n 5 >&2
	fi
else
	say "no node or npm: node-pg-migrate left out"
fi

fresh() {
	q -d postgres -c "DROP DATABASE IF EXISTS bench_t" \
	    -c "CREATE DATABASE bench_t TEMPLATE template0" >/dev/null 2>&1 ||
	    die "cannot make database bench_t"
}

check() {
	t=$(q -d bench_t -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'bench'")
	[ "$t" -eq "$1" ] || die "$2: $t tables, not $1"
	case $2 in
	zn-apply*)
		d=$(q -d bench_t -c "SELECT count(*) FROM _zanith_migration_steps WHERE status = 'done'")
		[ "$d" -eq "$3" ] || die "$2: $d done steps, not $3"
		;;
	esac
}

names="psql-1 psql zn-apply zn-apply-atomic"
[ -n "$npgm" ] && names="$names node-pg-migrate"
DATABASE_URL="postgresql:///bench_t?host=$PGHOST&port=$PGPORT&user=$PGUSER"
export DATABASE_URL
run() {
	case $1 in
	psql-1) timed "$2" "$psql" -X -q -1 -v ON_ERROR_STOP=1 -d bench_t \
	    -f "$tmp/plan_$3.sql" ;;
	psql) timed "$2" "$psql" -X -q -v ON_ERROR_STOP=1 -d bench_t \
	    -f "$tmp/plan_$3.sql" ;;
	zn-apply) timed "$2" "$apply" -C "$tmp/empty" -d dbname=bench_t \
	    "$tmp/plan_$3.jsonl" ;;
	zn-apply-atomic) timed "$2" "$apply" -C "$tmp/empty" --atomic \
	    -d dbname=bench_t "$tmp/plan_$3.jsonl" ;;
	node-pg-migrate) timed "$2" "$npgm" up -m "$tmp/mig_$3" ;;
	esac
}

for n in "$@"; do
	say "N=$n: loading bench/gen-schema $n $seed"
	q -d postgres -c "CREATE DATABASE src_$n" || die "cannot create src_$n"
	"$here/gen-schema" "$n" "$seed" | q -d "src_$n" >/dev/null 2>&1 ||
	    die "bench/gen-schema $n $seed did not load"
	"$znsnap" -C "$tmp/empty" -d "src_$n" -o "$tmp/a_$n.graph" ||
	    die "zn-snapshot src_$n"
	"$zndiff" -C "$tmp/empty" @empty "$tmp/a_$n.graph" >"$tmp/plan_$n.jsonl" ||
	    die "zn-diff @empty a_$n.graph"
	"$zndiff" -C "$tmp/empty" --sql @empty "$tmp/a_$n.graph" >"$tmp/plan_$n.sql" ||
	    die "zn-diff --sql @empty a_$n.graph"
	steps=$(grep -c '"kind":"op"' "$tmp/plan_$n.jsonl")
	echo "$steps" >"$tmp/steps_$n"
	mkdir "$tmp/mig_$n" || die "cannot make $tmp/mig_$n"
	# One migration per table, in the order the plan first names it.
	jq -j 'select(.kind == "op") | (.args.table // .args.owned_by.table //
	    "") + "\u001f" +
	    (.sql | join(";\n")) + ";\n\u001e"' "$tmp/plan_$n.jsonl" |
	    awk -v dir="$tmp/mig_$n" 'BEGIN { RS = "\036"; FS = "\037" }
	    NF >= 2 {
		t = $1 == "" ? "-" : $1
		if (!(t in file)) {
			# node-pg-migrate orders by a timestamp prefix.
			file[t] = sprintf("%s/%d_%s.sql", dir,
			    1700000000000 + (++k),
			    t == "-" ? "setup" : t)
			print "-- Up Migration" >file[t]
		}
		print $2 >>file[t]
	    }
	    END { for (t in file) close(file[t]) }' ||
	    die "cutting the plan into migrations failed"
	find "$tmp/mig_$n" -name '*.sql' | wc -l | tr -d ' ' >"$tmp/migs_$n"
	for c in $names; do
		fresh
		run "$c" "$tmp/warm" "$n"
		check "$n" "$c" "$steps"
	done
	r=1
	while [ "$r" -le "$runs" ]; do
		say "N=$n: run $r of $runs"
		for c in $names; do
			fresh
			run "$c" "$tmp/${c}_$n" "$n"
			check "$n" "$c" "$steps"
		done
		r=$((r + 1))
	done
done
q -d postgres -c "DROP DATABASE IF EXISTS bench_t" >/dev/null

peak() {
	awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$1"
}

servver=$(q -d postgres -c "SHOW server_version") || servver=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "A whole schema applied to an empty database"
echo "machine: ${cpu:-unknown}, $(nproc 2>/dev/null || echo '?') cores," \
    "PostgreSQL $servver (fsync off, tests/helpers/pgtmp.sh)," \
    "load before: ${load0:-unknown}, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "zn-apply: $apply ($("$apply" --version))"
if [ -n "$npgm" ]; then
	echo "node-pg-migrate: ${npgmver:-?} (npm), node $(node --version)"
else
	echo "node-pg-migrate: not measured (npm could not install it)"
fi
echo "runs: $runs of each after a warm-up, interleaved; a fresh database each"
echo
for n in "$@"; do
	steps=$(cat "$tmp/steps_$n")
	echo "N=$n tables: $steps steps; $(cat "$tmp/migs_$n") node-pg-migrate migrations"
	printf '  %-18s %9s %9s %9s\n' command "median s" "ms/step" "peak MiB"
	for c in $names; do
		m=$(median "$tmp/${c}_$n")
		printf '  %-18s %9s %9s %9s\n' "$c" "$m" \
		    "$(awk -v m="$m" -v s="$steps" 'BEGIN { printf "%.3f", m * 1000 / s }')" \
		    "$(peak "$tmp/${c}_$n")"
	done
	awk -v za="$(median "$tmp/zn-apply_$n")" -v zt="$(median "$tmp/zn-apply-atomic_$n")" \
	    -v p="$(median "$tmp/psql_$n")" -v p1="$(median "$tmp/psql-1_$n")" \
	    -v s="$steps" -v ng="$([ -n "$npgm" ] && median "$tmp/node-pg-migrate_$n")" 'BEGIN {
		o = (za - p) * 1000 / s
		printf "  zn-apply over psql -f: %.3f ms a step (target <= 1): %s\n", o, o <= 1 ? "holds" : "MISSED"
		r = zt / p1
		printf "  zn-apply --atomic / psql -1: %.2f (target <= 1.2): %s\n", r, r <= 1.2 ? "holds" : "MISSED"
		if (ng != "")
			printf "  zn-apply / node-pg-migrate: %.2f (target < 1): %s\n", za / ng, za < ng ? "holds" : "MISSED"
	}'
	echo
done
echo "Raw wall seconds and peak RSS KiB (timed runs, in order)"
for n in "$@"; do
	for c in $names; do
		printf '  N=%s %-16s' "$n" "$c:"
		awk '{ printf " %s/%s", $1, $2 } END { print "" }' "$tmp/${c}_$n"
	done
done
