#!/bin/sh
# SPDX-License-Identifier: ISC
# realworld.sh: take real schemas from empty to full and back, as a new
# user would: load each FILE into database B of a throwaway cluster, plan
# empty -> B with zn-diff, apply the plan with zn-apply to an empty
# database A, then check that
#   - A's graph is B's (zn-snapshot, byte for byte),
#   - zn-diff A B finds nothing,
#   - pg_dump --schema-only --no-owner (privileges included) of A and B
#     agree once sorted (B restored from its own dump first when the
#     server's rendering of B is not its fixed point).
# One line per schema; the schema files are not part of the project
# (bench/RESULTS.md says where each came from).
#
#   sh bench/realworld.sh [-b BUILD] [--allow-unmodelled] FILE...
#
# A file may need roles or extensions first: FILE.pre, when it exists, is
# run in B and in A before it.  Exit 0 when every schema went through.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
allow=
while [ $# -gt 0 ]; do
	case $1 in
	-b) build=$2; shift 2 ;;
	--allow-unmodelled) allow=--allow-unmodelled; shift ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: realworld.sh [-b BUILD] FILE..." >&2; exit 64; }
PATH=$build/bin:$PATH
export PATH
# shellcheck source=tests/helpers/pgtmp.sh disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
zn_pgtmp_start || exit 2
trap 'zn_pgtmp_stop' EXIT INT TERM
work=$(mktemp -d) || exit 2
bad=0

dump() {
	pg_dump --schema-only --no-owner -d "$1" -N zn_realworld |
	    LC_ALL=C perl -ne '
		next if /^--/ || /^$/ || /^SET / ||
		    /pg_catalog\.set_config/ || /^SELECT pg_catalog/ ||
		    /^\\(un)?restrict/;
		s/,$//; push @l, $_; END { print sort @l }'
}

for f in "$@"; do
	n=$(basename "$f" .sql)
	a=rw_a_$$ b=rw_b_$$ b2=rw_c_$$
	for db in "$a" "$b" "$b2"; do
		psql -q -X -d postgres -c "DROP DATABASE IF EXISTS $db" \
		    -c "CREATE DATABASE $db" >/dev/null 2>&1
	done
	step="load"
	if [ -f "$f.pre" ]; then
		psql -q -X -v ON_ERROR_STOP=1 -d "$b" -f "$f.pre" >/dev/null 2>&1
		psql -q -X -v ON_ERROR_STOP=1 -d "$a" -f "$f.pre" >/dev/null 2>&1
	fi
	tables=0
	if psql -q -X -v ON_ERROR_STOP=1 -d "$b" -f "$f" \
	    >"$work/$n.load" 2>&1 &&
	    tables=$(psql -X -A -t -d "$b" -c "SELECT count(*) FROM pg_class
		WHERE relkind IN ('r', 'p') AND relnamespace NOT IN
		(SELECT oid FROM pg_namespace WHERE nspname IN
		('pg_catalog', 'information_schema'))") &&
	    step="snapshot" &&
	    zn-snapshot -d "$a" -o "$work/$n.a" 2>"$work/$n.err" &&
	    zn-snapshot -d "$b" -o "$work/$n.b" 2>>"$work/$n.err" &&
	    step="diff" &&
	    zn-diff $allow "$work/$n.a" "$work/$n.b" >"$work/$n.plan" \
	    2>>"$work/$n.err" &&
	    step="apply" &&
	    zn-apply -d "$a" --ledger-schema zn_realworld $allow "$work/$n.plan" \
	    >"$work/$n.apply" 2>>"$work/$n.err" &&
	    step="graph" &&
	    zn-snapshot -d "$a" -o "$work/$n.a2" 2>>"$work/$n.err" &&
	    sed 1d "$work/$n.b" >"$work/$n.bb" &&
	    sed 1d "$work/$n.a2" >"$work/$n.ab" &&
	    cmp -s "$work/$n.bb" "$work/$n.ab" &&
	    step="re-diff" &&
	    ! zn-diff $allow --json "$work/$n.a2" "$work/$n.b" \
	    2>>"$work/$n.err" | grep -q '"kind":"op"' &&
	    step="pg_dump" &&
	    dump "$b" >"$work/$n.db" && dump "$a" >"$work/$n.da" &&
	    { cmp -s "$work/$n.db" "$work/$n.da" || {
		pg_dump --schema-only -d "$b" | psql -q -X -d "$b2" \
		    >/dev/null 2>&1
		dump "$b2" >"$work/$n.db"
		cmp -s "$work/$n.db" "$work/$n.da"; }; }
	then
		ops=$(grep -c '"kind":"op"' "$work/$n.plan")
		printf '%-28s %5s tables %6s ops  ok\n' "$n" "$tables" "$ops"
	else
		bad=$((bad + 1))
		printf '%-28s %5s tables  FAILED at %s\n' "$n" "$tables" "$step"
		case $step in
		load) tail -n 3 "$work/$n.load" | sed 's/^/    /' ;;
		graph) diff "$work/$n.bb" "$work/$n.ab" | head -n 6 |
		    cut -c1-200 | sed 's/^/    /' ;;
		pg_dump) diff "$work/$n.db" "$work/$n.da" | head -n 8 |
		    cut -c1-200 | sed 's/^/    /' ;;
		*) tail -n 4 "$work/$n.err" | cut -c1-300 | sed 's/^/    /' ;;
		esac
	fi
done
rm -rf "$work"
[ "$bad" -eq 0 ]
