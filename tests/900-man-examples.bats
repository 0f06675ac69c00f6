#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The EXAMPLES of every man page are run, so the documentation cannot rot.
# In an EXAMPLES section, each line of a .Bd -literal block that starts
# with "$ " is a command; the other lines are sample output.  The commands
# of one page run in order, in one fresh directory, against a database
# loaded from tests/fixtures/full.sql, and each must exit 0.

setup_file() {
	load helpers/common
	zn_pg_start
	psql -q -X -d postgres -c 'CREATE DATABASE fx' >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d fx -f "$FIXTURES/full.sql" >/dev/null
}

teardown_file() {
	load helpers/common
	zn_pg_stop
}

setup() {
	load helpers/common
	zn_clean_env
	export PGDATABASE=fx
	# Declarations are materialised on the test server, not in a
	# throwaway cluster each (tests/140 covers those).
	export ZN_SCRATCH_URL="host=$ZN_TEST_PGHOST dbname=postgres"
}

# Prints the example commands of a page, mdoc escapes undone.
examples() {
	awk '
	/^\.Sh / { inex = ($0 == ".Sh EXAMPLES"); next }
	inex && /^\.Bd -literal/ { lit = 1; next }
	inex && /^\.Ed/ { lit = 0; next }
	inex && lit && /^\$ / { print substr($0, 3) }
	' "$1" | sed -e 's/\\e/\\/g' -e "s/\\\\(aq/'/g" -e 's/\\-/-/g' \
	    -e 's/\\&//g' -e 's/\\(dq/"/g'
}

@test "every man page has runnable EXAMPLES, and they all exit 0" {
	for page in "$ZN_TOP"/man/*.[1-9]; do
		name=${page##*/}
		cmds=$(examples "$page")
		[ -n "$cmds" ] || fail "$name has no runnable EXAMPLES"
		dir=$BATS_TEST_TMPDIR/$name
		mkdir -p "$dir"
		while IFS= read -r cmd; do
			run --separate-stderr sh -c "cd \"\$1\" && $cmd" _ "$dir" 3>&-
			[ "$status" -eq 0 ] ||
			    fail "$name: '$cmd' exited $status: $stderr"
		done <<<"$cmds"
	done
}

@test "the example extractor finds commands and ignores sample output" {
	cat >"$BATS_TEST_TMPDIR/t.1" <<'PAGE'
.Sh DESCRIPTION
.Bd -literal
$ not-an-example
.Ed
.Sh EXAMPLES
.Bd -literal -offset indent
$ echo one \e| tr o 0
sample output
$ echo \(aqtwo\(aq
.Ed
.Sh SEE ALSO
PAGE
	run examples "$BATS_TEST_TMPDIR/t.1"
	assert_output "echo one \\| tr o 0
echo 'two'"
}
