#!/bin/sh
# SPDX-License-Identifier: ISC
# classify.sh: time zn-classify on a large op stream, offline and against
# a live database, next to its references in the same run.
#
# Usage: bench/classify.sh [-H] [-p] [-r RUNS] [-o OPS] [-R ROWS] [-s SEED] [N]
#
#   -r RUNS   timed runs of each command (default 21)
#   -o OPS    ops in the stream (default 10000)
#   -R ROWS   rows in most tables (default 200; at least 100): every
#             tenth table gets 50 x ROWS
#   -s SEED   seed for bench/gen-schema and bench/gen-ops (default 1)
#   -H        do not use hyperfine even when it is installed
#   -p        also profile one offline and one live (--no-preflight)
#             zn-classify run with perf (when installed)
#   N         schema size in tables (default 1000; at least 20)
#
# Setup.  "bench/gen-schema N SEED" is loaded into database bench_c of
# a throwaway PostgreSQL cluster (tests/helpers/pgtmp.sh).  Rows are
# inserted into every table (data.sql, made from the catalog: code and
# name filled, each foreign key column pointing at one of the first 100
# rows of its table, session_replication_role = replica so that the
# foreign keys are not checked row by row), then VACUUM ANALYZE gives
# every table its statistics.  "bench/gen-ops OPS SEED" turns the same
# schema.sql into a migration file of OPS ops spread over all N tables
# (a mix of op kinds with the SQL and args zn-diff writes; see
# bench/gen-ops), and "zn-diff --read" makes it the op stream
# stream.jsonl.  stats.csv holds every table's pg_class.reltuples and
# pg_total_relation_size() in the CSV of --stats.  stream.sql holds
# every statement of the stream, one after the other, for squawk.  A
# second stream, stream-1.jsonl, has one op per table (gen-ops N SEED:
# single-step kinds only).
#
# Before timing, each zn-classify mode runs once: its exit status must
# be 0 (verdict ok), its output must read back with "zn-diff --read"
# (trailer checksum) and classify every op; the levels, the ops with
# table sizes and the probes run are printed for each.
#
# Timed, with the same runs each, one command after the other:
#
#   jq -c . stream.jsonl                      parsing the stream
#   zn-diff --read stream.jsonl               read, checksum, write
#   zn-classify -C empty --offline stream.jsonl
#                                             target 1: <= 100 ms
#   zn-classify -C empty --offline --stats stats.csv stream.jsonl
#   zn-classify -C empty -d bench_c --no-preflight stream.jsonl
#                                             target 2: <= 1 s
#   zn-classify -C empty -d bench_c stream.jsonl
#                                             with the data probes
#   zn-classify -C empty -d bench_c --no-preflight stream-1.jsonl
#   zn-classify -C empty -d bench_c stream-1.jsonl
#   squawk --reporter json stream.sql         a peer linter, when found
#
# squawk exits 1 when it reports something; it runs through ok1.sh,
# which takes 0 or 1 as success.  squawk is looked up in PATH (or
# ZN_SQUAWK); the npm package's node launcher is replaced by the native
# binary it starts, when that can be found.  Without squawk its row is
# left out ("npm install -g squawk-cli" installs it).
#
# Timing: with hyperfine (found in PATH; not with -H), one hyperfine run
# per command, --shell=none, 3 warm-up runs; the raw times and the mean
# CPU times come from its --export-json.  Without it, the same runs,
# each timed with date +%s%N (or GNU time's %e), after the same warm-ups;
# CPU times from GNU time.  Peak RSS comes from GNU time's %M over 5 more
# runs of each command (the largest; n/a without GNU time).  Prints the
# machine, the setup, the exact commands, the medians, the targets and
# the raw times.  Progress goes to stderr, the report to stdout.
#
# Environment: ZN_CLASSIFY, ZN_DIFF (the binaries; default the ones in
# PATH, else build/bin next to this script's directory; copied to the
# temporary directory and run from there), ZN_SQUAWK,
# ZN_PG_BINDIR and ZN_PGTMP_USER (see pgtmp.sh), PGOPTIONS (shown in the
# report).  DATABASE_URL is unset, so that -C empty has no database.
# The cluster is stopped and removed on exit.  Exits 1 when the schema
# or the rows fail to load, a run fails or a check above fails, 2 on a
# usage error; a missed target does not change the status.

usage() {
	echo "usage: classify.sh [-H] [-p] [-r RUNS] [-o OPS] [-R ROWS] [-s SEED] [N]" >&2
	exit 2
}

die() {
	echo "classify.sh: $*" >&2
	exit 1
}

say() {
	echo "classify.sh: $*" >&2
}

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"

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
nops=10000
rows=200
seed=1
usehf=1
prof=
while getopts Hpr:o:R:s: opt; do
	case $opt in
	H) usehf= ;;
	p) prof=1 ;;
	r) runs=$OPTARG ;;
	o) nops=$OPTARG ;;
	R) rows=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
isnum "$runs" || usage
isnum "$nops" || usage
isnum "$rows" || usage
[ "$rows" -ge 100 ] || usage
isnum "$seed" || usage
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
genops=$here/gen-ops
[ -r "$gen" ] || die "no $gen"
[ -r "$genops" ] || die "no $genops"

# bin NAME ENVVALUE: the zanith binary to time.
zc=$(bin zn-classify "${ZN_CLASSIFY:-}")
zd=$(bin zn-diff "${ZN_DIFF:-}")
[ -x "$zc" ] || die "no zn-classify at $zc (run make all, or set ZN_CLASSIFY)"
[ -x "$zd" ] || die "no zn-diff at $zd (run make all, or set ZN_DIFF)"
unset DATABASE_URL ZN_ENV
jq=$(command -v jq) || die "no jq in PATH (the reference, and the checks)"

# squawk: the native binary when the npm launcher (node) is in PATH.
sq=
sqnote=
if [ -n "${ZN_SQUAWK:-}" ]; then
	sq=$ZN_SQUAWK
elif command -v squawk >/dev/null 2>&1; then
	sq=$(command -v squawk)
	if head -n 1 "$sq" 2>/dev/null | grep -q node; then
		_real=$(readlink -f "$sq" 2>/dev/null) || _real=$sq
		_idx=${_real%/bin/*}/index.js
		_nat=
		if [ -f "$_idx" ] && command -v node >/dev/null 2>&1; then
			_nat=$(node -e 'process.stdout.write(require(process.argv[1]).getBinaryPath())' \
			    "$_idx" 2>/dev/null) || _nat=
		fi
		if [ -n "$_nat" ] && [ -x "$_nat" ]; then
			sqnote="the native binary of the npm package; $sq is its node launcher"
			sq=$_nat
		else
			sqnote="through the npm package's node launcher"
		fi
	fi
fi
if [ -n "$sq" ] && ! "$sq" --version >/dev/null 2>&1; then
	say "$sq --version failed: squawk left out"
	sq=
fi
[ -n "$sq" ] || say "no squawk (npm install -g squawk-cli): its row is left out"

# shellcheck disable=SC1091
. "$top/tests/helpers/pgtmp.sh"
bindir=$(zn_pgtmp_bindir) || die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
psql=$(tool psql) || exit 1

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

# The binaries are copied, so that a rebuild during the run changes
# nothing; the report names the originals and their digests.
mkdir "$tmp/bin" || die "cannot make $tmp/bin"
zc0=$zc
zd0=$zd
cp "$zc0" "$tmp/bin/zn-classify" || die "cannot copy $zc0 to $tmp/bin"
cp "$zd0" "$tmp/bin/zn-diff" || die "cannot copy $zd0 to $tmp/bin"
zc=$tmp/bin/zn-classify
zd=$tmp/bin/zn-diff

say "starting a PostgreSQL cluster"
zn_pgtmp_start || die "the PostgreSQL cluster did not start"
# PGDATABASE from pgtmp is "postgres"; every command names its database.
export PGHOST PGPORT PGUSER

q() {
	"$psql" -X -v ON_ERROR_STOP=1 -q -At "$@"
}

# bench LABEL WARMUP RUNS CMDLINE: times CMDLINE (words quoted as by
# cmdline) RUNS times after WARMUP untimed runs.  Results go to
# $tmp/res-LABEL ("seconds rss", one line per run) and
# $tmp/res-LABEL.cpu ("user_s sys_s", means).
bench() {
	_lab=$1 _warm=$2 _runs=$3 _cmd=$4
	_out=$tmp/res-$_lab
	rm -f "$_out" "$_out.cpu" "$_out.cpus"
	if [ -n "$hf" ]; then
		"$hf" -N -w "$_warm" -r "$_runs" --style basic \
		    --export-json "$tmp/hf.json" "$_cmd" >"$tmp/hf.out" 2>&1 || {
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

# peakrss LABEL CMDLINE: the largest %M of 5 runs, in $tmp/rss-LABEL
# (KiB, one a line).
peakrss() {
	rm -f "$tmp/rss-$1"
	[ -n "$gnutime" ] || return 0
	eval "set -- $1 $2"
	_lab=$1
	shift
	_i=0
	while [ "$_i" -lt 5 ]; do
		"$gnutime" -f '%M' -o "$tmp/time" "$@" >/dev/null 2>&1 ||
		    die "failed under GNU time: $*"
		tail -n 1 "$tmp/time" >>"$tmp/rss-$_lab"
		_i=$((_i + 1))
	done
}

mib() {
	if [ -s "$tmp/rss-$1" ]; then
		sort -n "$tmp/rss-$1" | tail -n 1 |
		    awk '{ printf "%.1f", $1 / 1024 }'
	else
		printf 'n/a'
	fi
}

# minmax FILE: "min-max" of column 1.
minmax() {
	sort -n "$1" | awk 'NR == 1 { a = $1 } { b = $1 }
	    END { printf "%.4f-%.4f", a, b }'
}

# row LABEL NAME: one line of a results table.
row() {
	[ -f "$tmp/res-$1" ] || return 0
	printf '  %-44s %8s %15s %15s %8s\n' "$2" "$(median "$tmp/res-$1")" \
	    "$(minmax "$tmp/res-$1")" "$(cat "$tmp/res-$1.cpu")" "$(mib "$1")"
}

# The database: schema, rows, statistics.
"$gen" "$n" "$seed" >"$tmp/schema.sql" || die "gen-schema $n $seed failed"
say "loading bench_c ($n tables)"
q -d postgres -c "CREATE DATABASE bench_c" || die "cannot create database bench_c"
q -d bench_c -f "$tmp/schema.sql" >"$tmp/load.log" 2>&1 || {
	cat "$tmp/load.log" >&2
	die "bench/gen-schema $n $seed did not load into bench_c"
}
big=$((rows * 50))
refs=100
{
	echo "SET session_replication_role = replica;"
	q -d bench_c -c "SELECT format('INSERT INTO bench.%I (%s) SELECT %s FROM generate_series(1, %s) g;',
	    c.relname,
	    string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
	    string_agg(CASE a.attname WHEN 'code' THEN '''c'' || g'
	        WHEN 'name' THEN '''n'' || g'
	        ELSE '(g - 1) % $refs + 1' END, ', ' ORDER BY a.attnum),
	    CASE WHEN substr(c.relname, 3)::int % 10 = 0 THEN $big ELSE $rows END)
	  FROM pg_catalog.pg_class c
	  JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
	  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
	   AND NOT a.attisdropped
	   AND (a.attname IN ('code', 'name') OR a.attname ~ '^ref_[0-9]+_id\$')
	  WHERE s.nspname = 'bench' AND c.relkind = 'r'
	  GROUP BY c.relname ORDER BY c.relname"
} >"$tmp/data.sql" || die "cannot make data.sql"
say "inserting rows"
q -d bench_c -f "$tmp/data.sql" >"$tmp/load.log" 2>&1 || {
	cat "$tmp/load.log" >&2
	die "the rows did not load into bench_c"
}
q -d bench_c -c "VACUUM ANALYZE" || die "VACUUM ANALYZE failed in bench_c"
# shellcheck disable=SC2046
set -- $(q -d bench_c -F ' ' -c "SELECT count(*), sum(c.reltuples)::bigint,
    count(*) FILTER (WHERE c.reltuples < 10000),
    count(*) FILTER (WHERE c.reltuples >= 10000 AND c.reltuples < 1000000),
    count(*) FILTER (WHERE c.reltuples >= 1000000),
    pg_size_pretty(sum(pg_catalog.pg_total_relation_size(c.oid)))
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'bench' AND c.relkind = 'r'") ||
    die "cannot count the tables of bench_c"
[ "$1" -eq "$n" ] || die "bench_c has $1 tables in schema bench, not $n"
dbfacts="$1 tables, $2 rows (pg_class.reltuples): $3 under 10,000 rows, $4 from 10,000 to 999,999, $5 from 1,000,000; $6 $7 with indexes and TOAST"

# stats.csv: the same sizes for --stats.
{
	echo "schema,table,rows,bytes"
	q -d bench_c -F , -c "SELECT s.nspname, c.relname,
	    greatest(c.reltuples, 0)::bigint,
	    pg_catalog.pg_total_relation_size(c.oid)
	    FROM pg_catalog.pg_class c
	    JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
	    WHERE s.nspname = 'bench' AND c.relkind = 'r'
	    ORDER BY c.relname"
} >"$tmp/stats.csv" || die "cannot write stats.csv"

# The op streams.
mig=20260101_000000_bench_ops
mig1=20260101_000001_bench_one
"$genops" "$nops" "$seed" <"$tmp/schema.sql" >"$tmp/$mig.yaml" ||
    die "gen-ops $nops $seed failed"
"$genops" "$n" "$seed" <"$tmp/schema.sql" >"$tmp/$mig1.yaml" ||
    die "gen-ops $n $seed failed"
cd "$tmp" || die "cannot enter $tmp"
"$zd" --read "$mig.yaml" >stream.jsonl || die "zn-diff --read $mig.yaml failed"
"$zd" --read "$mig1.yaml" >stream-1.jsonl || die "zn-diff --read $mig1.yaml failed"
"$jq" -r 'select(.kind == "op") | .sql[] | . + ";"' stream.jsonl >stream.sql ||
    die "cannot write stream.sql"
# trailer FILE KEY: a number from the last line of an op stream.
trailer() {
	tail -n 1 "$1" | sed -n "s/.*\"$2\":\\([0-9]*\\).*/\\1/p"
}
[ "$(trailer stream.jsonl ops)" = "$nops" ] ||
    die "stream.jsonl has $(trailer stream.jsonl ops) ops, not $nops"
[ "$(trailer stream-1.jsonl ops)" = "$n" ] ||
    die "stream-1.jsonl has $(trailer stream-1.jsonl ops) ops, not $n"
touched=$("$jq" -r 'select(.kind == "op") | .args.table' stream.jsonl |
    grep -c '^t_[0-9]*$')
ntouched=$("$jq" -r 'select(.kind == "op") | .args.table' stream.jsonl |
    grep '^t_[0-9]*$' | sort -u | wc -l | tr -d ' ')

# The commands, files named as in the report.
printf '#!/bin/sh\n"$@"\n[ $? -le 1 ]\n' >ok1.sh
c_jq=$(cmdline "$jq" -c . stream.jsonl)
c_read=$(cmdline "$zd" --read stream.jsonl)
c_off=$(cmdline "$zc" -C empty --offline stream.jsonl)
c_stats=$(cmdline "$zc" -C empty --offline --stats stats.csv stream.jsonl)
c_live=$(cmdline "$zc" -C empty -d bench_c --no-preflight stream.jsonl)
c_probe=$(cmdline "$zc" -C empty -d bench_c stream.jsonl)
c_live1=$(cmdline "$zc" -C empty -d bench_c --no-preflight stream-1.jsonl)
c_probe1=$(cmdline "$zc" -C empty -d bench_c stream-1.jsonl)
c_sq=
[ -z "$sq" ] || c_sq=$(cmdline sh ok1.sh "$sq" --reporter json stream.sql)

# One run of each mode, checked.
say "checking each mode once"
: >modes
check() {
	_lab=$1
	eval "set -- $2"
	"$@" >"out-$_lab.jsonl" 2>"err-$_lab" || {
		_rc=$?
		cat "err-$_lab" >&2
		say "$_lab: exit $_rc (refusals: $(tail -n 1 "out-$_lab.jsonl" |
		    "$jq" -c '.refusals[:3]' 2>/dev/null))"
		status=1
		return 1
	}
	"$zd" --read "out-$_lab.jsonl" >/dev/null 2>"err-$_lab.read" || {
		cat "err-$_lab.read" >&2
		say "$_lab: the output does not read back"
		status=1
		return 1
	}
	# shellcheck disable=SC2016
	"$jq" -r --arg m "$_lab" -s '
	    (map(select(.kind == "op")) as $o | .[-1] as $e |
	    [$m, ($o | length), ($o | map(select(.risk.level != null)) | length),
	     $e.verdict, $e.worst, $e.max_score,
	     ($e.levels.safe // 0), ($e.levels.low // 0),
	     ($e.levels.medium // 0), ($e.levels.high // 0),
	     (($e.levels.destructive // 0) + ($e.levels.critical // 0)),
	     ($o | map(select(.risk.facts.tables != null)) | length),
	     ($o | map(.risk.facts.probes // [] | length) | add),
	     ($o | map(.risk.facts.probes // [] | map(select(.status != "clean")) | length) | add)]
	    | @tsv)' "out-$_lab.jsonl" >>modes || {
		say "$_lab: cannot summarise the output"
		status=1
		return 1
	}
}
check offline "$c_off"
check stats "$c_stats"
check live "$c_live"
check probe "$c_probe"
check live1 "$c_live1"
check probe1 "$c_probe1"
awk -v want="$nops" -v one="$n" -F '\t' '
{
	w = ($1 ~ /1$/) ? one : want
	if ($2 != w || $3 != w || $4 != "ok")
		print $1
}' modes >modes.bad
if [ -s modes.bad ]; then
	status=1
	say "modes with ops unclassified, missing or blocked: $(tr '\n' ' ' <modes.bad)"
fi
[ "$status" -eq 0 ] || die "a mode failed its check; not timing"
sqfound=
if [ -n "$sq" ]; then
	sh ok1.sh "$sq" --reporter json stream.sql >out-squawk.json 2>err-squawk ||
	    die "squawk failed: $(head -n 3 err-squawk)"
	sqfound=$("$jq" 'length' out-squawk.json 2>/dev/null) || sqfound='?'
	"$jq" -r '.[].rule_name // .[].code // empty' out-squawk.json 2>/dev/null |
	    sort | uniq -c | sort -rn >squawk-rules
fi

say "timing: $runs runs of each command"
bench jq 3 "$runs" "$c_jq"
bench read 3 "$runs" "$c_read"
bench off 3 "$runs" "$c_off"
bench stats 3 "$runs" "$c_stats"
bench live 3 "$runs" "$c_live"
bench probe 3 "$runs" "$c_probe"
bench live1 3 "$runs" "$c_live1"
bench probe1 3 "$runs" "$c_probe1"
[ -z "$sq" ] || bench sq 3 "$runs" "$c_sq"
say "peak RSS: 5 runs of each command"
peakrss jq "$c_jq"
peakrss read "$c_read"
peakrss off "$c_off"
peakrss stats "$c_stats"
peakrss live "$c_live"
peakrss probe "$c_probe"
peakrss live1 "$c_live1"
peakrss probe1 "$c_probe1"
[ -z "$sq" ] || peakrss sq "$c_sq"

if [ -n "$prof" ]; then
	say "profiling one offline and one --no-preflight run with perf"
	for l in off live; do
		case $l in
		off) c=$c_off ;;
		*) c=$c_live ;;
		esac
		eval "set -- $c"
		perf record -q --call-graph dwarf,32768 -F 4000 \
		    -o "perf-$l.data" "$@" >/dev/null 2>"perf-$l.err" ||
		    say "perf record failed: $(cat "perf-$l.err")"
	done
fi

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

echo "zn-classify benchmark (bench/classify.sh)"
echo
echo "Machine"
echo "  cpus:        $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
echo "  cpu model:   ${cpu:-unknown}"
echo "  memory:      ${mem:-unknown}"
echo "  kernel:      $(uname -srm)"
echo "  postgresql:  $servver (throwaway cluster from tests/helpers/pgtmp.sh," \
    "Unix socket, fsync off, shared_buffers 32MB)"
echo "  zn:          $("$zc" --version 2>&1 | head -n 1)"
echo "  zn-classify: $(digest "$zc") copied from $zc0"
echo "  zn-diff:     $(digest "$zd") copied from $zd0"
echo "  jq:          $jq ($("$jq" --version 2>&1))"
if [ -n "$sq" ]; then
	echo "  squawk:      $sq ($("$sq" --version 2>&1 | head -n 1)${sqnote:+; $sqnote})"
else
	echo "  squawk:      not found"
fi
if [ -n "$hf" ]; then
	echo "  timer:       $("$hf" --version) (--shell=none)"
else
	echo "  timer:       date +%s%N around each run (no hyperfine)"
fi
echo "  load avg:    ${load0:-n/a} at start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) at end (1, 5, 15 min)"
echo "  PGOPTIONS:   ${PGOPTIONS:-(not set)}"
echo
echo "Setup (in $tmp)"
echo "  schema:  bench/gen-schema $n $seed > schema.sql" \
    "($(wc -l <schema.sql | tr -d ' ') lines)"
echo "  load:    psql -v ON_ERROR_STOP=1 -q -d bench_c -f schema.sql"
echo "  rows:    psql -d bench_c -f data.sql ($(($(wc -l <data.sql) - 1))" \
    "INSERTs: $rows rows a table, $big in every tenth), then VACUUM ANALYZE;" \
    "the first lines:"
head -n 3 data.sql | cut -c1-200 | sed 's/^/             /'
echo "  bench_c: $dbfacts"
echo "  stats:   stats.csv, $(($(wc -l <stats.csv) - 1)) tables:" \
    "schema,table,reltuples,pg_total_relation_size from bench_c"
echo "  ops:     bench/gen-ops $nops $seed < schema.sql > $mig.yaml" \
    "($(wc -c <"$mig.yaml" | tr -d ' ') bytes)"
echo "           $zd --read $mig.yaml > stream.jsonl"
echo "           ($(wc -l <stream.jsonl | tr -d ' ') lines," \
    "$(wc -c <stream.jsonl | tr -d ' ') bytes; $touched ops name one of" \
    "$ntouched existing tables, the rest tables new in the plan)"
echo "  one:     bench/gen-ops $n $seed < schema.sql > $mig1.yaml; zn-diff" \
    "--read > stream-1.jsonl ($(wc -c <stream-1.jsonl | tr -d ' ') bytes)"
echo "  sql:     jq -r 'select(.kind == \"op\") | .sql[] | . + \";\"'" \
    "stream.jsonl > stream.sql ($(wc -l <stream.sql | tr -d ' ') statements)"
echo
echo "  Ops of stream.jsonl by kind (stream-1.jsonl in brackets):"
"$jq" -r 'select(.kind == "op") | .op' stream.jsonl | sort | uniq -c |
    sort -rn >kinds
"$jq" -r 'select(.kind == "op") | .op' stream-1.jsonl | sort | uniq -c \
    >kinds1
awk 'NR == FNR { one[$2] = $1; next }
    { printf "    %6d %-22s [%d]\n", $1, $2, one[$2] }' kinds1 kinds
echo
echo "Classification (one run of each mode before timing: all exit 0," \
    "every op classified, the output reads back with zn-diff --read)"
echo
printf '  %-8s %6s %7s %6s %5s %6s %6s %6s %6s %6s %7s %7s\n' mode ops \
    verdict worst max safe low medium high destr sized probes
awk -F '\t' '{ printf "  %-8s %6d %7s %6s %5d %6d %6d %6d %6d %6d %7d %7s\n",
    $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12,
    $13 ($14 > 0 ? "/" $14 "!" : "") }' modes
echo
echo "  sized: ops whose facts carry table sizes (pg_class or stats.csv);" \
    "probes: data probes run (all clean)."
if [ -n "$sq" ]; then
	echo "  squawk reports $sqfound findings on stream.sql; by rule:"
	head -n 12 squawk-rules | awk '{ printf "    %6d %s\n", $1, $2 }'
fi
echo
echo "Commands ($runs timed runs each after 3 warm-ups, one after the other;" \
    "in $tmp)"
echo "  jq:      $c_jq >/dev/null"
echo "  read:    $c_read >/dev/null"
echo "  offline: $c_off >/dev/null"
echo "  stats:   $c_stats >/dev/null"
echo "  live:    $c_live >/dev/null"
echo "  probes:  $c_probe >/dev/null"
echo "  live1:   $c_live1 >/dev/null"
echo "  probes1: $c_probe1 >/dev/null"
[ -z "$sq" ] || echo "  squawk:  $c_sq >/dev/null   (ok1.sh: runs it, exit 0 or 1 is success)"
[ -z "$gnutime" ] ||
    echo "  rss:     $gnutime -f %M COMMAND >/dev/null (5 more runs of each; the largest)"
echo
printf '  %-44s %8s %15s %15s %8s\n' "command" "median s" "min-max s" \
    "user sys s" "RSS MiB"
row jq "jq -c . (parse only)"
row read "zn-diff --read (read, checksum, write)"
row off "zn-classify --offline"
row stats "zn-classify --offline --stats stats.csv"
row live "zn-classify -d bench_c --no-preflight"
row probe "zn-classify -d bench_c (probes)"
row live1 "  one op a table: --no-preflight"
row probe1 "  one op a table: probes"
[ -z "$sq" ] || row sq "squawk --reporter json stream.sql"
echo
echo "  user sys s: mean CPU seconds (user, system) of the command and the" \
    "children it waited for; the server's work for -d is not in them."
echo
echo "Targets"
awk -v d="$(median res-off)" -v o="$nops" 'BEGIN {
	printf "  %d ops offline: median %.3f s <= 0.100 s: %s\n", o, d,
	    d <= 0.1 ? "holds" : "MISSED (x" sprintf("%.1f", d / 0.1) ")"
}'
awk -v d="$(median res-live)" -v o="$nops" -v t="$n" 'BEGIN {
	v = d <= 1 ? "holds" : "MISSED (x" sprintf("%.1f", d) ")"
	printf "  %d ops on %d tables, live, --no-preflight: median %.3f s" \
	    " <= 1.000 s: %s\n", o, t, d, v
}'
awk -v d="$(median res-live1)" -v t="$n" 'BEGIN {
	printf "  (%d ops, one a table, live, --no-preflight: median %.3f s" \
	    " <= 1.000 s: %s)\n", t, d, d <= 1 ? "holds" : "MISSED"
}'
echo
echo "Raw wall seconds (timed runs, in order)"
for l in jq read off stats live probe live1 probe1 sq; do
	[ -f "res-$l" ] || continue
	printf '  %-7s' "$l:"
	awk '{ printf " %s", $1 } END { print "" }' "res-$l"
done
if [ -n "$gnutime" ]; then
	echo "Peak RSS KiB (5 runs each)"
	for l in jq read off stats live probe live1 probe1 sq; do
		[ -f "rss-$l" ] || continue
		printf '  %-7s' "$l:"
		awk '{ printf " %s", $1 } END { print "" }' "rss-$l"
	done
fi
if [ -n "$prof" ]; then
	for l in off live; do
		[ -s "perf-$l.data" ] || continue
		case $l in
		off) c=$c_off ;;
		*) c=$c_live ;;
		esac
		echo
		echo "perf: one run of $c (--call-graph dwarf; inclusive" \
		    "share of the samples, named functions of 2% or more)"
		perf report -i "perf-$l.data" --children --stdio --sort sym \
		    -g none --percent-limit 2 2>/dev/null | grep '%' |
		    grep -v '0x0000' | grep -v '_start\|__libc_start' |
		    head -n 45
	done
fi
[ "$status" -eq 0 ]
