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
			    "$(printf '%s' "$s" | jq -Rc .)"
		done
	} >"migrations/$id.yaml"
}
