#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The first run on a fresh machine: `make demo` and `make check` install
# what is missing (make deps) and then build with the flags pkg-config
# gives after the install, in that same run.  A copy of the tree is built
# with a stand-in pkg-config that fails, as on a machine without the -dev
# packages, until a stand-in deps step has left its marker.

setup_file() {
	load helpers/common
	TREE=$BATS_FILE_TMPDIR/tree
	mkdir -p "$TREE"
	local f
	for f in "$ZN_TOP"/*; do
		case ${f##*/} in
		build|build-san) ;;
		*) cp -Rp "$f" "$TREE/" ;;
		esac
	done
	# The objects of the build under test, with their times, so that only
	# what a test touches is compiled again; the commands are not copied,
	# so every run links them anew (which needs the pkg-config flags too).
	SAN= OUT=build
	case $ZN_TEST_BUILD in
	*/build-san) SAN=1 OUT=build-san ;;
	esac
	if [ "${ZN_TEST_BUILD##*/}" = "$OUT" ]; then
		mkdir -p "$TREE/$OUT"
		for f in obj gen libzn.a; do
			[ ! -e "$ZN_TEST_BUILD/$f" ] ||
			    cp -Rp "$ZN_TEST_BUILD/$f" "$TREE/$OUT/"
		done
	fi
	STANDIN=$BATS_FILE_TMPDIR/standin
	mkdir -p "$STANDIN"
	# pkg-config as on a machine without the libraries until deps has run;
	# every call is logged with whether it came before or after.
	cat >"$STANDIN/pkg-config" <<-EOF
	#!/bin/sh
	if [ ! -f "$STANDIN/installed" ]; then
		echo "before \$*" >>"$STANDIN/calls"
		exit 1
	fi
	echo "after \$*" >>"$STANDIN/calls"
	exec pkg-config "\$@"
	EOF
	chmod +x "$STANDIN/pkg-config"
	# A test file for the nested `make check`: the commands it just built.
	# (printf, as bats would take an @test line here for one of this file.)
	printf '%s\n' '@test "the commands just built run" {' \
	    "[ \"\$ZN_TEST_BUILD\" = '$TREE/$OUT' ]" \
	    'for c in zn-snapshot zn-diff zn-classify zn-apply zn-ledger; do' \
	    '"$ZN_TEST_BUILD/bin/$c" --version; done' \
	    '"$ZN_TEST_BUILD/test/zn-apply" --version' \
	    '}' >"$TREE/tests/built.bats"
	export TREE SAN OUT STANDIN
}

setup() {
	load helpers/common
	zn_clean_env
	rm -f "$STANDIN/installed" "$STANDIN/calls"
	# A changed source: the run must compile (zn.h needs libpq's include
	# directory from pkg-config) and link (its library list), not only
	# find everything up to date.
	touch "$TREE/lib/buf.c"
}

# make TARGET... in the copy, as a fresh machine would run it: the
# stand-in pkg-config, deps that only leaves the marker, and an
# environment with nothing of the make and the bats that run this suite.
fresh_make() {
	# Without bats's own directory, which this bats put first in PATH.
	local path=:$PATH:
	path=${path//:$BATS_LIBEXEC:/:}
	path=${path#:}
	local -a keep=(PATH="${path%:}" HOME="$HOME" LC_ALL=C TZ=UTC)
	local v
	for v in TMPDIR XDG_CACHE_HOME ZN_PGTMP_TEMPLATE ZN_PGTMP_USER ZN_PG_BINDIR; do
		[ -z "${!v:-}" ] || keep+=("$v=${!v}")
	done
	(cd "$TREE" && env -i "${keep[@]}" make "$@" SANITIZE="$SAN" \
	    PKG_CONFIG="$STANDIN/pkg-config" DEPS_CMD="touch $STANDIN/installed" 2>&1)
}

# The flags of the first make were read before deps, those of the build
# after it.
assert_flags_after_deps() {
	[ -f "$STANDIN/installed" ] || fail "deps did not run"
	run head -n 1 "$STANDIN/calls"
	assert_output --partial 'before --cflags'
	run cat "$STANDIN/calls"
	assert_line --partial 'after --cflags'
	assert_line --partial 'after --libs'
}

@test "deps and the build in one make run fail: flags read before deps" {
	# What check and demo did: deps and all as prerequisites of one run.
	run fresh_make deps all
	assert_failure
	assert_output --partial "libraries missing"
	[ -f "$STANDIN/installed" ] || fail "deps did not run"
}

@test "make demo on a fresh machine installs, builds and runs the demo" {
	run fresh_make demo
	assert_success
	assert_output --partial "-o $OUT/obj/buf.o lib/buf.c"
	assert_output --partial "==> done; the cluster and its files are removed"
	refute_output --partial "libraries missing"
	assert_flags_after_deps
}

@test "make check on a fresh machine installs, builds and runs the tests" {
	run fresh_make check TESTS=tests/built.bats
	assert_success
	assert_output --partial "-o $OUT/obj/buf.o lib/buf.c"
	assert_output --partial "ok 1 the commands just built run"
	assert_output --partial "check: 1 passed, 0 failed, 0 skipped"
	refute_output --partial "libraries missing"
	assert_flags_after_deps
}
