#!/bin/sh
# SPDX-License-Identifier: ISC
# offline-drift.sh: how far zn-snapshot --offline drifts from the server
# on the declarations of the test corpus, record by record.
#
# Usage: bench/offline-drift.sh [-v] [FILE.yaml ...]
#
#   -v        also list every record that is not the same, with the
#             fields that differ
#   FILE ...  YAML declarations (default: tests/fixtures/*.yaml,
#             examples/schema.yaml and tests/pairs/*/b.yaml)
#
# Starts one throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh) and,
# for each declaration, makes two graphs:
#
#   declared: zn-snapshot -C EMPTYDIR --declared FILE --scratch-url URL
#             (materialised in a scratch database, PostgreSQL's own
#             rendering: the reference)
#   offline:  zn-snapshot -C EMPTYDIR --declared FILE --offline
#
# Records are paired by kind, schema, table, name and arguments.  Each
# record of either graph is one of: same (identical line), differ
# (paired, not identical), declared only (in the declared graph alone),
# offline only, or left out (declared only, of a kind offline mode
# leaves out by design: function, procedure, view, materialized view;
# zn-diff does not touch those kinds when a graph is offline).  For a
# record that differs, the fields that differ are named as paths:
# "checks[].expression" is the expression of a check in the record's
# checks, "exclusions[]-" an exclusion the offline record lacks,
# "columns[]+" a column only the offline record has.
#
# Then what a plan made from the offline graph would get wrong:
#
#   zn-diff -C EMPTYDIR --json DECLARED OFFLINE   (d->o)
#   zn-diff -C EMPTYDIR --json OFFLINE DECLARED   (o->d)
#
# Both should find nothing; every op they make is false drift.  d->o is
# the dangerous direction: a database that already matches the
# declaration, planned against the offline graph of it (zn-apply
# accepts such a plan, its from_hash being the database's).
#
# Prints the machine, the commands, a table per declaration, totals by
# kind, the fields that differ, and the ops by name.  Progress goes to
# stderr, the report to stdout.  Environment: ZN_SNAPSHOT, ZN_DIFF (the
# binaries; default the ones in PATH, else build/bin next to this
# script's directory), ZN_PG_BINDIR (see pgtmp.sh).  The cluster is
# stopped and removed on exit.  Exits 1 when a graph cannot be made, 2
# on a usage error; drift itself does not change the status.

usage() {
	echo "usage: offline-drift.sh [-v] [FILE.yaml ...]" >&2
	exit 2
}

die() {
	echo "offline-drift.sh: $*" >&2
	exit 1
}

say() {
	echo "offline-drift.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

verbose=
while getopts v opt; do
	case $opt in
	v) verbose=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find the script's directory"
top=${here%/*}

if [ $# -eq 0 ]; then
	set -- "$top"/tests/fixtures/*.yaml "$top/examples/schema.yaml" \
	    "$top"/tests/pairs/*/b.yaml
fi
for f in "$@"; do
	case $f in
	*.yaml | *.yml) ;;
	*) usage ;;
	esac
	[ -r "$f" ] || die "cannot read $f"
done

snap=$(bin zn-snapshot "${ZN_SNAPSHOT:-}")
zdiff=$(bin zn-diff "${ZN_DIFF:-}")
[ -x "$snap" ] || die "no zn-snapshot at $snap (run make all)"
[ -x "$zdiff" ] || die "no zn-diff at $zdiff (run make all)"
command -v jq >/dev/null 2>&1 || die "no jq in PATH"

# shellcheck disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
psql=$(tool psql) || exit 1

bench_setup

say "starting a PostgreSQL cluster"
zn_pgtmp_start || die "the PostgreSQL cluster did not start"
url="host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres"

# The comparison: one line per record, tab-separated: status, kind,
# name, the fields that differ.  $d and $o are the two graphs.
# shellcheck disable=SC2016
cmp='
def body: map(select(.kind != "graph" and .kind != "end"));
def key: [.kind, .schema, .table, .name, .arguments] | tojson;
def id: [.schema, .table, .name] | map(select(. != null)) | join(".");
def sub(p; k): if p == "" then k else p + "." + k end;
def named: length > 0 and all(type == "object" and has("name"));
def fd(a; b; p):
	if a == b then empty
	elif (a | type) == "object" and (b | type) == "object" then
		((a | keys) + (b | keys) | unique[]) as $k |
		fd(a[$k]; b[$k]; sub(p; $k))
	elif (a | type) == "array" and (b | type) == "array" and
	    (a + b | named) then
		(a + b | map(.name) | unique[]) as $n |
		([a[] | select(.name == $n)][0]) as $x |
		([b[] | select(.name == $n)][0]) as $y |
		if $x == null then p + "[]+"
		elif $y == null then p + "[]-"
		else fd($x; $y; p + "[]") end
	elif (a | type) == "array" and (b | type) == "array" and
	    (a | length) == (b | length) then
		range(0; a | length) as $i | fd(a[$i]; b[$i]; p + "[]")
	else p end;
($d | body) as $d | ($o | body) as $o |
($o | map({key: key, value: .}) | from_entries) as $om |
($d | map({key: key, value: .}) | from_entries) as $dm |
($d[] | . as $r | $om[key] as $x |
	if $x == null then
		[if .kind | IN("function", "procedure", "view",
		    "materialized_view") then "left-out" else "declared-only"
		    end, .kind, id, ""]
	elif $x == $r then ["same", .kind, id, ""]
	else ["differ", .kind, id, ([fd($r; $x; "")] | unique | join(" "))]
	end),
($o[] | select($dm[key] == null) | ["offline-only", .kind, id, ""])
| @tsv'

: >"$tmp/records"
: >"$tmp/ops"
: >"$tmp/summary"
for f in "$@"; do
	case $f in
	"$top"/*) label=${f#"$top"/} ;;
	*) label=$f ;;
	esac
	say "$label"
	"$snap" -C "$tmp/empty" --declared "$f" --scratch-url "$url" \
	    -o "$tmp/decl.graph" || die "zn-snapshot --declared $f failed"
	"$snap" -C "$tmp/empty" --declared "$f" --offline \
	    -o "$tmp/off.graph" 2>"$tmp/warn" || {
		cat "$tmp/warn" >&2
		die "zn-snapshot --offline $f failed"
	}
	jq -n -r --slurpfile d "$tmp/decl.graph" --slurpfile o "$tmp/off.graph" \
	    "$cmp" >"$tmp/rec" || die "comparing the graphs of $f failed"
	"$zdiff" -C "$tmp/empty" --json "$tmp/decl.graph" "$tmp/off.graph" \
	    >"$tmp/plan.do" 2>"$tmp/warn" || {
		cat "$tmp/warn" >&2
		die "zn-diff declared offline ($f) failed"
	}
	"$zdiff" -C "$tmp/empty" --json "$tmp/off.graph" "$tmp/decl.graph" \
	    >"$tmp/plan.od" 2>"$tmp/warn" || {
		cat "$tmp/warn" >&2
		die "zn-diff offline declared ($f) failed"
	}
	jq -r 'select(.kind == "op") | "d->o\t\(.op)\t\(.target)"' \
	    "$tmp/plan.do" >"$tmp/op"
	jq -r 'select(.kind == "op") | "o->d\t\(.op)\t\(.target)"' \
	    "$tmp/plan.od" >>"$tmp/op"
	awk -F '\t' -v l="$label" '{ print l "\t" $0 }' "$tmp/rec" \
	    >>"$tmp/records"
	awk -F '\t' -v l="$label" '{ print l "\t" $0 }' "$tmp/op" >>"$tmp/ops"
	ndecl=$(($(wc -l <"$tmp/decl.graph") - 2))
	noff=$(($(wc -l <"$tmp/off.graph") - 2))
	awk -F '\t' -v l="$label" -v nd="$ndecl" -v no="$noff" '
	FNR == NR { n[$1]++; next }
	{ ops[$1]++ }
	END {
		printf "%s %d %d %d %d %d %d %d %d %d\n", l, nd, no,
		    n["same"], n["differ"], n["declared-only"],
		    n["offline-only"], n["left-out"], ops["d->o"],
		    ops["o->d"]
	}' "$tmp/rec" "$tmp/op" >>"$tmp/summary"
done

# The report.
servver=$("$psql" -X -At -d postgres -c "SHOW server_version") ||
    servver=unknown
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)

echo "zn-snapshot --offline drift (bench/offline-drift.sh)"
echo
echo "Machine"
echo "  cpus:       $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
echo "  cpu model:  ${cpu:-unknown}"
echo "  kernel:     $(uname -srm)"
echo "  postgresql: $servver (throwaway cluster from tests/helpers/pgtmp.sh)"
echo "  zn:         $("$snap" --version 2>&1 | head -n 1)"
if command -v sha256sum >/dev/null 2>&1; then
	echo "  zn binary:  $snap (sha256 $(sha256sum <"$snap" | cut -c1-16)...)"
else
	echo "  zn binary:  $snap"
fi
echo "  jq:         $(jq --version 2>&1)"
echo
echo "Commands (for each FILE)"
echo "  declared: $snap -C EMPTYDIR --declared FILE --scratch-url URL -o D"
echo "  offline:  $snap -C EMPTYDIR --declared FILE --offline -o O"
echo "  d->o:     $zdiff -C EMPTYDIR --json D O"
echo "  o->d:     $zdiff -C EMPTYDIR --json O D"
echo
echo "Records per declaration (paired by kind, schema, table, name," \
    "arguments)"
awk '
BEGIN {
	printf "%-40s %4s %4s %4s %6s %6s %6s %4s %4s %4s\n", "declaration",
	    "decl", "off", "same", "differ", "d-only", "o-only", "left",
	    "d->o", "o->d"
}
{
	printf "%-40s %4d %4d %4d %6d %6d %6d %4d %4d %4d\n", $1, $2, $3,
	    $4, $5, $6, $7, $8, $9, $10
	for (i = 2; i <= 10; i++)
		t[i] += $i
	if ($5 + $6 + $7 + $9 + $10 == 0)
		clean++
}
END {
	printf "%-40s %4d %4d %4d %6d %6d %6d %4d %4d %4d\n", "total", t[2],
	    t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]
	n = t[4] + t[5] + t[6] + t[7]
	printf "\n  %d of %d declarations without drift; records compared" \
	    " (left out aside): %d, the same: %d (%.1f%%)\n", clean, NR,
	    n, t[4], (n > 0 ? 100 * t[4] / n : 0)
}' "$tmp/summary"
echo "  decl/off: records in each graph; differ: paired, not identical;"
echo "  d-only/o-only: in one graph only; left: functions, procedures and"
echo "  views, left out offline by design; d->o, o->d: ops zn-diff makes"
echo "  between the two graphs (false drift: should be 0)."
echo
echo "Records by kind (all declarations)"
awk -F '\t' '
{ k[$3]++; n[$3, $2]++ }
END {
	printf "  %-18s %5s %6s %6s %6s %5s\n", "kind", "same", "differ",
	    "d-only", "o-only", "left"
	for (x in k)
		printf "  %-18s %5d %6d %6d %6d %5d\n", x, n[x, "same"],
		    n[x, "differ"], n[x, "declared-only"],
		    n[x, "offline-only"], n[x, "left-out"]
}' "$tmp/records" | { IFS= read -r h; echo "$h"; LC_ALL=C sort; }
echo
echo "Fields that differ (records, and the declarations they are in)"
awk -F '\t' '
$2 == "differ" {
	m = split($5, f, " ")
	for (i = 1; i <= m; i++) {
		k = $3 " " f[i]
		n[k]++
		if (index(" " w[k] " ", " " $1 " ") == 0)
			w[k] = w[k] (w[k] == "" ? "" : " ") $1
	}
}
END {
	for (k in n)
		printf "  %-40s %3d  %s\n", k, n[k], w[k]
}' "$tmp/records" | LC_ALL=C sort
echo
echo "Ops of the false drift, by name"
awk -F '\t' '
{ n[$2 " " $3]++; if (index(" " w[$2 " " $3] " ", " " $1 " ") == 0)
	w[$2 " " $3] = w[$2 " " $3] (w[$2 " " $3] == "" ? "" : " ") $1 }
END {
	for (k in n)
		printf "  %-30s %3d  %s\n", k, n[k], w[k]
}' "$tmp/ops" | LC_ALL=C sort
[ -s "$tmp/ops" ] || echo "  (none)"
if [ -n "$verbose" ]; then
	echo
	echo "Records not the same"
	awk -F '\t' '$2 != "same" {
		printf "  %s: %s %s %s%s\n", $1, $2, $3, $4,
		    $5 != "" ? " (" $5 ")" : ""
	}' "$tmp/records"
	echo
	echo "Ops"
	awk -F '\t' '{ printf "  %s: %s %s %s\n", $1, $2, $3, $4 }' "$tmp/ops"
fi
