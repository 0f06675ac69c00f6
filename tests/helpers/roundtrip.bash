# SPDX-License-Identifier: ISC
# shellcheck shell=bash disable=SC2154
# roundtrip.bash: one pair of schemas (tests/pairs/NAME/a.sql, b.sql or
# b.yaml) taken from A to B by zn-diff's ops and back by their reverses.
#
#   zn_roundtrip NAME [zn-diff options]
#
# A and B are loaded into two databases of the test cluster; B's graph for
# the diff is its declaration materialised (so rename hints come along).
# Checks, in order: the declaration materialises to the graph of B loaded
# live (zero false drift); zn-shadow rehearses the ops on a shadow
# database built from A's graph and verifies them (B's graph reached);
# the verified stream, run by zn-apply --require-verified on A, gives
# B's graph byte for byte;
# zn-diff then finds nothing; pg_dump --schema-only of A and B agree once
# sorted (parked objects left out; B restored from its own dump first when
# the server's rendering of B is not its fixed point); the reverses, last
# op first, give A's graph back.

# Makes the databases named, in one session.  Each pair's are new (the
# cluster goes with the file): dropping costs the server as much as
# making.
zn_rt_db() {
	local -a cmds=()
	local d
	for d in "$@"; do
		cmds+=(-c "CREATE DATABASE \"$d\"${ZN_TEST_DBSTRATEGY:-}")
	done
	PGOPTIONS='-c client_min_messages=warning' psql -q -X -d postgres \
	    "${cmds[@]}" >/dev/null
}

# Fails naming the ops of plan FILE that zn-classify scores as raw_sql
# (SQL it does not model).  Offline: the facts come from the SQL alone.
zn_rt_modelled() {
	local raw
	# Its gates may refuse (exit 1); the plan is written all the same.
	zn-classify --json "$1" >"$1.risk" 2>/dev/null || true
	if ! grep -q '^{"kind":"end"' "$1.risk"; then
		echo "# zn-classify wrote no whole plan for $1" >&2
		return 1
	fi
	raw=$(jq -c 'select(.kind == "op") |
	    select(.risk.reasons | index("raw_sql")) | {op, sql}' \
	    "$1.risk") || return 1
	if [ -n "$raw" ]; then
		echo "# zn-classify does not model:" >&2
		printf '%s\n' "$raw" >&2
		return 1
	fi
}

# pg_dump's view of a database, sorted, without what zanith parks.
zn_rt_dump() {
	pg_dump --schema-only --no-owner -d "$1" \
	    -N '_zanith*' -T '*._zanith*' |
	    LC_ALL=C perl -ne '
		next if /^--/ || /^$/ || /^[[:punct:]](un)?restrict/ ||
		    /_zanith_dropped_/ || /^SET / ||
		    /pg_catalog\.set_config/ || /^SELECT pg_catalog/;
		s/,$//;
		s/WITH \(([^)]*)\)/"WITH (" . join(", ", sort split(\/, \/, $1)) . ")"/e;
		push @l, $_;
		END { print sort @l }'
}

# zn_rt_same A B: the two graphs have the same body (all but the header
# line), read without a process; diff shows how they differ when not.
zn_rt_same() {
	local -a x y
	mapfile -t -s 1 x <"$1"
	mapfile -t -s 1 y <"$2"
	local IFS=$'\n'
	[ "${x[*]}" = "${y[*]}" ] && return 0
	diff -u <(sed 1d "$1") <(sed 1d "$2")
	return 1
}

# A graph's body with columns in name order and no trailer.
zn_rt_colsort() {
	sed '1d;$d' "$1" |
	    jq -c 'if .kind == "table" then .columns |= sort_by(.name) else . end'
}

# zn_rt_misses NAME VERIFIED: every step of pair NAME where the shadow saw
# ACCESS EXCLUSIVE or a rewrite zn-classify did not predict is one
# tests/shadow-misses lists.
zn_rt_misses() {
	local seen new
	seen=$(jq -r --arg n "$1" 'select(.kind == "op") | .op as $op |
	    (.risk.unpredicted // [])[] | select(.observed == "ACCESS EXCLUSIVE"
	    or .observed == "rewrite") | "\($n) \($op) \(.fact)=\(.observed)" +
	    (if .relation then " " + .relation else "" end)' "$2" | sort -u)
	[ -n "$seen" ] || return 0
	new=$(printf '%s\n' "$seen" |
	    grep -v -x -F -f "$ZN_TOP/tests/shadow-misses" || true)
	[ -z "$new" ] && return 0
	echo "# zn-shadow saw what zn-classify did not predict (not in tests/shadow-misses):" >&2
	printf '# %s\n' "$new" >&2
	return 1
}

zn_roundtrip() {
	local name=$1 dir="$ZN_TOP/tests/pairs/$1" t=$BATS_TEST_TMPDIR
	local a b bdecl url parks=0 args
	shift
	# A pair may ask for options (tests/pairs/NAME/args, one line).
	if [ $# -eq 0 ] && [ -f "$dir/args" ]; then
		read -r args <"$dir/args"
		# shellcheck disable=SC2086
		set -- $args
	fi
	url="host=$ZN_TEST_PGHOST port=5432 user=postgres dbname=postgres"
	a="rt_a_${BATS_TEST_NUMBER}_$#" b="rt_b_${BATS_TEST_NUMBER}_$#"
	zn_rt_db "$a" "$b"
	psql -q -X -v ON_ERROR_STOP=1 -d "$a" -f "$dir/a.sql" >/dev/null
	if [ -f "$dir/b.yaml" ]; then
		bdecl=$dir/b.yaml
		run_zn zn-snapshot --declared "$bdecl" --sql -o "$t/b.sql"
		psql -q -X -v ON_ERROR_STOP=1 -d "$b" -f "$t/b.sql" >/dev/null
	else
		bdecl=$dir/b.sql
		psql -q -X -v ON_ERROR_STOP=1 -d "$b" -f "$bdecl" >/dev/null
	fi

	run_zn zn-snapshot -d "$a" -o "$t/a.graph"
	run_zn zn-snapshot -d "$b" -o "$t/b.graph"
	# Keys, foreign keys and plain indexes are written by the client as
	# the server's deparsers would write them: the server agrees.
	ZN_SNAPSHOT_CHECK=1 run_zn zn-snapshot -d "$a" -o "$t/a.check"
	zn_rt_same "$t/a.graph" "$t/a.check"
	ZN_SNAPSHOT_CHECK=1 run_zn zn-snapshot -d "$b" -o "$t/b.check"
	zn_rt_same "$t/b.graph" "$t/b.check"
	run_zn zn-snapshot --declared "$bdecl" --scratch-url "$url" \
	    -o "$t/bdecl.graph"
	# Zero false drift: declared and live B are the same graph.
	zn_rt_same "$t/b.graph" "$t/bdecl.graph"

	run_zn zn-diff "$@" "$t/a.graph" "$t/bdecl.graph"
	printf '%s\n' "$output" >"$t/plan"
	# Every op zn-diff writes is one zn-classify reads (no raw_sql),
	# this way and the other.
	zn_rt_modelled "$t/plan"
	# The way back may be refused (what B has may not go back to A).
	if zn-diff "$@" "$t/bdecl.graph" "$t/a.graph" >"$t/back" 2>/dev/null
	then
		zn_rt_modelled "$t/back"
	fi
	run_zn zn-diff "$@" "$t/a.graph" "$t/bdecl.graph"
	# pg_dump sees parked objects; the oracle runs where nothing is parked.
	case $output in
	*'"parked_as"'*|*'"archived_as"'*) parks=1 ;;
	esac
	# Rehearsed first on a shadow database of this server, the baseline
	# built from A's graph: ok (the target reached), and verified.  The
	# classified plan when its gates let it through, so that the shadow
	# holds what it sees against what zn-classify predicted.
	local rehearse=$t/plan.risk
	grep -q '^{"kind":"end",.*"verdict":"blocked"' "$rehearse" &&
	    rehearse=$t/plan
	run_zn zn-shadow --shadow-url "$url" --baseline "$t/a.graph" \
	    --target "$t/bdecl.graph" "$rehearse"
	printf '%s\n' "$output" >"$t/verified"
	grep -q '^{"kind":"end",.*"verified":true' "$t/verified"
	# An ACCESS EXCLUSIVE or a rewrite zn-classify did not predict is a
	# failure, but for those tests/shadow-misses knows.
	zn_rt_misses "$name" "$t/verified"
	# The verified stream is what zn-apply runs, and only verified.
	run_zn zn-apply --require-verified --allow-unmodelled \
	    --ledger-schema _zanith_rt -d "$a" "$t/verified"

	run_zn zn-snapshot -d "$a" -o "$t/a2.graph"
	zn_rt_same "$t/b.graph" "$t/a2.graph"
	run_zn zn-diff --json "$t/a2.graph" "$t/b.graph"
	case $output in
	*'"kind":"op"'*)
		echo "# a second diff is not empty:" >&2
		printf '%s\n' "$output" >&2
		return 1 ;;
	esac
	if [ "$parks" = 0 ] && ! cmp -s <(zn_rt_dump "$b") <(zn_rt_dump "$a")
	then
		# The server renders some expressions in a form it rewrites
		# once parsed again (lib/fixpoint.c): B restored from its own
		# dump is B in the server's second form, which A must equal.
		zn_rt_db "$b"_2
		pg_dump --schema-only -d "$b" | psql -q -X -v ON_ERROR_STOP=1 \
		    -d "$b"_2 >/dev/null
		diff -u <(zn_rt_dump "$b"_2) <(zn_rt_dump "$a")
	fi

	run_zn "$ZN_TEST_BUILD/test/libcheck" apply "$a" "$t/plan" reverse
	run_zn zn-snapshot -d "$a" -o "$t/a3.graph"
	case " $* " in
	*" drop "*)
		# A dropped column comes back at the end of its table.
		diff -u <(zn_rt_colsort "$t/a.graph") \
		    <(zn_rt_colsort "$t/a3.graph") ;;
	*)	zn_rt_same "$t/a.graph" "$t/a3.graph" ;;
	esac
	# What parks is also taken through with plain drops, for the oracle.
	if [ "$parks" = 1 ] && [ $# -eq 0 ]; then
		zn_roundtrip "$name" --drop-policy drop
	fi
}
