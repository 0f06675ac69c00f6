# shellcheck shell=sh
# SPDX-License-Identifier: ISC
# pgtmp.sh: start and stop a throwaway PostgreSQL cluster (POSIX sh).
# Sourced by the test helpers, the demo and the benchmarks.  The cluster
# lives in a short temporary directory, listens on a Unix socket only, and
# runs with fsync off and without autovacuum (a test that wants statistics
# runs ANALYZE, and no estimate changes under a test).  When the caller is
# root the server runs as the unprivileged user ZN_PGTMP_USER (default
# postgres), since initdb refuses root.
#
#   zn_pgtmp_start      sets ZN_PGTMP_DIR, exports PGHOST PGPORT PGUSER
#                       PGDATABASE; returns non-zero with the log on stderr
#                       when the server cannot start
#                       (ZN_PGTMP_CONF, when set, is appended to its
#                       postgresql.conf: settings a test needs)
#   zn_pgtmp_stop       stops the server and removes the directory
#   zn_pgtmp_bindir     prints the directory holding initdb and pg_ctl

zn_pgtmp_bindir() {
	if [ -n "${ZN_PG_BINDIR:-}" ] && [ -x "$ZN_PG_BINDIR/initdb" ]; then
		printf '%s\n' "$ZN_PG_BINDIR"
		return 0
	fi
	if command -v pg_config >/dev/null 2>&1; then
		_zb=$(pg_config --bindir 2>/dev/null)
		if [ -n "$_zb" ] && [ -x "$_zb/initdb" ]; then
			printf '%s\n' "$_zb"
			return 0
		fi
	fi
	if command -v initdb >/dev/null 2>&1; then
		_zb=$(command -v initdb)
		printf '%s\n' "${_zb%/*}"
		return 0
	fi
	# Debian keeps server binaries out of PATH; take the newest major.
	_zb=
	for _zd in /usr/lib/postgresql/*/bin; do
		[ -x "$_zd/initdb" ] && _zb=$_zd
	done
	if [ -n "$_zb" ]; then
		printf '%s\n' "$_zb"
		return 0
	fi
	return 1
}

# Runs a command as the cluster's owner.
_zn_pgtmp_as() {
	if [ "$(id -u)" -eq 0 ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "${ZN_PGTMP_USER:-postgres}" -- "$@"
		else
			# The inner shell expands "$0" "$@", not this one.
			# shellcheck disable=SC2016
			su "${ZN_PGTMP_USER:-postgres}" -s /bin/sh -c '"$0" "$@"' "$@"
		fi
	else
		"$@"
	fi
}

zn_pgtmp_start() {
	_zbin=$(zn_pgtmp_bindir) || {
		echo "pgtmp: no PostgreSQL server binaries (initdb) found;" \
		    "set ZN_PG_BINDIR" >&2
		return 2
	}
	ZN_PGTMP_DIR=$(mktemp -d /tmp/zn-pg.XXXXXX) || return 2
	export ZN_PGTMP_DIR
	if [ "$(id -u)" -eq 0 ]; then
		chown "${ZN_PGTMP_USER:-postgres}" "$ZN_PGTMP_DIR" || return 2
	fi
	# A run of many files makes one cluster with initdb and each file
	# starts from a copy of it (ZN_PGTMP_TEMPLATE, made by
	# zn_pgtmp_template): a copy costs a tenth of an initdb.
	if [ -n "${ZN_PGTMP_TEMPLATE:-}" ] &&
	    [ -f "$ZN_PGTMP_TEMPLATE/PG_VERSION" ]; then
		if ! _zn_pgtmp_as cp -R "$ZN_PGTMP_TEMPLATE" \
		    "$ZN_PGTMP_DIR/data" 2>"$ZN_PGTMP_DIR/initdb.log"; then
			echo "pgtmp: cannot copy the template cluster:" >&2
			sed 's/^/  /' "$ZN_PGTMP_DIR/initdb.log" >&2
			return 2
		fi
		chmod 0700 "$ZN_PGTMP_DIR/data"
	elif ! _zn_pgtmp_as "$_zbin/initdb" -A trust -U postgres --nosync \
	    -E UTF8 --locale=C -D "$ZN_PGTMP_DIR/data" \
	    >"$ZN_PGTMP_DIR/initdb.log" 2>&1; then
		echo "pgtmp: initdb failed:" >&2
		sed 's/^/  /' "$ZN_PGTMP_DIR/initdb.log" >&2
		return 2
	fi
	# Every cluster may use port 5432: its socket (and the socket's lock
	# file) lives in its own directory and no TCP port is opened, so
	# clusters started at once, by test files run side by side, never
	# meet.  (The server's small System V segment takes a key no other
	# live server holds.)
	cat >>"$ZN_PGTMP_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$ZN_PGTMP_DIR'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
datestyle = 'iso, mdy'
timezone = 'UTC'
max_connections = 40
shared_buffers = 32MB
log_min_messages = warning
autovacuum = off
${ZN_PGTMP_CONF:-}
CONF
	if ! _zn_pgtmp_as "$_zbin/pg_ctl" -w -t 60 -D "$ZN_PGTMP_DIR/data" \
	    -l "$ZN_PGTMP_DIR/server.log" start >/dev/null 2>&1 </dev/null 3>&-; then
		echo "pgtmp: the server did not start:" >&2
		sed 's/^/  /' "$ZN_PGTMP_DIR/server.log" >&2
		return 2
	fi
	PGHOST=$ZN_PGTMP_DIR
	PGPORT=5432
	PGUSER=postgres
	PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
}

# zn_pgtmp_template DIR: an initdb'd data directory at DIR/data, never
# started, for zn_pgtmp_start to copy (export ZN_PGTMP_TEMPLATE=DIR/data).
zn_pgtmp_template() {
	_zbin=$(zn_pgtmp_bindir) || return 2
	if [ "$(id -u)" -eq 0 ]; then
		chown "${ZN_PGTMP_USER:-postgres}" "$1" || return 2
	fi
	_zn_pgtmp_as "$_zbin/initdb" -A trust -U postgres --nosync -E UTF8 \
	    --locale=C -D "$1/data" >"$1/initdb.log" 2>&1
}

zn_pgtmp_stop() {
	[ -n "${ZN_PGTMP_DIR:-}" ] || return 0
	if [ -f "$ZN_PGTMP_DIR/data/postmaster.pid" ]; then
		_zbin=$(zn_pgtmp_bindir) &&
		    _zn_pgtmp_as "$_zbin/pg_ctl" -D "$ZN_PGTMP_DIR/data" \
		    -m immediate stop >/dev/null 2>&1 </dev/null
	fi
	rm -rf "$ZN_PGTMP_DIR"
	ZN_PGTMP_DIR=
}
