#!/bin/sh
# SPDX-License-Identifier: ISC
# pull.sh: the live schema pulled as a declaration (zn pull, which is
# zn-diff --yaml @empty @), side by side with pg_dump --schema-only, and
# checked to materialise back to the same graph.
#
# Usage: bench/pull.sh [-s SEED] [N ...]
#
#   -s SEED   seed for bench/gen-schema (default 1)
#   N ...     schema sizes in tables (default: 1000); the example
#             project (examples/schema.sql) is always pulled first
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh), loads
# examples/schema.sql into database ex and "bench/gen-schema N SEED" into
# bench_N, and for each runs once, timed:
#
#   zn-diff -C EMPTYDIR -d DB --yaml @empty @ >DB.yaml
#   pg_dump --schema-only -f DB.sql DB
#
# then compares the hash of the live graph (zn-snapshot -d DB) with that
# of the pulled file materialised (zn-snapshot --declared DB.yaml, on a
# throwaway cluster of its own, as a project's zn-diff does it).
# zn-diff --yaml materialises the file itself before it writes it, once
# when the YAML alone comes to the live hash, twice when it needs SQL
# under sql.last; the time includes that.  Prints the machine, the
# commands and a table; exits 1 when a pull fails or a hash differs.
#
# Environment: ZN_DIFF, ZN_SNAPSHOT (the binaries; default from PATH,
# else build/bin), ZN_PG_BINDIR (server binaries, see pgtmp.sh).

usage() {
	echo "usage: pull.sh [-s SEED] [N ...]" >&2
	exit 2
}

die() {
	echo "pull.sh: $*" >&2
	exit 1
}

say() {
	echo "pull.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

seed=1
while getopts s: opt; do
	case $opt in
	s) seed=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
isnum "$seed" || usage
[ $# -gt 0 ] || set -- 1000
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

status=0
pull() {
	db=$1
	say "$db: pulling"
	# shellcheck disable=SC2016 # the arguments expand in the inner sh
	timed "$tmp/zn-$db" sh -c '"$1" -C "$2" -d "$3" --yaml @empty @ >"$4"' \
	    sh "$zndiff" "$tmp/empty" "$db" "$tmp/$db.yaml"
	timed "$tmp/pg-$db" "$pg_dump" --schema-only -f "$tmp/$db.sql" "$db"
	live=$("$znsnap" -C "$tmp/empty" -d "$db" | head -n 1 |
	    sed -n 's/.*"hash":"\([^"]*\)".*/\1/p')
	pulled=$("$znsnap" -C "$tmp/empty" --declared "$tmp/$db.yaml" |
	    head -n 1 | sed -n 's/.*"hash":"\([^"]*\)".*/\1/p')
	same=yes
	if [ -z "$live" ] || [ "$live" != "$pulled" ]; then
		same=NO
		status=1
	fi
	sqlitems=$(sed -n '/^sql:/,$p' "$tmp/$db.yaml" | grep -c '^    - ')
	echo "$db $(wc -l <"$tmp/$db.yaml" | tr -d ' ') $sqlitems" \
	    "$(median "$tmp/zn-$db") $(awk '{ printf "%.1f", $2 / 1024 }' \
	    "$tmp/zn-$db") $(median "$tmp/pg-$db")" \
	    "$(wc -l <"$tmp/$db.sql" | tr -d ' ') $same $live" >>"$tmp/summary"
}

q -d postgres -c "CREATE DATABASE ex" || die "cannot create database ex"
q -d ex -f "$top/examples/schema.sql" >/dev/null ||
    die "examples/schema.sql did not load"
pull ex
for n in "$@"; do
	db=bench_$n
	q -d postgres -c "CREATE DATABASE $db" || die "cannot create $db"
	"$here/gen-schema" "$n" "$seed" | q -d "$db" >/dev/null 2>&1 ||
	    die "bench/gen-schema $n $seed did not load into $db"
	pull "$db"
done

servver=$(q -d postgres -c "SHOW server_version") || servver=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "zn pull benchmark: zn-diff --yaml @empty @ vs pg_dump --schema-only"
echo "machine: ${cpu:-unknown}, $(nproc 2>/dev/null || echo '?') cores," \
    "PostgreSQL $servver, load before: ${load0:-unknown}"
echo "commands: $zndiff -d DB --yaml @empty @; $pg_dump --schema-only DB"
echo
printf '%-12s %8s %6s %9s %8s %9s %8s %5s  %s\n' database "yaml" \
    "sql" "pull_s" "pull_MiB" "pgdump_s" "dump" same "graph hash"
while read -r db lines items zs zm ps pl same hash; do
	printf '%-12s %8s %6s %9s %8s %9s %8s %5s  %s\n' "$db" "$lines" \
	    "$items" "$zs" "$zm" "$ps" "$pl" "$same" "$hash"
done <"$tmp/summary"
echo
echo "yaml: lines of the pulled file; sql: its entries under sql (what YAML"
echo "cannot hold); dump: lines of pg_dump's; same: the pulled file"
echo "materialises to the live graph's hash."
exit "$status"
