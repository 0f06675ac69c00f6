#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# What every command owes its users: --help, --version, exit 64 on an
# unknown option, a lint-clean man page, completions from its own options.

setup() {
	load helpers/common
	zn_clean_env
	BIN=$ZN_TEST_BUILD/bin
	COMMANDS=$(cd "$BIN" && ls zn zn-*)
}

@test "every command prints --help to stdout, exit 0, within 80 columns" {
	for c in $COMMANDS; do
		run_zn 0 "$c" --help
		[ -n "$output" ] || fail "$c --help printed nothing"
		[ -z "$stderr" ] || fail "$c --help wrote to stderr: $stderr"
		while IFS= read -r line; do
			[ "${#line}" -le 80 ] ||
			    fail "$c --help line over 80 columns: $line"
		done <<<"$output"
		assert_line --partial "usage: $c"
	done
}

@test "every command prints its version" {
	want=$(cat "$ZN_TOP/VERSION")
	for c in $COMMANDS; do
		run_zn 0 "$c" --version
		assert_output "$c (zanith) $want"
	done
}

@test "an unknown option is a usage error: exit 64 and a message on stderr" {
	for c in $COMMANDS; do
		run_zn 64 "$c" --no-such-option
		[ -z "$output" ] || fail "$c wrote to stdout on a usage error"
		[[ "$stderr" == *"--help"* ]] ||
		    fail "$c gave no hint to --help: $stderr"
	done
}

@test "every command has a man page that passes mandoc -Tlint" {
	for c in $COMMANDS; do
		page=$(ls "$ZN_TOP"/man/"$c".[1-9] 2>/dev/null | head -n 1)
		[ -n "$page" ] || page=$ZN_TOP/man/$c.7
		[ -f "$page" ] || fail "no man page for $c"
		run mandoc -Tlint -Wwarning "$page"
		assert_success
		assert_output ''
	done
	run mandoc -Tlint -Wwarning "$ZN_TOP"/man/*.[1-9]
	assert_success
}

@test "every option a command completes is in its --help and its man page" {
	for c in $COMMANDS; do
		run_zn 0 "$c" --complete
		[ -n "$output" ] || fail "$c --complete printed nothing"
		opts=$output
		run_zn 0 "$c" --help
		help=$output
		page=$(ls "$ZN_TOP"/man/"$c".[1-9] | head -n 1)
		for o in $opts; do
			o=${o%=}
			[[ "$help" == *"$o"* ]] || fail "$c: $o not in --help"
			case $o in
			--*) f="Fl -${o#--}" ;;
			*) f="Fl ${o#-}" ;;
			esac
			grep -Eq -- "^\.It .*$f([^a-z-]|\$)" "$page" ||
			    fail "$c: $o has no .It Fl entry in $page"
		done
	done
}

@test "the bash completion offers a command's own options" {
	run bash -c '
		. "$1/completions/zn.bash"
		COMP_WORDS=(zn-snapshot --gr); COMP_CWORD=1
		_zn_complete zn-snapshot --gr zn-snapshot
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn sn); COMP_CWORD=1
		_zn_complete zn sn zn
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn snapshot --exc); COMP_CWORD=2
		_zn_complete zn --exc snapshot
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ZN_TOP"
	assert_success
	assert_line '--graph='
	assert_line 'snapshot'
	assert_line '--exclude-schema='
}

@test "every command is registered with both completions; generate completes zn-diff's options" {
	for c in $COMMANDS; do
		grep -q "^complete -F _zn_complete.* $c\b" "$ZN_TOP/completions/zn.bash" ||
		    fail "$c not registered in zn.bash"
		grep -q "^#compdef.* $c\b" "$ZN_TOP/completions/_zn" ||
		    fail "$c not registered in _zn"
	done
	run bash -c '
		PATH=$2:$PATH
		. "$1/completions/zn.bash"
		COMP_WORDS=(zn ge); COMP_CWORD=1
		_zn_complete zn ge zn
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn generate x --drop); COMP_CWORD=3
		_zn_complete zn --drop generate
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ZN_TOP" "$BIN"
	assert_success
	assert_line 'generate'
	assert_line '--drop-policy='
}

@test "zn-ledger completes its commands and audit its questions; zn up completes zn-apply's options" {
	run bash -c '
		PATH=$2:$PATH
		. "$1/completions/zn.bash"
		COMP_WORDS=(zn-ledger hi); COMP_CWORD=1
		_zn_complete zn-ledger hi zn-ledger
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn-ledger --json audit fa); COMP_CWORD=3
		_zn_complete zn-ledger fa audit
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn ledger audit re); COMP_CWORD=3
		_zn_complete zn re audit
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn up --lock-w); COMP_CWORD=2
		_zn_complete zn --lock-w up
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn history --si); COMP_CWORD=2
		_zn_complete zn --si history
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ZN_TOP" "$BIN"
	assert_success
	assert_line 'history'
	assert_line 'failures'
	assert_line 'recoverable'
	assert_line 'releases'
	assert_line '--lock-wait='
	assert_line '--since='
}

@test "the zsh completion file defines _zn and names every command" {
	run grep -c 'compdef' "$ZN_TOP/completions/_zn"
	assert_success
	run grep -F 'zn-snapshot' "$ZN_TOP/completions/_zn"
	assert_success
}

@test "shell scripts pass shellcheck as POSIX sh" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	cd "$ZN_TOP"
	run shellcheck -x -s sh cmd/zn tests/run tests/helpers/pgtmp.sh \
	    build-aux/deps examples/demo.sh bench/gen-schema bench/snapshot.sh \
	    bench/diff.sh bench/common.sh bench/classify.sh bench/gen-ops bench/apply.sh \
	    tests/gen-roundtrip build-aux/embed-sql build-aux/objrules \
	    bench/offline-drift.sh bench/realworld.sh bench/shadow.sh bench/artifact.sh bench/pull.sh bench/generate.sh bench/plansize.sh bench/apply-schema.sh .ci/run \
	    tests/fuzz/run
	assert_success
	run shellcheck -x -s bash completions/zn.bash tests/helpers/common.bash \
	    tests/helpers/roundtrip.bash tests/helpers/ledger.bash
	assert_success
}

@test "zn runs under dash" {
	command -v dash >/dev/null || skip "dash not installed"
	run dash "$ZN_TEST_BUILD/bin/zn" commands
	assert_success
	assert_line snapshot
}

@test "zn dispatches, prints with -n, and refuses unknown commands" {
	run_zn 0 zn snapshot --version
	assert_output "zn-snapshot (zanith) $(cat "$ZN_TOP/VERSION")"
	run_zn 0 zn -n snapshot -d "dbname=x y" --json
	assert_output "zn-snapshot -d 'dbname=x y' --json"
	run_zn 0 zn help snapshot
	assert_line --partial 'usage: zn-snapshot'
	run_zn 64 zn frobnicate
	assert_equal "$stderr" "zn: 'frobnicate' is not a zn command; see 'zn help'"
	run_zn 64 zn '../x'
	run_zn 64 zn
}

@test "zn init, generate, plan, verify, up and down: --help and zn help say what each runs, and run nothing" {
	local c
	for c in init generate plan verify up down; do
		# Nothing to connect to: a command that ran would fail.
		PGHOST=/nonexistent run_zn 0 zn help "$c"
		[[ "$output" == "usage: zn $c "* ]]
		PGHOST=/nonexistent run_zn 0 zn "$c" --help
		[[ "$output" == "usage: zn $c "* ]]
		PGHOST=/nonexistent run_zn 0 zn "$c" -d x -h
		[[ "$output" == "usage: zn $c "* ]]
		[ -z "$stderr" ]
	done
	run_zn 0 zn help up
	assert_line --partial "zn-ledger pending | zn-classify | zn-apply"
	run_zn 0 zn help down
	assert_line --partial "zn-diff @ BEFORE | zn-classify | zn-apply --reverts IDS"
	run_zn 0 zn -n down --steps 2 --drop-policy drop --max-risk 9 --lock-wait 5s
	assert_output "zn-ledger down --steps 2 -o BEFORE | zn-artifact restore ID --lock-wait 5s ... | zn-diff --drop-policy drop --json @ BEFORE | zn-classify --max-risk 9 | zn-apply --reverts IDS --lock-wait 5s"
}

@test "every verb zn lists: zn help VERB and zn VERB --help print its usage, exit 0, with no database to reach" {
	local c n=0
	run_zn 0 zn commands
	for c in $output; do
		PGHOST=/nonexistent run_zn 0 zn help "$c"
		[[ "$output" == "usage: zn"* ]] || fail "zn help $c: $output"
		PGHOST=/nonexistent run_zn 0 zn "$c" --help
		[[ "$output" == "usage: zn"* ]] || fail "zn $c --help: $output"
		[ -z "$stderr" ]
		n=$((n + 1))
	done
	# The seven commands, init, pull, generate, plan, verify, status,
	# history, config, recover, up and down.
	[ "$n" -eq 18 ]
}

@test "a write error on stdout is an error" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c '"$1" --help >/dev/full' _ "$ZN_TEST_BUILD/bin/zn-snapshot"
	[ "$status" -eq 2 ] || fail "status $status"
	assert_output --partial 'write error on standard output'
}

@test "zn itself: a write error on stdout is exit 2, for each thing it prints" {
	[ -w /dev/full ] || skip "no /dev/full"
	local args
	for args in "commands" "--help" "help" "--version" "--complete" \
	    "-n snapshot -o x" "-n plan -v" "-n up --max-risk 3" "help up" \
	    "generate --help"; do
		# shellcheck disable=SC2086
		run bash -c '"$@" >/dev/full' _ "$ZN_TEST_BUILD/bin/zn" $args
		[ "$status" -eq 2 ] || fail "zn $args: status $status"
		assert_output --partial 'zn: write error on standard output'
	done
}

@test "zn-artifact and zn recover complete the verbs zn-artifact names, then its options" {
	run bash -c '
		PATH=$2:$PATH
		. "$1/completions/zn.bash"
		COMP_WORDS=(zn-artifact res); COMP_CWORD=1
		_zn_complete zn-artifact res zn-artifact
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn recover cl); COMP_CWORD=2
		_zn_complete zn cl recover
		printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(zn recover cleanup --older); COMP_CWORD=3
		_zn_complete zn --older cleanup
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ZN_TOP" "$BIN"
	assert_success
	assert_line 'restore'
	assert_line 'restore-column'
	assert_line 'restore-table'
	assert_line 'cleanup'
	assert_line '--older-than='
	run_zn 0 "$BIN/zn-artifact" commands
	[ "$(printf '%s\n' "$output" | paste -sd' ')" = "list inspect export restore restore-column restore-table purge cleanup" ]
}
