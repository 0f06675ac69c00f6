# SPDX-License-Identifier: ISC
# bats sets status, output and stderr in run:
# shellcheck shell=bash disable=SC2154
# common.bash: the test environment for every bats file.  Load it in
# setup_file and in setup (never at file level):
#
#   setup_file() { load helpers/common; zn_pg_start; }
#   teardown_file() { zn_pg_stop; }
#   setup() { load helpers/common; zn_db_new; }
#
# zn_pg_start starts one throwaway cluster per file (tests/helpers/pgtmp.sh);
# zn_db_new gives each test a fresh database; run_zn runs one of our
# commands and asserts its exit status.

bats_require_minimum_version 1.5.0

# bats-support and bats-assert, read straight from their src/ files: their
# load.bash runs dirname once per file, a dozen processes for every test.
# A library laid out otherwise is loaded the usual way.
_zn_load_lib() {
	local d f libdirs
	IFS=: read -r -a libdirs <<<"${BATS_LIB_PATH:-/usr/lib/bats}"
	for d in "${libdirs[@]}"; do
		if [ -f "$d/$1/load.bash" ] && [ -d "$d/$1/src" ]; then
			for f in "$d/$1"/src/*.bash; do
				# shellcheck disable=SC1090
				source "$f" || return 1
			done
			return 0
		fi
	done
	bats_load_library "$1"
}
_zn_load_lib bats-support
_zn_load_lib bats-assert

# bats records a stack trace before every command of the test file and
# of anything outside its own library: in these helpers that doubled the
# cost of every command.  A failure in a helper is still reported at the
# line of the test that called it.  (The path is matched as a prefix of
# the directory of the command's file, hence no trailing slash.)
if declare -F bats_add_debug_exclude_path >/dev/null; then
	bats_add_debug_exclude_path "${BATS_TEST_DIRNAME%/*}/tests/helpers"
fi

case $BATS_TEST_DIRNAME in
/*/*) ZN_TOP=${BATS_TEST_DIRNAME%/*} ;;
*) ZN_TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd) ;;
esac
FIXTURES=$ZN_TOP/tests/fixtures
EXPECTED=$ZN_TOP/tests/expected
export ZN_TOP FIXTURES EXPECTED

# Environment hygiene: no stray connection settings, no user config.
zn_clean_env() {
	local v
	for v in "${!PG@}" "${!ZN_@}"; do
		case $v in
		ZN_TEST_*|ZN_TOP|ZN_PGTMP_*) ;;
		*) unset "$v" ;;
		esac
	done
	unset DATABASE_URL NO_COLOR
	# One cache (the throwaway cluster's initdb template) for the run.
	export XDG_CACHE_HOME=${ZN_TEST_CACHE:-$BATS_RUN_TMPDIR/cache}
	export LC_ALL=C TZ=UTC
	# In setup_file there is no test yet, hence no BATS_TEST_TMPDIR: the
	# file's own directory then, never a HOME another file shares.
	export HOME="${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/home"
	[ -d "$HOME" ] || mkdir -p "$HOME"
	if [ -n "${ZN_TEST_PGHOST:-}" ]; then
		export PGHOST=$ZN_TEST_PGHOST PGPORT=5432 PGUSER=postgres
		export PGDATABASE=${ZN_TEST_DB:-postgres}
	fi
	[ -n "${TRACE:-}" ] && set -x
	return 0
}

zn_pg_start() {
	zn_clean_env
	# shellcheck source=tests/helpers/pgtmp.sh
	. "$ZN_TOP/tests/helpers/pgtmp.sh"
	if ! zn_pgtmp_bindir >/dev/null; then
		skip "no PostgreSQL server binaries (initdb) found"
	fi
	zn_pgtmp_start 2>&3 || return 1
	export ZN_TEST_PGHOST=$ZN_PGTMP_DIR ZN_TEST_PGTMP_DIR=$ZN_PGTMP_DIR
	# The clients of the server's own version, run directly: Debian's
	# psql and pg_dump in /usr/bin are a Perl wrapper that costs more
	# than most statements the tests send.
	PATH="$(zn_pgtmp_bindir):$PATH"
	export PATH
	# A database copied file by file is made in a fraction of the time
	# the WAL-logged copy PostgreSQL 15 makes by default takes, and the
	# tests make hundreds (zn_db_new).
	ZN_TEST_DBSTRATEGY=
	if [ "$(PGHOST=$ZN_PGTMP_DIR psql -X -A -t -d postgres \
	    -c 'SHOW server_version_num')" -ge 150000 ]; then
		ZN_TEST_DBSTRATEGY=" STRATEGY = FILE_COPY"
	fi
	export ZN_TEST_DBSTRATEGY
}

zn_pg_stop() {
	# shellcheck source=tests/helpers/pgtmp.sh
	. "$ZN_TOP/tests/helpers/pgtmp.sh"
	ZN_PGTMP_DIR=${ZN_TEST_PGTMP_DIR:-}
	zn_pgtmp_stop
}

# A fresh database for this test, made the default for every client.
zn_db_new() {
	zn_clean_env
	[ -n "${ZN_TEST_PGHOST:-}" ] || return 0
	ZN_TEST_DB="t${BATS_TEST_NUMBER}_$$"
	export ZN_TEST_DB PGDATABASE=$ZN_TEST_DB
	PGOPTIONS='-c client_min_messages=warning' \
	    psql -q -X -d postgres -c "DROP DATABASE IF EXISTS \"$ZN_TEST_DB\"" \
	    -c "CREATE DATABASE \"$ZN_TEST_DB\"${ZN_TEST_DBSTRATEGY:-}" >/dev/null
}

# Runs SQL in the test database and stops the test on any error.
zn_sql() {
	psql -q -X -v ON_ERROR_STOP=1 -d "${ZN_TEST_DB:-postgres}" "$@" >/dev/null
}

zn_load_fixture() {
	zn_sql -f "$FIXTURES/$1"
}

# run_zn [STATUS|-N|'?'] command args...
#   Runs one of our commands with stdout and stderr apart ($output,
#   $stderr), under a timeout, with fd 3 closed.  The status must be
#   STATUS (default 0); '?' accepts any status.  A status above 128 (a
#   signal: a crash, an abort from a sanitizer, a timeout kill) always fails.
run_zn() {
	local want=0
	case $1 in
	[0-9]*|'?') want=$1; shift ;;
	-[0-9]*) want=${1#-}; shift ;;
	esac
	echo "\$ $*" >&2
	run --separate-stderr timeout -k 5 120 "$@" 3>&-
	if [ "$status" -gt 128 ] || [ "$status" -eq 124 ]; then
		echo "# $1 died with status $status" >&2
		printf '%s\n' "$stderr" >&2
		return 1
	fi
	if [ "$want" != '?' ] && [ "$status" -ne "$want" ]; then
		echo "# $1: status $status, expected $want" >&2
		echo "# stdout: $output" >&2
		echo "# stderr: $stderr" >&2
		return 1
	fi
	return 0
}

# Waiting for another session or process: poll what can be seen, never
# sleep for a while and hope.  Each polls every 50 ms for up to TIMEOUT
# seconds (default ZN_TEST_WAIT, else 30), then fails the test saying what
# it waited for (in a background subshell it returns 1).
#
#   zn_wait_sql QUERY [TIMEOUT]     until QUERY prints t, run where the
#                                   clients connect by default (PGHOST,
#                                   PGDATABASE: the test database)
#   zn_wait_file PATTERN [TIMEOUT]  until a file matches PATTERN (a glob)
#   zn_wait TIMEOUT WHAT COMMAND... until COMMAND succeeds
zn_wait() {
	local timeout=${1:-${ZN_TEST_WAIT:-30}} what=$2 now end
	shift 2
	now=${EPOCHREALTIME/./}
	end=$((now + timeout * 1000000))
	until "$@"; do
		now=${EPOCHREALTIME/./}
		if [ "$now" -ge "$end" ]; then
			fail "waited $timeout s in vain for $what"
			return 1
		fi
		sleep 0.05
	done
}

_zn_sql_is_t() {
	[ "$(psql -X -A -t -q -c "$1" 2>/dev/null)" = t ]
}

zn_wait_sql() {
	zn_wait "${2:-}" "the query to return t: $1" _zn_sql_is_t "$1"
}

_zn_glob_matches() {
	compgen -G "$1" >/dev/null
}

zn_wait_file() {
	zn_wait "${2:-}" "a file matching '$1'" _zn_glob_matches "$1"
}

# zn_random_bytes N: N pseudo-random bytes on stdout, from the seed
# ZN_TEST_SEED when it is set, else from a new one.  The seed goes to
# stderr, so a failing test shows it, and ZN_TEST_SEED=SEED gives it the
# same bytes again (perl's rand is the same drand48 everywhere).
zn_random_bytes() {
	local seed=${ZN_TEST_SEED:-$RANDOM$RANDOM}
	echo "# random input: seed $seed (ZN_TEST_SEED=$seed repeats it)" >&2
	perl -e 'srand($ARGV[0]);
	    print pack("C*", map { int(rand(256)) } 1 .. $ARGV[1])' \
	    "$seed" "$1"
}

# The differences between two graphs, one line per changed leaf:
#   KIND SCHEMA.NAME PATH: OLD -> NEW     (and "added ID", "removed ID")
graph_changes() {
	jq -r -n --slurpfile a "$1" --slurpfile b "$2" \
	    -f "$ZN_TOP/tests/helpers/graph-changes.jq"
}

# Prints the body of a graph (no header), for golden comparisons.
graph_body() {
	sed 1d "$1"
}

# fake_server VERSION: a stand-in server (tests/helpers/fakepg.c) that
# announces VERSION on FAKE_DIR/.s.PGSQL.5433; stop_fake ends it.  Call
# stop_fake from teardown too, so a failed test leaves none behind.
fake_server() {
	[ -x "$BATS_FILE_TMPDIR/fakepg" ] ||
	    cc -o "$BATS_FILE_TMPDIR/fakepg" "$ZN_TOP/tests/helpers/fakepg.c"
	FAKE_DIR=$(mktemp -d /tmp/zn-fake.XXXXXX)
	"$BATS_FILE_TMPDIR/fakepg" "$FAKE_DIR/.s.PGSQL.5433" "$1" 3>&- &
	FAKE_PID=$!
	zn_wait_file "$FAKE_DIR/.s.PGSQL.5433"
}

stop_fake() {
	[ -n "${FAKE_PID:-}" ] && kill "$FAKE_PID" 2>/dev/null
	[ -n "${FAKE_DIR:-}" ] && rm -rf "$FAKE_DIR"
	FAKE_PID=''
	FAKE_DIR=''
	return 0
}
