# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# ledger.bash: helpers of the tests that fill a ledger with real runs.
# Load it in setup, after helpers/common.

# ledger SQL: one query in the test database, unaligned, tuples only.
ledger() {
	psql -X -A -t -c "$1"
}

# mig ID STATEMENT...: migrations/ID.yaml, one rawSql step a statement.
mig() {
	local id=$1 s
	shift
	{
		echo "ops:"
		for s in "$@"; do
			printf '  - op: rawSql\n    sql: [%s]\n' \
			    "$(printf '%s' "$s" | jq -Rsc .)"
		done
	} >"migrations/$id.yaml"
}

# hold_lock: the migration lock of ledger schema public, taken by another
# session (application_name 'holder', the key zn-apply uses) and held
# until free_lock; returns once the lock is granted.  However slowly a
# command starts (under valgrind, say), the lock is held while it waits.
hold_lock() {
	psql -X -q -c "SET application_name = 'holder'" -c "SELECT pg_advisory_lock(k) FROM (SELECT ('x' || substr(encode(sha256('zanith:public'), 'hex'), 1, 15))::bit(60)::bigint AS k) s" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
	holder=$!
	zn_wait_sql "SELECT EXISTS (SELECT FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory' AND granted)"
}

# free_lock: hold_lock's session ended, and waited for.
free_lock() {
	zn_sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'holder'" >/dev/null
	wait "$holder" || true
}
