#!/bin/sh
# SPDX-License-Identifier: ISC
# common.sh (sourced below) sets tmp in bench_setup and reads bindir.
# shellcheck disable=SC1091,SC2034,SC2154
# artifact.sh: time archiving a column through zn-apply next to CREATE
# TABLE AS, zn-artifact export next to psql's \copy of the same rows,
# and zn-artifact list over many artifacts, in one run on one throwaway
# server.
#
# Usage: bench/artifact.sh [-r RUNS] [-l RUNS] [-a COUNT] [N]
#
#   -r RUNS   timed runs of the archive and export commands (default 3)
#   -l RUNS   timed runs of the list commands (default 15)
#   -a COUNT  synthetic artifacts in the ledger for list (default 10000)
#   N         rows of the table whose column is archived (default 1000000)
#
# Setup.  A throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh; fsync
# off, as for the tests).  Database tmpl holds public.big (id bigint
# PRIMARY KEY, v text, n int) with N rows (v the md5 of id, n id % 1000),
# then VACUUM (FREEZE, ANALYZE); database twin holds the same table
# without v and no rows, and its graph b.graph is taken once.
#
# Each run, untimed: database zn_R is made from tmpl (CREATE DATABASE
# ... TEMPLATE tmpl) and its plan made ("zn-snapshot -d zn_R -o a.graph;
# zn-diff --drop-policy archive a.graph b.graph | zn-classify -d zn_R",
# one archiveColumn step), database ct_R likewise (and connected to
# once), and a CHECKPOINT and sync(1) before each timed command.  Timed,
# interleaved (the order of each pair alternates between runs):
#
#   zn-apply -d zn_R plan.jsonl                         archive column v
#   psql -X -d ct_R -c "CREATE TABLE c AS SELECT id, v FROM public.big"
#                                                       the reference
#   psql -X -At -d zn_R -c "DIGEST"     what zn-apply runs after commit
#                                       (lib/artifact.c's query) alone
#   zn-snapshot -d zn_R                 zn-apply reads the schema three
#                                       times (the plan's hash, before,
#                                       after)
#   zn-artifact -d zn_R export ID --format csv -o zn.csv
#   psql -X -d zn_R -c "\copy (SELECT id, v FROM _zanith_archive.T)
#       TO 'psql.csv' WITH (FORMAT csv, HEADER)"        the reference
#   zn-artifact -d zn_R export ID --format jsonl -o zn.jsonl
#
# Checked each run: v is gone from public.big, the ledger's artifact has
# N rows and a digest, c has N rows, zn.csv and psql.csv are the same
# bytes, zn.jsonl is N lines.  The first run (zn_0, ct_0) is a warm-up,
# checked and not counted; it also checks that DIGEST gives the digest
# zn-apply recorded.  After the timed runs one more zn-apply runs with
# log_min_duration_statement = 0 (PGOPTIONS): its server time is printed
# by what it was for (the step, the digest, the ledger, the lock
# watcher, the rest: mostly the schema reads), each as the sum of the
# messages' durations and as the wall time they cover, with the longest
# messages and zn-apply's own output.
#
# List: COUNT synthetic rows (kind archive_column, relations that do not
# exist, so each shows as "missing" after the same catalog lookups) are
# inserted into zn_0's ledger next to its real artifact, then ANALYZE,
# then VACUUM (ANALYZE) of zn_0 and a wait until no autovacuum worker
# runs (the runs before wrote millions of rows autovacuum would visit
# while list is timed); then, interleaved, after one untimed run of each:
#
#   zn-artifact -d zn_0 list --json >/dev/null
#   zn-artifact -d zn_0 list --table-output >/dev/null
#   psql -X -At -d zn_0 -c "SELECT * FROM _zanith_migration_artifacts"
#                                       reading the ledger, for scale
#   true                                the timer's own cost
#
# Targets (the issue): zn-apply at most 1.5 times CREATE TABLE AS, both
# as the ratio of the medians and as the median of each run's own ratio
# (the two commands timed next to each other, which drift on the machine
# does not part); export --format csv at least 0.7 times \copy's rows per second (the
# inverse ratio of the medians); list --json, and --table-output, at most
# 100 ms over COUNT artifacts.  Wall times are date +%s%N around GNU time
# around the command (common.sh's timed), so they include starting both.
#
# Environment: ZN_BIN (the directory of the zanith binaries; default
# build/bin next to this script's directory), ZN_PG_BINDIR.  Prints the
# machine, the exact commands, the medians, the targets and the raw
# times; progress goes to stderr, the report to stdout.  Exits 1 when a
# run or a check fails, 2 on a usage error; a missed target does not
# change the status.

usage() {
	echo "usage: artifact.sh [-r RUNS] [-l RUNS] [-a COUNT] [N]" >&2
	exit 2
}

die() {
	echo "artifact.sh: $*" >&2
	exit 1
}

say() {
	echo "artifact.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

runs=3
lruns=15
count=10000
while getopts r:l:a: opt; do
	case $opt in
	r) runs=$OPTARG ;;
	l) lruns=$OPTARG ;;
	a) count=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
n=${1:-1000000}
isnum "$runs" || usage
isnum "$lruns" || usage
isnum "$count" || usage
isnum "$n" || usage

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find the script's directory"
top=${here%/*}
zb=${ZN_BIN:-$top/build/bin}
for b in zn-snapshot zn-diff zn-classify zn-apply zn-artifact; do
	[ -x "$zb/$b" ] || die "no $b in $zb (make all, or set ZN_BIN)"
done
unset DATABASE_URL ZN_DATABASE_URL ZN_CONFIG PGOPTIONS
# The checkout as the run starts (the binaries are named by their digest).
rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null) || rev=unknown
dirty=$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null |
    wc -l)

. "$top/tests/helpers/pgtmp.sh"
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
psql=$(tool psql) || exit 1
bench_timers
bench_setup
say "starting a throwaway PostgreSQL"
zn_pgtmp_start || die "the server did not start"
# No zanith.yaml of the caller's directory is read.
cd "$tmp/empty" || die "cannot enter $tmp/empty"

q() {
	"$psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

say "loading $n rows into tmpl"
q -d postgres -c "CREATE DATABASE tmpl" -c "CREATE DATABASE twin" ||
    die "cannot create the databases"
q -d tmpl -c "CREATE TABLE public.big (id bigint PRIMARY KEY, v text, n int)" \
    -c "INSERT INTO public.big SELECT g, md5(g::text), g % 1000 FROM generate_series(1, $n) g" \
    -c "VACUUM (FREEZE, ANALYZE) public.big" || die "cannot load tmpl"
q -d twin -c "CREATE TABLE public.big (id bigint PRIMARY KEY, n int)" ||
    die "cannot make twin"
"$zb/zn-snapshot" -d twin -o "$tmp/b.graph" || die "zn-snapshot of twin failed"
tblsize=$(q -d tmpl -c "SELECT pg_size_pretty(pg_total_relation_size('public.big'))")

# fresh DB: DB made anew from tmpl.
fresh() {
	q -d postgres -c "SET client_min_messages = warning" \
	    -c "DROP DATABASE IF EXISTS $1" \
	    -c "CREATE DATABASE $1 TEMPLATE tmpl" >/dev/null ||
	    die "cannot make database $1"
}

# Before a timed command: the server's dirty buffers written, and the
# kernel's (CREATE DATABASE copied a template's files through it) too,
# so that no write-back runs under the command.
checkpoint() {
	q -d postgres -c "CHECKPOINT" || die "CHECKPOINT failed"
	sync
}

# plan DB: DB's archive plan in plan.jsonl.
plan() {
	"$zb/zn-snapshot" -d "$1" -o "$tmp/a.graph" || die "zn-snapshot -d $1"
	"$zb/zn-diff" --drop-policy archive "$tmp/a.graph" "$tmp/b.graph" \
	    >"$tmp/diff.jsonl" || die "zn-diff failed"
	"$zb/zn-classify" -d "$1" <"$tmp/diff.jsonl" >"$tmp/plan.jsonl" ||
	    die "zn-classify -d $1 failed"
	if [ "$(grep -c '"kind":"op"' "$tmp/plan.jsonl")" -ne 1 ] ||
	    ! grep -q '"op":"archiveColumn"' "$tmp/plan.jsonl"; then
		die "the plan of $1 is not one archiveColumn step"
	fi
}

# after DB: checks zn-apply's work on DB, sets id, park and sum.
after() {
	c=$(q -d "$1" -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.big'::regclass AND attname = 'v' AND NOT attisdropped")
	[ "$c" -eq 0 ] || die "$1: public.big still has column v"
	row=$(q -d "$1" -F ' ' -c "SELECT artifact_id, park_schema || '.' || park_name, rows, checksum FROM _zanith_migration_artifacts ORDER BY id DESC LIMIT 1")
	read -r id park rows sum <<EOF
$row
EOF
	[ "${rows:-0}" -eq "$n" ] || die "artifact $id: ${rows:-no} rows, not $n"
	case $sum in
	h2:*) ;;
	*) die "artifact $id: no digest ($sum)" ;;
	esac
}

# The digest zn-apply takes of an archived column (lib/artifact.c).
digest_sql() {
	printf '%s\n' "SELECT pg_catalog.count(*)::text, 'h2:' || pg_catalog.md5(pg_catalog.count(*)::text || ':' || coalesce(pg_catalog.sum((0::bigint # coalesce(pg_catalog.hashint8extended(t.id, 1), -1) # coalesce(pg_catalog.hashtextextended(t.v COLLATE pg_catalog.\"C\", 2), -2))), 0)::text), pg_catalog.pg_total_relation_size('$1'::regclass)::text FROM $1 t"
}

copy_cmd() {
	printf '%s\n' "\\copy (SELECT id, v FROM $1) TO '$2' WITH (FORMAT csv, HEADER)"
}

ctas="CREATE TABLE c AS SELECT id, v FROM public.big"

# pair DB CT FILE...: zn-apply on DB and CREATE TABLE AS on CT; FILE is
# "warm" or the run's (the order alternates with the run's number).
t_apply() {
	fresh "$1"
	plan "$1"
	checkpoint
	timed "$2apply" "$zb/zn-apply" -d "$1" "$tmp/plan.jsonl"
	after "$1"
}

t_ctas() {
	fresh "$1"
	# Connected once, as zn_R is by its plan: the first connection to a
	# new database is not the reference's to pay.
	q -d "$1" -c "SELECT 1" >/dev/null || die "cannot connect to $1"
	checkpoint
	timed "$2ctas" "$psql" -X -d "$1" -c "$ctas"
	c=$(q -d "$1" -c "SELECT count(*) FROM c")
	[ "$c" -eq "$n" ] || die "$1: c has $c rows, not $n"
	q -d postgres -c "DROP DATABASE $1" || die "cannot drop $1"
}

t_csv() {
	timed "$2csv" "$zb/zn-artifact" -d "$1" export "$id" --format csv \
	    -o "$tmp/zn.csv"
}

t_copy() {
	timed "$2copy" "$psql" -X -d "$1" -c "$(copy_cmd "$park" "$tmp/psql.csv")"
}

# run R DB CT PREFIX: one run of everything but list.
run() {
	if [ $(($1 % 2)) -eq 1 ]; then
		t_apply "$2" "$4"
		t_ctas "$3" "$4"
	else
		t_ctas "$3" "$4"
		t_apply "$2" "$4"
	fi
	timed "$4digest" "$psql" -X -At -d "$2" -c "$(digest_sql "$park")"
	timed "$4snap" "$zb/zn-snapshot" -d "$2"
	if [ $(($1 % 2)) -eq 1 ]; then
		t_csv "$2" "$4"
		t_copy "$2" "$4"
	else
		t_copy "$2" "$4"
		t_csv "$2" "$4"
	fi
	cmp -s "$tmp/zn.csv" "$tmp/psql.csv" ||
	    die "$2: zn-artifact's CSV and psql's differ"
	[ "$(wc -l <"$tmp/zn.csv")" -eq $((n + 1)) ] ||
	    die "$2: the CSV is not a header and $n rows"
	csvbytes=$(wc -c <"$tmp/zn.csv")
	timed "$4jsonl" "$zb/zn-artifact" -d "$2" export "$id" --format jsonl \
	    -o "$tmp/zn.jsonl"
	[ "$(wc -l <"$tmp/zn.jsonl")" -eq "$n" ] ||
	    die "$2: the JSON lines are not $n"
	jsonlbytes=$(wc -c <"$tmp/zn.jsonl")
	rm -f "$tmp/zn.csv" "$tmp/psql.csv" "$tmp/zn.jsonl"
}

say "warm-up run"
run 1 zn_0 ct_0 "$tmp/warm-"
archname=$park
# The digest query is the one zn-apply ran: the same digest.
s=$(q -d zn_0 -F ' ' -c "$(digest_sql "$park")" | awk '{ print $2 }')
[ "$s" = "$sum" ] || die "the digest query gives $s, zn-apply recorded $sum"
r=1
while [ "$r" -le "$runs" ]; do
	say "run $r of $runs"
	run "$r" "zn_$r" "ct_$r" "$tmp/"
	q -d postgres -c "DROP DATABASE zn_$r" || die "cannot drop zn_$r"
	r=$((r + 1))
done

say "a traced zn-apply (log_min_duration_statement = 0)"
fresh zn_t
plan zn_t
checkpoint
log=$ZN_PGTMP_DIR/server.log
off=$(($(wc -c <"$log") + 1))
tt0=$(date +%s%N)
PGOPTIONS='-c log_min_duration_statement=0' "$zb/zn-apply" -d zn_t \
    "$tmp/plan.jsonl" >"$tmp/traced.out" 2>&1 || {
	cat "$tmp/traced.out" >&2
	die "the traced zn-apply failed"
}
tt1=$(date +%s%N)
after zn_t
# The trace: category, ms, start and end (seconds of the day, from the
# log line's time, which is the message's end), the message.
tail -c +"$off" "$log" | awk '/ LOG:  duration: / {
	s = $0; sub(/.* LOG:  duration: /, "", s)
	d = s; sub(/ ms.*/, "", d)
	t = s; sub(/^[0-9.]+ ms +/, "", t)
	split($2, h, ":")
	e = h[1] * 3600 + h[2] * 60 + h[3]
	if (t ~ /md5\(pg_catalog\.count/) c = "2digest"
	else if (t ~ /CREATE SCHEMA IF NOT EXISTS _zanith_archive|CREATE TABLE _zanith_archive|DROP COLUMN/) c = "1step"
	else if (t ~ /public\._zanith_/) c = "3ledger"
	else if (t ~ /pg_blocking_pids/) c = "4watch"
	else c = "5rest"
	printf "%s\t%.3f\t%.6f\t%.6f\t%s\n", c, d, e - d / 1000, e, t }' \
    >"$tmp/trace"
q -d postgres -c "DROP DATABASE zn_t" || die "cannot drop zn_t"

say "list: $count synthetic artifacts in zn_0's ledger"
q -d zn_0 -c "INSERT INTO _zanith_migration_artifacts (migration_id, step, kind, object, parked_as, artifact_id, status, src_schema, src_name, src_column, park_schema, park_name, park_column, rows, checksum, expires_at) SELECT 'm'||g, 1, 'archive_column', 'public.t'||g||'.c', '_zanith_archive.t'||g, 'm'||g||'::archive_column::public.t'||g||'.c', 'parked', 'public', 't'||g, 'c', '_zanith_archive', 't'||g, 'c', 10, 'h1:x', now() + interval '30 days' FROM generate_series(1, $count) g" \
    -c "ANALYZE _zanith_migration_artifacts" ||
    die "cannot add the synthetic artifacts"
# Nothing left for autovacuum to do in zn_0 (its million-row tables were
# just written), and none of its workers running, so that the list is
# timed on a quiet server.
q -d zn_0 -c "VACUUM (ANALYZE)" || die "cannot vacuum zn_0"
i=0
while [ "$(q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ]; do
	i=$((i + 1))
	[ "$i" -le 600 ] || die "autovacuum still runs after 60 s"
	sleep 0.1
done
total=$(q -d zn_0 -c "SELECT count(*) FROM _zanith_migration_artifacts")
c=$("$zb/zn-artifact" -d zn_0 list --json | grep -c '"kind":"artifact"')
[ "$c" -eq "$total" ] || die "list --json: $c records, not $total"
missing=$("$zb/zn-artifact" -d zn_0 list --json | grep -c '"status":"missing"')
[ "$missing" -eq "$count" ] || die "list --json: $missing missing, not $count"
c=$("$zb/zn-artifact" -d zn_0 list --table-output | grep -c '::archive_column::')
[ "$c" -eq "$total" ] || die "list --table-output: $c lines, not $total"
lsql="SELECT * FROM _zanith_migration_artifacts"
lnames="listjson listtable listpsql true"
t_list() {
	case $1 in
	listjson) timed "$2$1" "$zb/zn-artifact" -d zn_0 list --json ;;
	listtable) timed "$2$1" "$zb/zn-artifact" -d zn_0 list --table-output ;;
	listpsql) timed "$2$1" "$psql" -X -At -d zn_0 -c "$lsql" ;;
	true) timed "$2$1" true ;;
	esac
}
for c in $lnames; do
	t_list "$c" "$tmp/warm-"
done
r=1
while [ "$r" -le "$lruns" ]; do
	for c in $lnames; do
		t_list "$c" "$tmp/"
	done
	r=$((r + 1))
done

# ---- the report ----

col() {
	awk -v c="$2" '{ print $c }' "$1" >"$tmp/col"
	median "$tmp/col"
}

cmd_of() {
	case $1 in
	apply) echo "zn-apply -d zn_R plan.jsonl" ;;
	ctas) echo "psql -X -d ct_R -c \"$ctas\"" ;;
	digest) echo "psql -X -At -d zn_R -c \"DIGEST\"" ;;
	snap) echo "zn-snapshot -d zn_R" ;;
	csv) echo "zn-artifact -d zn_R export ID --format csv -o zn.csv" ;;
	copy) printf '%s\n' "psql -X -d zn_R -c \"$(copy_cmd "$archname" psql.csv)\"" ;;
	jsonl) echo "zn-artifact -d zn_R export ID --format jsonl -o zn.jsonl" ;;
	listjson) echo "zn-artifact -d zn_0 list --json" ;;
	listtable) echo "zn-artifact -d zn_0 list --table-output" ;;
	listpsql) echo "psql -X -At -d zn_0 -c \"$lsql\"" ;;
	true) echo "true (the timer alone)" ;;
	esac
}

row() {
	m=$(median "$tmp/$1")
	mm=$(sort -n "$tmp/$1" | awk 'NR == 1 { a = $1 } { b = $1 }
	    END { printf "%.3f-%.3f", a, b }')
	rss=$(sort -n -k2 "$tmp/$1" | tail -n 1 | awk '{ print $2 }')
	# shellcheck disable=SC2016
	printf '| `%s` | %s | %s | %s %s | %s | %s |\n' "$(cmd_of "$1")" \
	    "$m" "$mm" "$(col "$tmp/$1.cpus" 1)" "$(col "$tmp/$1.cpus" 2)" \
	    "$rss" "$2"
}

ms() {
	awk -v a="$1" 'BEGIN { printf "%.1f", a * 1000 }'
}

rate() {
	awk -v s="$1" -v n="$n" -v b="$2" \
	    'BEGIN { printf "%.0f rows/s, %.1f MB/s", n / s, b / s / 1e6 }'
}

ap=$(median "$tmp/apply")
# The runs' own ratios: each run's zn-apply over its CREATE TABLE AS,
# timed next to each other.
awk 'NR == FNR { a[FNR] = $1; next } { print a[FNR] / $1 }' "$tmp/apply" \
    "$tmp/ctas" >"$tmp/ratio"
pr=$(median "$tmp/ratio")
ct=$(median "$tmp/ctas")
dg=$(median "$tmp/digest")
sn=$(median "$tmp/snap")
cs=$(median "$tmp/csv")
cy=$(median "$tmp/copy")
jl=$(median "$tmp/jsonl")
lj=$(median "$tmp/listjson")
lt=$(median "$tmp/listtable")
lp=$(median "$tmp/listpsql")

echo "# zn-artifact benchmark"
echo
echo "machine: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null) cores," \
    "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
echo "server: PostgreSQL $(q -d postgres -c 'SHOW server_version'), fsync off, shared_buffers $(q -d postgres -c 'SHOW shared_buffers') (tests/helpers/pgtmp.sh)"
echo "zanith: $("$zb/zn-apply" --version 2>&1 | head -n 1) in $zb; checkout at $rev ($dirty tracked files modified)"
if command -v sha256sum >/dev/null 2>&1; then
	echo "  sha256: zn-apply $(sha256sum <"$zb/zn-apply" | cut -c1-16)..., zn-artifact $(sha256sum <"$zb/zn-artifact" | cut -c1-16)..."
fi
echo "load: $load0 before, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) after"
echo "table: public.big (id bigint PRIMARY KEY, v text, n int), $n rows, $tblsize with its index"
echo "  load: INSERT INTO public.big SELECT g, md5(g::text), g % 1000 FROM generate_series(1, $n) g; VACUUM (FREEZE, ANALYZE)"
echo "  plan: zn-snapshot -d zn_R -o a.graph; zn-diff --drop-policy archive a.graph b.graph | zn-classify -d zn_R > plan.jsonl"
echo "        (b.graph: zn-snapshot -d twin, public.big without v); not timed"
echo "  each run: zn_R and ct_R made from tmpl (CREATE DATABASE ... TEMPLATE tmpl), CHECKPOINT and sync before each; not timed"
echo "runs: $runs of each (archive, export), $lruns of each (list), after one warm-up, interleaved"
echo "archive table: $archname; export files: CSV $csvbytes bytes, JSON lines $jsonlbytes bytes"
echo "DIGEST: $(digest_sql "$archname")"
echo
echo "| command | median s | min-max s | user sys s | peak RSS KiB | |"
echo "|---|---|---|---|---|---|"
row apply "$(awk -v a="$ap" -v c="$ct" 'BEGIN { printf "%.2fx CTAS", a / c }')"
row ctas "reference"
row digest "in zn-apply, after commit"
row snap "zn-apply reads the schema twice"
row csv "$(rate "$cs" "$csvbytes")"
row copy "$(rate "$cy" "$csvbytes")"
row jsonl "$(rate "$jl" "$jsonlbytes")"
row listjson "$total artifacts"
row listtable "$total artifacts"
row listpsql "the ledger's rows"
row true "timer floor"
echo
awk -v a="$ap" -v c="$ct" -v cs="$cs" -v cp="$cy" -v lj="$lj" -v lt="$lt" \
    -v n="$n" -v k="$total" -v pr="$pr" 'BEGIN {
	printf "target 1, archive %d rows: zn-apply %.3f s / CREATE TABLE AS %.3f s = %.2f, median of the runs'"'"' own ratios %.2f (both <= 1.5): %s\n",
	    n, a, c, a / c, pr, (a <= 1.5 * c && pr <= 1.5) ? "holds" : "MISSED"
	printf "target 2, export csv / \\copy throughput: %.2f (>= 0.7; %.3f s against %.3f s): %s\n",
	    cp / cs, cs, cp, (cp / cs >= 0.7) ? "holds" : "MISSED"
	printf "target 3, list --json over %d artifacts: %.1f ms (<= 100): %s\n",
	    k, lj * 1000, (lj <= 0.1) ? "holds" : "MISSED"
	printf "target 3, list --table-output over %d artifacts: %.1f ms (<= 100): %s\n",
	    k, lt * 1000, (lt <= 0.1) ? "holds" : "MISSED"
}'
echo
echo "zn-apply over CREATE TABLE AS: +$(ms "$(awk -v a="$ap" -v c="$ct" 'BEGIN { print a - c }')") ms;" \
    "the digest alone $(ms "$dg") ms, one snapshot alone $(ms "$sn") ms"
echo
# union FILE: per category (column 1) the sum of column 2 and the time
# the union of the intervals [column 3, column 4] covers.
union() {
	sort -t "$(printf '\t')" -k1,1 -k3,3n "$1" | awk -F '\t' '
	$1 != c {
		if (c != "") printf "%s\t%.1f\t%.1f\n", c, m, (w + e - s) * 1000
		c = $1; s = $3; e = $4; w = 0; m = $2; next
	}
	{
		m += $2
		if ($3 > e) { w += e - s; s = $3; e = $4 } else if ($4 > e) e = $4
	}
	END { if (c != "") printf "%s\t%.1f\t%.1f\n", c, m, (w + e - s) * 1000 }'
}
twall=$(awk -v d="$((tt1 - tt0))" 'BEGIN { printf "%.1f", d / 1e6 }')
echo "traced zn-apply (log_min_duration_statement = 0), wall $twall ms, its output:"
sed 's/^/  /' "$tmp/traced.out"
echo "its $(wc -l <"$tmp/trace") logged server messages (statement, parse, bind, execute):"
echo "  server ms = their durations summed; wall ms = the time they cover (sessions overlap)"
printf '  %9s %9s  %s\n' "server ms" "wall ms" "what"
union "$tmp/trace" | awk -F '\t' '{
	if ($1 == "1step") w = "the step: CREATE SCHEMA, CREATE TABLE AS, DROP COLUMN"
	else if ($1 == "2digest") w = "the digest of the archived rows, after commit"
	else if ($1 == "3ledger") w = "the ledger: creating its tables, its rows"
	else if ($1 == "4watch") w = "the lock watcher (its own session, beside the step)"
	else w = "the rest: the two schema reads, checks, BEGIN, COMMIT, settings"
	printf "  %9.1f %9.1f  %s\n", $2, $3, w }'
awk -F '\t' 'BEGIN { OFS = "\t" } { $1 = "all"; print }' "$tmp/trace" >"$tmp/trace.all"
union "$tmp/trace.all" | awk -F '\t' -v t="$twall" '{
	printf "  %9.1f %9.1f  all; wall outside any of them (client, connecting, round trips): %.1f ms\n", $2, $3, t - $3 }'
echo "the longest messages:"
sort -t "$(printf '\t')" -k2,2 -rn "$tmp/trace" | head -n 10 |
    awk -F '\t' '{ m = substr($5, 1, 120); sub(/ +$/, "", m)
	printf "  %9.1f ms  %s\n", $2, m }'
echo
echo "raw wall times (s):"
for c in apply ctas digest snap csv copy jsonl listjson listtable listpsql true; do
	printf '  %-10s %s\n' "$c" \
	    "$(awk '{ printf "%s%s", (NR > 1) ? " " : "", $1 }' "$tmp/$c")"
done
