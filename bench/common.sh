# shellcheck shell=sh disable=SC2154,SC2034
# SPDX-License-Identifier: ISC
# common.sh: what the benchmarks share, sourced first; the functions
# below are called after tests/helpers/pgtmp.sh, with bindir and top set
# and die and say defined.
#
#   tool NAME           the path of a PostgreSQL client (bindir, then PATH)
#   bench_timers        finds GNU time (peak RSS) and date +%s%N (wall time)
#   timed FILE CMD...   runs CMD, appends "seconds rss_kib" to FILE and
#                       "user_s sys_s" to FILE.cpus ($tmp must be set)
#   median FILE         the median of column 1
#   bench_setup         makes $tmp (with an empty directory) and sets
#                       load0; stops the cluster and removes $tmp on exit
#   isnum WORD          whether WORD is a whole number, at least 1
#   bin NAME [PATH]     a zanith binary: PATH when given, else NAME in
#                       PATH, else $top/build/bin/NAME
#   bench_top           sets here (the script's directory) and top (the
#                       checkout above it)
#   bench_cluster       sources pgtmp.sh, sets bindir and psql, finds the
#                       timers, makes $tmp and starts the throwaway
#                       server, exporting PGHOST, PGPORT and PGUSER
#   q ARGS...           psql -X -v ON_ERROR_STOP=1 -q -At ARGS

isnum() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	[ "$1" -ge 1 ]
}

bin() {
	if [ -n "$2" ]; then
		printf '%s\n' "$2"
	elif command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
	else
		printf '%s\n' "$top/build/bin/$1"
	fi
}

tool() {
	if [ -x "$bindir/$1" ]; then
		printf '%s\n' "$bindir/$1"
	else
		command -v "$1" || die "no $1 in $bindir or PATH"
	fi
}

bench_timers() {
	gnutime=
	if [ -x /usr/bin/time ] &&
	    /usr/bin/time -f '%e %M' -o /dev/null true >/dev/null 2>&1; then
		gnutime=/usr/bin/time
	else
		say "GNU time (/usr/bin/time) not usable: peak RSS will be n/a"
	fi
	nsdate=
	case $(date +%s%N 2>/dev/null) in
	*[!0-9]* | '') ;;
	*) nsdate=1 ;;
	esac
	if [ -z "${hf:-}" ] && [ -z "$nsdate" ] && [ -z "$gnutime" ]; then
		say "no hyperfine, date +%s%N nor GNU time: wall times in whole seconds"
	fi
}

timed() {
	_f=$1
	shift
	_t0=
	[ -n "$nsdate" ] && _t0=$(date +%s%N)
	[ -z "$nsdate" ] && [ -z "$gnutime" ] && _t0=$(date +%s)
	if [ -n "$gnutime" ]; then
		"$gnutime" -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null \
		    2>"$tmp/stderr" || {
			cat "$tmp/stderr" >&2
			die "failed: $*"
		}
	else
		"$@" >/dev/null 2>"$tmp/stderr" || {
			cat "$tmp/stderr" >&2
			die "failed: $*"
		}
	fi
	if [ -n "$nsdate" ]; then
		_t1=$(date +%s%N)
		_s=$(awk -v d="$((_t1 - _t0))" 'BEGIN { printf "%.4f", d / 1e9 }')
	elif [ -n "$gnutime" ]; then
		_s=$(tail -n 1 "$tmp/time" | awk '{ print $1 }')
	else
		_t1=$(date +%s)
		_s=$((_t1 - _t0))
	fi
	_rss=n/a
	_cpu="n/a n/a"
	if [ -n "$gnutime" ]; then
		_rss=$(tail -n 1 "$tmp/time" | awk '{ print $2 }')
		_cpu=$(tail -n 1 "$tmp/time" | awk '{ print $3, $4 }')
	fi
	echo "$_s $_rss" >>"$_f"
	echo "$_cpu" >>"$_f.cpus"
}

# median FILE: the median of column 1.
median() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END { if (NR % 2) printf "%.4f", v[(NR + 1) / 2];
	    else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bench_setup() {
	tmp=
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
	tmp=$(mktemp -d /tmp/zn-bench.XXXXXX) ||
	    die "cannot make a temporary directory"
	mkdir "$tmp/empty" || die "cannot make $tmp/empty"
}

bench_cleanup() {
	zn_pgtmp_stop
	[ -n "$tmp" ] && rm -rf "$tmp"
}

bench_top() {
	case $0 in
	*/*) here=${0%/*} ;;
	*) here=. ;;
	esac
	here=$(cd "$here" && pwd) || die "cannot find the script's directory"
	top=${here%/*}
}

bench_cluster() {
	# shellcheck source=tests/helpers/pgtmp.sh
	. "$top/tests/helpers/pgtmp.sh"
	bindir=$(zn_pgtmp_bindir) ||
	    die "no PostgreSQL server binaries; set ZN_PG_BINDIR"
	psql=$(tool psql) || exit 1
	bench_timers
	bench_setup
	say "starting a PostgreSQL cluster"
	zn_pgtmp_start || die "the PostgreSQL cluster did not start"
	export PGHOST PGPORT PGUSER
}

q() {
	"$psql" -X -v ON_ERROR_STOP=1 -q -At "$@"
}
