# SPDX-License-Identifier: ISC
# bats sets status, output and stderr in run:
# shellcheck shell=bash disable=SC2154
# classify.bash: migration files and op streams for the zn-classify
# suites.  Load after helpers/common.

M=20260101_000000_t.yaml
export M

# Writes the migration file $M from lines on stdin, one op per line:
#   SQL [;; SQL ...]      a rawSql op whose statements follow a
#                         SET lock_timeout = '5s'
#   raw SQL [;; SQL ...]  the same without the SET
#   nt SQL                a non-transactional rawSql op
# A migration file is YAML, and JSON is YAML: jq writes it.
mkmig() {
	jq -R -s '{ops: [split("\n")[] | select(length > 0) |
	    if startswith("nt ") then
		{op: "rawSql", transactional: false, sql: [.[3:]]}
	    elif startswith("raw ") then
		{op: "rawSql", sql: (.[4:] | split(" ;; "))}
	    else
		{op: "rawSql",
		 sql: (["SET lock_timeout = '"'"'5s'"'"'"] + split(" ;; "))}
	    end]}' >"$M"
}

# One line per op of the stream in $output: step, score, level and the
# reason codes sorted: "3 65 high rebuilds_table,takes_access_...".
risks() {
	printf '%s\n' "$output" | jq -r 'select(.kind == "op") |
	    "\(.step) \(.risk.score) \(.risk.level) \(.risk.reasons | sort | join(","))"'
}

# The risk line of step N.
risk_of() {
	risks | awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print }'
}

# The trailer of the stream in $output.
trailer() {
	printf '%s\n' "$output" | jq -c 'select(.kind == "end")'
}

# The gates that refused step N, comma-separated.
refused() {
	printf '%s\n' "$output" | jq -r --argjson n "$1" \
	    'select(.kind == "op" and .step == $n) | [.risk.refused_by[]?.gate] | join(",")'
}

# Succeeds when jq EXPR is true of the record of step N in $output.
op_is() {
	printf '%s\n' "$output" | jq -c --argjson n "$1" \
	    'select(.kind == "op" and .step == $n)' | jq -e "$2" >/dev/null
}
