#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# The inputs the fuzz harnesses found faults with (tests/fuzz/regress),
# run again: through the harnesses when the fuzz build is there, and
# through the commands a user runs, which must answer each with an exit
# status and a message, never a signal or a sanitizer's report.

setup() {
	load helpers/common
	zn_clean_env
	cd "$BATS_TEST_TMPDIR" || return 1
	REGRESS=$ZN_TOP/tests/fuzz/regress
}

# An answer: one of the statuses given, no signal, nothing from a
# sanitizer.
answered() {
	local s
	for s in "$@"; do
		[ "$status" -eq "$s" ] && break
	done
	[ "$status" -eq "$s" ] || fail "exit $status, not one of $*: $stderr"
	[[ "$stderr" != *"runtime error"* && "$stderr" != *"Sanitizer"* ]] ||
	    fail "a sanitizer spoke: $stderr"
}

@test "the fuzz harnesses run their regression inputs cleanly" {
	local fb=${ZN_TEST_FUZZBUILD:-$ZN_TOP/build-fuzz} d n
	[ -x "$fb/fuzz/fuzz-yaml" ] ||
	    skip "no fuzz build in $fb (make SANITIZE=fuzz CC=clang fuzz-build)"
	for d in "$REGRESS"/*/; do
		n=$(basename "$d")
		[ -x "$fb/fuzz/$n" ] || fail "no harness $n in $fb"
		run --separate-stderr "$fb/fuzz/$n" -close_fd_mask=3 -timeout=1 \
		    "$d"*
		[ "$status" -eq 0 ] || fail "$n: exit $status: $stderr"
	done
}

@test "declarations and migration files the fuzzers found are answered by the commands" {
	local f
	for f in "$REGRESS"/fuzz-yaml/*; do
		cp "$f" decl.yaml
		run --separate-stderr zn-snapshot --declared decl.yaml --offline \
		    -o g.jsonl
		answered 0 65
		if [ "$status" -eq 0 ]; then
			run --separate-stderr zn-diff g.jsonl g.jsonl
			answered 0
		fi
	done
	for f in "$REGRESS"/fuzz-migration/*; do
		[ -e "$f" ] || continue
		rm -rf m && mkdir m && cp "$f" m/20260101_000000_fuzz.yaml
		run --separate-stderr zn-diff --read m
		answered 0 65
	done
	for f in "$REGRESS"/fuzz-config/*; do
		[ -e "$f" ] || continue
		rm -rf c && mkdir c && cp "$f" c/zanith.yaml
		run --separate-stderr zn-classify -C c \
		    <"$ZN_TOP/tests/fuzz/stats-plan.jsonl"
		answered 0 1 65
	done
}

@test "graphs the fuzzers found are answered by the commands, however they are hashed" {
	local f h
	: >empty.yaml
	zn-snapshot --declared empty.yaml --offline -o empty.jsonl 2>/dev/null
	for f in "$REGRESS"/fuzz-graph/*; do
		# As a careful forger would: the hash made right.
		h=sha256:$(sed '1d;$d' "$f" | sha256sum | cut -d' ' -f1)
		{
			head -n 1 "$f" | jq -c --arg h "$h" '.hash = $h'
			sed '1d;$d' "$f"
			tail -n 1 "$f" | jq -c --arg h "$h" '.hash = $h'
		} >g.jsonl
		run --separate-stderr zn-snapshot --graph g.jsonl
		answered 0 65
		run --separate-stderr zn-diff empty.jsonl g.jsonl
		answered 0 65
		run --separate-stderr zn-diff g.jsonl empty.jsonl
		answered 0 65
	done
}
