#!/bin/sh
# SPDX-License-Identifier: ISC
# common.sh (sourced below) sets tmp in bench_setup and reads bindir.
# shellcheck disable=SC1091,SC2034,SC2154
# shadow.sh: time zn-shadow against psql -f of the same DDL, and the
# verify stage of the example project end to end.
#
# Usage: bench/shadow.sh [-r RUNS] [-s SEED] [N]
#
#   -r RUNS   timed runs of each command (default 3)
#   -s SEED   seed for bench/gen-schema (default 1)
#   N         tables of the empty -> N plan (default 1000)
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh), loads
# "bench/gen-schema N SEED" into bench_N and reads its graph and that of
# an empty database; the plan is zn-diff's from the one to the other.
# Then, interleaved, RUNS times each:
#
#   psql -f SCHEMA.sql into a new database          (the reference)
#   zn-shadow --shadow-url CLUSTER --baseline empty --target full.graph plan
#   zn-shadow --baseline empty --target full.graph plan
#                                   (an ephemeral local cluster, template
#                                   cached: one untimed run first)
#
# and, for the example project (examples/schema.sql loaded as "ex"; a
# declared change of two columns and an index, its graph made once):
#
#   zn-shadow -d ex --target target.graph plan     (ephemeral, warm cache)
#   zn plan                      (zanith.yaml: ex and examples/schema.yaml)
#
# Prints the machine, the commands, the medians and the targets: the
# empty -> N verify at most 2x psql -f; the small plan at most 1.5 s; zn
# plan at most 1 s.  Progress goes to stderr, the report to stdout.
# Environment: ZN_BIN (the directory of the zanith binaries; default
# build/bin next to this script's directory, else PATH), ZN_PG_BINDIR.
# Exits 1 when a run fails, 2 on a usage error; a missed target does not
# change the status.

usage() {
	echo "usage: shadow.sh [-r RUNS] [-s SEED] [N]" >&2
	exit 2
}

die() {
	echo "shadow.sh: $*" >&2
	exit 1
}

say() {
	echo "shadow.sh: $*" >&2
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
n=${1:-1000}
isnum "$n" || usage

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find the script's directory"
top=${here%/*}
bindir_zn=${ZN_BIN:-$top/build/bin}
[ -x "$bindir_zn/zn-shadow" ] || die "no zn-shadow in $bindir_zn (make all)"
PATH=$bindir_zn:$PATH
export PATH

# shellcheck disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
psql=$(tool psql) || exit 1
bench_timers
bench_setup
say "starting a PostgreSQL cluster"
zn_pgtmp_start || die "the PostgreSQL cluster did not start"
export PGHOST PGPORT PGUSER
url="host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres"

q() {
	"$psql" -X -v ON_ERROR_STOP=1 -q -At "$@"
}

say "N=$n: loading bench_$n"
"$here/gen-schema" "$n" "$seed" >"$tmp/schema.sql" || die "gen-schema failed"
q -d postgres -c "CREATE DATABASE bench_$n" -c "CREATE DATABASE empty" ||
    die "cannot create the databases"
q -d "bench_$n" -f "$tmp/schema.sql" >/dev/null || die "the schema did not load"
zn-snapshot -d "bench_$n" -o "$tmp/full.graph" || die "zn-snapshot failed"
zn-snapshot -d empty -o "$tmp/empty.graph" || die "zn-snapshot failed"
zn-diff "$tmp/empty.graph" "$tmp/full.graph" >"$tmp/plan" ||
    die "zn-diff failed"
steps=$(grep -c '"kind":"op"' "$tmp/plan")

say "the example project"
q -d postgres -c "CREATE DATABASE ex" || die "cannot create ex"
q -d ex -f "$top/examples/schema.sql" >/dev/null || die "examples/schema.sql"
{
	cat "$top/examples/schema.sql"
	echo 'ALTER TABLE app.users ADD COLUMN last_login timestamptz;'
	echo 'ALTER TABLE app.users ADD COLUMN logins integer NOT NULL DEFAULT 0;'
	echo 'CREATE INDEX users_last_login ON app.users (last_login);'
} >"$tmp/ex-target.sql"
ZN_SCRATCH_URL=$url zn-snapshot --declared "$tmp/ex-target.sql" \
    -o "$tmp/ex-target.graph" || die "the example's target"
zn-snapshot -d ex -o "$tmp/ex.graph" || die "zn-snapshot of ex failed"
zn-diff "$tmp/ex.graph" "$tmp/ex-target.graph" >"$tmp/ex-plan" ||
    die "the example's plan"
exsteps=$(grep -c '"kind":"op"' "$tmp/ex-plan")
mkdir "$tmp/proj"
cp "$top/examples/schema.yaml" "$tmp/proj/schema.yaml"
printf 'database: "%s"\nschema: schema.yaml\n' \
    "host=$PGHOST port=$PGPORT user=$PGUSER dbname=ex" >"$tmp/proj/zanith.yaml"

# Warm: the template cache of the ephemeral clusters, and the binaries.
say "warming the template cache"
zn-shadow --baseline empty --target "$tmp/empty.graph" "$tmp/ex-plan" \
    >/dev/null 2>&1 || true
(cd "$tmp/proj" && zn plan >/dev/null 2>&1) || true

i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	say "run $i of $runs"
	q -d postgres -c "CREATE DATABASE psql_$i" || die "createdb"
	timed "$tmp/psql" "$psql" -X -q -v ON_ERROR_STOP=1 -d "psql_$i" \
	    -f "$tmp/schema.sql"
	q -d postgres -c "DROP DATABASE psql_$i" || die "dropdb"
	timed "$tmp/url" zn-shadow --shadow-url "$url" --baseline empty \
	    --target "$tmp/full.graph" "$tmp/plan"
	timed "$tmp/local" zn-shadow --baseline empty \
	    --target "$tmp/full.graph" "$tmp/plan"
	timed "$tmp/small" zn-shadow -d "host=$PGHOST port=$PGPORT user=$PGUSER dbname=ex" \
	    --target "$tmp/ex-target.graph" "$tmp/ex-plan"
	timed "$tmp/plan1" sh -c "cd '$tmp/proj' && exec zn plan"
done

p=$(median "$tmp/psql")
u=$(median "$tmp/url")
l=$(median "$tmp/local")
s=$(median "$tmp/small")
z=$(median "$tmp/plan1")
echo "zanith bench/shadow.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  machine: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null) cpus"
echo "  server:  $(q -d postgres -c 'SHOW server_version')"
echo "  empty -> $n tables: $steps steps; example project: $exsteps steps"
echo "  runs: $runs each, interleaved; medians in seconds"
printf '    %-58s %8s\n' "psql -f schema.sql (new database)" "$p"
printf '    %-58s %8s\n' "zn-shadow --shadow-url (same server) --baseline empty" "$u"
printf '    %-58s %8s\n' "zn-shadow (ephemeral local cluster) --baseline empty" "$l"
printf '    %-58s %8s\n' "zn-shadow -d ex (example, ephemeral, warm cache)" "$s"
printf '    %-58s %8s\n' "zn plan (example project, warm cache)" "$z"
awk -v p="$p" -v u="$u" -v l="$l" -v s="$s" -v z="$z" 'BEGIN {
	printf "  verify empty -> N on a server: %.2fx psql -f (target <= 2): %s\n",
	    u / p, u <= 2 * p ? "holds" : "MISSED"
	printf "  verify empty -> N, local cluster: %.2fx psql -f (target <= 2): %s\n",
	    l / p, l <= 2 * p ? "holds" : "MISSED"
	printf "  small plan end to end: %.2f s (target <= 1.5): %s\n",
	    s, s <= 1.5 ? "holds" : "MISSED"
	printf "  zn plan: %.2f s (target <= 1): %s\n", z, z <= 1 ? "holds" : "MISSED"
}'
