#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn-snapshot --graph: a stored graph read back, checked and written
# canonically; every kind of damage is exit 65 with its location.

setup_file() {
	load helpers/common
	zn_pg_start
	export PGDATABASE=postgres
	psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE fx' >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d fx -f "$FIXTURES/full.sql" >/dev/null
	zn-snapshot -d fx --json >"$BATS_FILE_TMPDIR/g.jsonl"
	zn_pg_stop
}

setup() {
	load helpers/common
	zn_clean_env
	G=$BATS_FILE_TMPDIR/g.jsonl
	cd "$BATS_TEST_TMPDIR"
}

@test "a stored graph is written back byte for byte" {
	run_zn 0 zn-snapshot --graph "$G"
	assert_equal "$output" "$(cat "$G")"
	run_zn 0 zn-snapshot --graph - <"$G"
	assert_equal "$output" "$(cat "$G")"
}

@test "reordered records, keys and named arrays come back canonical" {
	# Reverse the records and the keys of every object, and the order of
	# each table's indexes: the same graph, written the same way.
	{
		head -n 1 "$G"
		sed '1d;$d' "$G" | tac | jq -c '
		    def rev: if type == "object" then (to_entries | reverse |
		        map(.value |= rev) | from_entries)
		      elif type == "array" then map(rev) else . end;
		    (if .indexes then .indexes |= reverse else . end) | rev'
		tail -n 1 "$G"
	} >shuffled.jsonl
	run cmp -s "$G" shuffled.jsonl
	assert_failure
	run_zn 0 zn-snapshot --graph shuffled.jsonl
	assert_equal "$output" "$(cat "$G")"
}

@test "default privileges are keyed by schema, role and objects, read back canonical by either path, and refused twice" {
	local p='"privileges":[{"action":"grant","grantable":false,"grantee":"PUBLIC","privilege":"SELECT"}]'
	# In canonical order (no schema first, then by schema, role and
	# objects; after the schemas), with the header's hash made right.
	printf '{"kind":"default_privileges","schema":null,"name":"TABLES",%s,"role":"a b"}\n' "$p" >dp
	printf '{"kind":"default_privileges","schema":"app","name":"SEQUENCES",%s,"role":"a"}\n' "$p" >>dp
	printf '{"kind":"default_privileges","schema":"app","name":"TABLES",%s,"role":"a"}\n' "$p" >>dp
	printf '{"kind":"default_privileges","schema":"app","name":"TABLES",%s,"role":"b"}\n' "$p" >>dp
	n=$(grep -n '^{"kind":"schema"' "$G" | tail -n 1 | cut -d: -f1)
	{
		sed "${n}r dp" "$G" | sed '$d'
		tail -n 1 "$G" | jq -c '.objects += 4'
	} >t.jsonl
	rehash t.jsonl canon.jsonl
	run_zn 0 zn-snapshot --graph canon.jsonl
	assert_equal "$output" "$(cat canon.jsonl)"
	# Records and keys reversed: the same graph, written the same way.
	{
		head -n 1 canon.jsonl
		sed '1d;$d' canon.jsonl | tac | jq -c 'to_entries | reverse | from_entries'
		tail -n 1 canon.jsonl
	} >shuffled.jsonl
	run_zn 0 zn-snapshot --graph shuffled.jsonl
	assert_equal "$output" "$(cat canon.jsonl)"
	run_zn 0 zn-diff --json canon.jsonl shuffled.jsonl
	[ "$(grep -c '"kind":"op"' <<<"$output")" -eq 0 ]
	# One of them twice.
	{
		sed '$d' canon.jsonl
		sed -n 4p dp
		tail -n 1 canon.jsonl | jq -c '.objects += 1'
	} >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	assert_equal "$stderr" "zn-snapshot: u.jsonl: duplicate default_privileges 'TABLES'"
}

@test "a truncated graph (no trailer) is refused" {
	head -n 5 "$G" >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:5: truncated graph: no trailer record"
	assert_equal "$output" ''
}

@test "a graph cut in the middle of a line is refused with its position" {
	head -c 700 "$G" >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl:"*": invalid JSON: "* ]] ||
	    fail "unexpected: $stderr"
}

@test "a trailer with the wrong count is refused" {
	{ sed '$d' "$G"; tail -n 1 "$G" | jq -c '.objects += 1'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	n=$(($(wc -l <"$G") - 2))
	assert_equal "$stderr" "zn-snapshot: t.jsonl:$((n + 2)): graph trailer counts other objects but $n were read"
}

@test "an edited record is a hash mismatch" {
	sed 's/"comment":"sum"/"comment":"total"/' "$G" >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl: hash mismatch: the header says sha256:"*" but the records hash to sha256:"* ]] ||
	    fail "unexpected: $stderr"
}

@test "a trailer whose hash disagrees is refused" {
	{ sed '$d' "$G"; tail -n 1 "$G" | jq -c '.hash = "sha256:0000"'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl: hash mismatch: the trailer says sha256:0000 but the records hash to sha256:"* ]] ||
	    fail "unexpected: $stderr"
	{ sed '$d' "$G"; tail -n 1 "$G" | jq -c 'del(.hash)'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == *"the trailer says nothing"* ]] || fail "unexpected: $stderr"
}

@test "a missing record is a hash mismatch even with a fixed count" {
	{ sed -n '1,2p' "$G"; sed '1,3d;$d' "$G"; tail -n 1 "$G" | jq -c '.objects -= 1'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == *"hash mismatch"* ]] || fail "unexpected: $stderr"
}

@test "invalid JSON is reported as file:line:col" {
	{ head -n 2 "$G"; echo '{"kind":"table",'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl:3:"*": invalid JSON: "* ]] ||
	    fail "unexpected: $stderr"
}

@test "records that are not objects, lack a kind, or repeat a key are refused" {
	{ head -n 1 "$G"; echo '[1,2]'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:2: a record must be a JSON object"
	{ head -n 1 "$G"; echo '{"name":"x"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:2: record has no string "kind"'
	{ head -n 1 "$G"; echo '{"kind":"schema","name":"a","name":"b"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl:2:"*"duplicate object key"* ]] ||
	    fail "unexpected: $stderr"
	{ head -n 1 "$G"; echo; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:2: empty line where a record was expected"
}

@test "records of unknown kinds or missing names are refused" {
	{ head -n 1 "$G"; echo '{"kind":"spaceship","name":"x"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:2: unknown record kind 'spaceship' in a graph"
	{ head -n 1 "$G"; echo '{"kind":"table","name":"x","columns":[]}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:2: table record has no string "schema"'
	{ head -n 1 "$G"; echo '{"kind":"table","schema":"s","name":"x"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:2: table record has no "columns" array'
	{ head -n 1 "$G"; echo '{"kind":"function","schema":"s","name":"f"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:2: function record has no string "arguments"'
	{ head -n 1 "$G"; echo '{"kind":"trigger","schema":"s","name":"t"}'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:2: trigger record has no string "table"'
}

@test "the same object twice is refused" {
	{ sed '$d' "$G"; sed -n 2p "$G"; tail -n 1 "$G" | jq -c '.objects += 1'; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl: duplicate extension 'btree_gist'" ]] ||
	    fail "unexpected: $stderr"
}

@test "operator families and classes are told apart by access method: one name under two methods is two objects, the same one twice is refused" {
	local f='{"kind":"operator_family","schema":"app","name":"f","comment":null,"members":[],"method":"btree"}' n
	# In canonical order: after the kinds that come before, btree first.
	n=$(grep -n -E '^\{"kind":"(extension|schema|collation|text_search_[a-z]+|enum|domain|composite_type|range_type|sequence|table|view|materialized_view|function|procedure|aggregate|operator)"' "$G" | tail -n 1 | cut -d: -f1)
	{
		sed '$d' "$G" | sed -n "1,${n}p"
		printf '%s\n' "$f" "${f/btree/hash}"
		sed '$d' "$G" | sed "1,${n}d"
		tail -n 1 "$G" | jq -c '.objects += 2'
	} >t.jsonl
	rehash t.jsonl v.jsonl
	# Both kept; written as they are read (the fast path takes them).
	run_zn 0 zn-snapshot --graph v.jsonl
	assert_equal "$output" "$(cat v.jsonl)"
	[ "$(grep -c '^{"kind":"operator_family","schema":"app","name":"f",' v.jsonl)" -eq 2 ]
	# Reversed, the slow path puts them back in that order.
	{
		head -n 1 v.jsonl
		sed '1d;$d' v.jsonl | tac
		tail -n 1 v.jsonl
	} >r.jsonl
	run_zn 0 zn-snapshot --graph r.jsonl
	assert_equal "$output" "$(cat v.jsonl)"
	run_zn 0 zn-diff --json "$G" v.jsonl
	[ "$(jq -r 'select(.kind == "op") | "\(.op) \(.target)"' <<<"$output")" = "createOperatorFamily app.f USING btree
createOperatorFamily app.f USING hash" ]
	run_zn 0 zn-diff --json v.jsonl v.jsonl
	[ "$(jq -r 'select(.kind == "op") | .op' <<<"$output")" = "" ]
	{
		sed '$d' "$G"
		printf '%s\n' "$f" "$f"
		tail -n 1 "$G" | jq -c '.objects += 2'
	} >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == "zn-snapshot: u.jsonl: duplicate operator_family 'f'" ]] ||
	    fail "unexpected: $stderr"
}

@test "a record after the trailer is refused" {
	{ cat "$G"; sed -n 2p "$G"; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:$(($(wc -l <"$G") + 1)): record after the graph trailer"
}

@test "other streams, other versions and empty input are refused" {
	echo '{"kind":"plan","v":1}' >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:1: not a schema graph: the first record is 'plan', not 'graph'"
	{ head -n 1 "$G" | jq -c '.v = 2'; sed 1d "$G"; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl:1: graph version 2 is not supported (this version reads 1)"
	{ head -n 1 "$G" | jq -c 'del(.hash)'; sed 1d "$G"; } >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" 'zn-snapshot: t.jsonl:1: graph header has no string "hash"'
	: >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	assert_equal "$stderr" "zn-snapshot: t.jsonl: empty input: no graph header"
	run_zn 2 zn-snapshot --graph missing.jsonl
	assert_equal "$stderr" "zn-snapshot: cannot open 'missing.jsonl': No such file or directory"
}

@test "binary garbage is refused, not crashed on" {
	zn_random_bytes 4096 >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	printf '{"kind":"graph","v":1,"hash":"x"}\n{"kind":"schema","name":"\xff\xfe"}\n' >t.jsonl
	run_zn 65 zn-snapshot --graph t.jsonl
	[[ "$stderr" == "zn-snapshot: t.jsonl:2:"* ]] || fail "unexpected: $stderr"
}

# rehash IN OUT: IN with the hash of header and trailer recomputed over
# its body as it stands, as a careful forger would.
rehash() {
	_h=sha256:$(sed '1d;$d' "$1" | sha256sum | cut -d' ' -f1)
	{
		head -n 1 "$1" | jq -c --arg h "$_h" '.hash = $h'
		sed '1d;$d' "$1"
		tail -n 1 "$1" | jq -c --arg h "$_h" '.hash = $h'
	} >"$2"
}

# Each line RECORD|WANT of stdin: the graph with RECORD added (and its
# hash made right) is refused, exit 65, by zn-snapshot saying WANT, and by
# zn-diff on either side.
refused_records() {
	local r want
	while IFS='|' read -r r want; do
		{
			sed '$d' "$G"
			printf '%s\n' "$r"
			tail -n 1 "$G"
		} >t.jsonl
		rehash t.jsonl u.jsonl
		run_zn 65 zn-snapshot --graph u.jsonl
		[[ "$stderr" == *"$want"* ]] || fail "$r: unexpected: $stderr"
		run_zn 65 zn-diff u.jsonl "$G"
		run_zn 65 zn-diff "$G" u.jsonl
	done
}

@test "a graph that hashes right is still checked record by record" {
	# The fast path takes a graph whose lines hash to its header without
	# parsing them; it must not take what the slow path would refuse.
	rehash "$G" same.jsonl
	run_zn 0 zn-snapshot --graph same.jsonl
	assert_equal "$output" "$(cat "$G")"
	# Broken JSON inside a record.
	sed '3s/"columns":\[/"columns":[,/; 3s/"comment":null/"comment":nul/' \
	    "$G" >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == "zn-snapshot: u.jsonl:3:"*"invalid JSON"* ]] ||
	    fail "unexpected: $stderr"
	# Invalid UTF-8, a lone surrogate and a NUL, each in a string.
	# (sed reads "\\u" as a backslash and a u.)
	for bad in "$(printf '\303\050')" '\\ud800' '\\u0000' \
	    "$(printf '\355\240\200')"; do
		sed "3s/\"comment\":null/\"comment\":\"$bad\"/" "$G" >t.jsonl
		! cmp -s t.jsonl "$G" || fail "no change made for $bad"
		rehash t.jsonl u.jsonl
		run_zn 65 zn-snapshot --graph u.jsonl
		[[ "$stderr" == "zn-snapshot: u.jsonl:3:"* ]] ||
		    fail "$bad: unexpected: $stderr"
	done
	# Spaces around a record: canonical again, so the hash of the
	# spaced lines is not the graph's.
	sed '3s/^/ /' "$G" >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == *"hash mismatch"* ]] || fail "unexpected: $stderr"
	# Two records swapped: a different order, the same mismatch.
	{ sed -n 1,2p "$G"; sed -n 4p "$G"; sed -n 3p "$G"; sed 1,4d "$G"; } \
	    >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == *"hash mismatch"* ]] || fail "unexpected: $stderr"
	# A record repeated, and the count fixed.
	{ sed '$d' "$G"; sed -n 3p "$G"; tail -n 1 "$G" |
	    jq -c '.objects += 1'; } >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == *"duplicate"* ]] || fail "unexpected: $stderr"
}

@test "a record of the wrong shape is refused by every reader, however it is hashed" {
	# Found by tests/fuzz (fuzz-graph): a column without a name, and an
	# identity without its sequence, reached the planner, which quoted a
	# NULL and crashed.
	local e
	for e in '.columns[0] |= del(.name)' '.columns[1].type = 7' \
	    '.foreign_keys = [{"name":"f","columns":["a"],"references":"x","definition":"d"}]' \
	    '.indexes = [{"name":"i","definition":"d","keys":["a"]}]' \
	    '.primary_key = {"name":"p","columns":[1],"definition":"d"}' \
	    '.checks = [{"name":"c","definition":null}]' '.columns = {}' \
	    '.columns[0].identity = {"generation":"always","start":"1"}' \
	    '.foreign_keys = [{"name":"f","columns":["a"],"references":{"schema":"s","table":"t","columns":["a"]},"definition":"d","match":null}]' \
	    '.persistence = false' '.policies = [{"name":"p","command":1}]'; do
		n=$(grep -n -m 1 '^{"kind":"table"' "$G" | cut -d: -f1)
		REC=$(sed -n "${n}p" "$G" | jq -c "$e") || fail "jq: $e"
		REC=$REC awk -v n="$n" 'NR == n { print ENVIRON["REC"]; next }
		    { print }' "$G" >t.jsonl
		! cmp -s t.jsonl "$G" || fail "no change made for $e"
		rehash t.jsonl u.jsonl
		run_zn 65 zn-snapshot --graph u.jsonl
		[[ "$stderr" == "zn-snapshot: "*"table record '"* ]] ||
		    [[ "$stderr" == "zn-snapshot: "*"columns"* ]] ||
		    fail "$e: unexpected: $stderr"
		run_zn 65 zn-diff u.jsonl "$G"
		run_zn 65 zn-diff "$G" u.jsonl
		[[ "$stderr" == "zn-diff: "*"malformed"* ]] ||
		    [[ "$stderr" == "zn-diff: "*"columns"* ]] ||
		    fail "$e: unexpected: $stderr"
	done
	# An extension lives in no schema's namespace, but is installed in
	# one, which the planner names (found by fuzz-graph too).
	n=$(grep -n -m 1 '^{"kind":"extension"' "$G" | cut -d: -f1)
	[ -n "$n" ] || fail "no extension in the fixture"
	REC=$(sed -n "${n}p" "$G" | jq -c 'del(.schema)') awk -v n="$n" \
	    'NR == n { print ENVIRON["REC"]; next } { print }' "$G" >t.jsonl
	rehash t.jsonl u.jsonl
	run_zn 65 zn-snapshot --graph u.jsonl
	[[ "$stderr" == *"extension record '"*"schema is not a string"* ]] ||
	    fail "unexpected: $stderr"
	run_zn 65 zn-diff u.jsonl "$G"
}

@test "records of the kinds added later are checked too: domains, composite types, aggregates, routines' uses, privileges, collations, text search, ranges, operators, operator families and classes, statistics, rules, column settings" {
	refused_records <<-'EOF2'
	{"kind":"domain","schema":"app","name":"d","checks":[],"not_null":false}|type is not a string
	{"kind":"domain","schema":"app","name":"d","checks":[{"name":"c"}],"type":"integer"}|checks[0].definition is not a string
	{"kind":"composite_type","schema":"app","name":"c","attributes":[{"name":"a"}]}|attributes[0].type is not a string
	{"kind":"composite_type","schema":"app","name":"c","attributes":{}}|attributes
	{"kind":"aggregate","schema":"app","name":"g","arguments":"integer"}|definition is not a string
	{"kind":"function","schema":"app","name":"f","arguments":"","definition":"x","depends_on":[{"kind":"relation","name":"t"}],"language":"sql"}|depends_on[0].schema is not a string
	{"kind":"schema","name":"zz","privileges":[{"action":"grant","privilege":"USAGE"}]}|privileges[0].grantee is not a string
	{"kind":"sequence","schema":"app","name":"q","privileges":[{"action":"grant","grantable":"yes","grantee":"r","privilege":"USAGE"}],"type":"bigint","start":"1","increment":"1","min":"1","max":"9","cache":"1"}|privileges[0].grantable
	{"kind":"collation","schema":"app","name":"co","locale":"und"}|provider is not a string
	{"kind":"collation","schema":"app","name":"co","deterministic":"no","provider":"icu"}|deterministic
	{"kind":"text_search_dictionary","schema":"app","name":"td","options":"a = 1"}|template is not a string
	{"kind":"text_search_configuration","schema":"app","name":"tc","mappings":[{"dictionaries":["x"]}],"parser":"p"}|mappings[0].token is not a string
	{"kind":"text_search_configuration","schema":"app","name":"tc","mappings":[{"dictionaries":"x","token":"word"}],"parser":"p"}|mappings[0].dictionaries
	{"kind":"range_type","schema":"app","name":"r","definition":"CREATE TYPE app.r AS RANGE (subtype = int4)"}|subtype is not a string
	{"kind":"operator","schema":"app","name":"===","arguments":"integer, integer","definition":"CREATE OPERATOR app.=== (FUNCTION = f)","function":7}|function is not a string
	{"kind":"operator_family","schema":"app","name":"f","members":[]}|operator_family record has no string "method"
	{"kind":"operator_family","schema":"app","name":"f","members":[{"name":"FUNCTION 1 (integer, integer)"}],"method":"btree"}|members[0].definition is not a string
	{"kind":"operator_family","schema":"app","name":"f","members":{},"method":"btree"}|members is not an array
	{"kind":"operator_family","schema":"app","name":"f","depends_on":[{"kind":"operator_family","schema":"app","name":"g","method":7}],"members":[],"method":"btree"}|depends_on[0].method is neither a string nor null
	{"kind":"operator_class","schema":"app","name":"c","method":"hash"}|definition is not a string
	{"kind":"operator_class","schema":"app","name":"c","definition":"CREATE OPERATOR CLASS app.c FOR TYPE integer USING hash FAMILY app.c AS OPERATOR 1 =(integer,integer)","method":["hash"]}|operator_class record has no string "method"
	{"kind":"operator_class","schema":"app","name":"c","definition":"CREATE OPERATOR CLASS app.c FOR TYPE integer USING hash FAMILY app.c AS OPERATOR 1 =(integer,integer)","depends_on":[{"kind":"operator","name":"="}],"method":"hash"}|depends_on[0].schema is not a string
	{"kind":"statistics","schema":"app","name":"s","definition":"CREATE STATISTICS app.s ON a, b FROM app.t","on":"app.t","statistics":500}|statistics is neither a string nor null
	{"kind":"rule","schema":"app","table":"t","name":"r","definition":"CREATE RULE r AS ON INSERT TO app.t DO NOTHING"}|enabled is not a string
	{"kind":"table","schema":"app","name":"tt","columns":[{"name":"a","type":"integer","not_null":false,"statistics":5}],"persistence":"permanent","replica_identity":"default"}|columns[0].statistics is neither
	{"kind":"table","schema":"app","name":"tt","columns":[{"name":"a","type":"integer","not_null":false,"options":"n_distinct=1"}],"persistence":"permanent","replica_identity":"default"}|columns[0].options
	{"kind":"function","schema":"app","name":"f","arguments":"","definition":"x","depends_on":[{"kind":"relation","schema":"app","name":"t","columns":"a"}],"language":"sql"}|depends_on[0].columns
	{"kind":"enum","schema":"app","name":"e","privileges":[{"action":"grant","grantee":7,"privilege":"USAGE"}],"values":["a"]}|privileges[0].grantee is not a string
	{"kind":"range_type","schema":"app","name":"r","definition":"CREATE TYPE app.r AS RANGE (subtype = int4)","privileges":{},"subtype":"integer"}|privileges is not an array
	{"kind":"default_privileges","schema":null,"name":"TABLES","privileges":[]}|default_privileges record has no string "role"
	{"kind":"default_privileges","schema":7,"name":"TABLES","privileges":[],"role":"r"}|schema is neither a string nor null
	{"kind":"default_privileges","schema":null,"name":"VIEWS","privileges":[],"role":"r"}|name is not TABLES, SEQUENCES, FUNCTIONS, TYPES or SCHEMAS
	{"kind":"default_privileges","schema":"app","name":"SCHEMAS","privileges":[],"role":"r"}|SCHEMAS in a schema
	{"kind":"default_privileges","schema":null,"name":"TABLES","privileges":[{"action":"grant","privilege":"SELECT"}],"role":"r"}|privileges[0].grantee is not a string
	{"kind":"default_privileges","schema":null,"name":"TABLES","privileges":[{"action":"deny","grantee":"PUBLIC","privilege":"SELECT"}],"role":"r"}|privileges[0].action is not grant or revoke
	{"kind":"default_privileges","schema":"app","name":"TABLES","privileges":[{"action":"revoke","grantee":"PUBLIC","privilege":"SELECT"}],"role":"r"}|privileges[0].action is not grant (a schema's
	{"kind":"default_privileges","schema":null,"name":"TABLES","privileges":[{"action":"grant","column":"a","grantee":"x","privilege":"SELECT"}],"role":"r"}|privileges[0].column is not null
	{"kind":"default_privileges","schema":null,"name":"TABLES","role":["r"]}|has no string "role"
	EOF2
}

@test "records of the objects of the database and of foreign tables are checked: casts, wrappers, servers, user mappings, publications, event triggers, parsers, templates" {
	refused_records <<-'EOF2'
	{"kind":"cast","name":"(integer AS app.p)","definition":"CREATE CAST (integer AS app.p) WITH INOUT","functions":[],"source":"integer"}|target is not a string
	{"kind":"cast","name":"(integer AS app.p)","definition":"CREATE CAST (integer AS app.p) WITH INOUT","functions":"app.f(integer)","source":"integer","target":"app.p"}|functions
	{"kind":"foreign_data_wrapper","name":"w","definition":"CREATE FOREIGN DATA WRAPPER w","functions":[],"options":"a=1"}|options
	{"kind":"foreign_data_wrapper","name":"w","definition":"CREATE FOREIGN DATA WRAPPER w","functions":[],"options":[],"privileges":[{"action":"grant","grantee":"r"}]}|privileges[0].privilege is not a string
	{"kind":"foreign_server","name":"s","definition":"CREATE SERVER s FOREIGN DATA WRAPPER w","options":[]}|wrapper is not a string
	{"kind":"user_mapping","name":"FOR r SERVER s","definition":"CREATE USER MAPPING FOR r SERVER s","options":[],"role":"r"}|server is not a string
	{"kind":"publication","name":"p","definition":"CREATE PUBLICATION p","all_tables":"no","parameters":"x","schemas":[],"tables":[]}|all_tables
	{"kind":"publication","name":"p","definition":"CREATE PUBLICATION p","all_tables":false,"parameters":"x","schemas":[],"tables":{}}|tables
	{"kind":"event_trigger","name":"e","definition":"CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()","functions":[]}|enabled is not a string
	{"kind":"text_search_parser","schema":"app","name":"p","functions":[]}|definition is not a string
	{"kind":"text_search_template","name":"t","definition":"CREATE TEXT SEARCH TEMPLATE t (LEXIZE = l)","functions":[]}|record has no string "schema"
	{"kind":"foreign_table","schema":"app","name":"f","definition":"CREATE FOREIGN TABLE app.f () SERVER s","column_comments":[{"name":"a"}],"options":[],"server":"s","tables":[],"types":[]}|column_comments[0].comment is not a string
	{"kind":"foreign_table","schema":"app","name":"f","definition":"CREATE FOREIGN TABLE app.f () SERVER s","column_comments":[],"options":[],"tables":[],"types":[]}|server is not a string
	EOF2
}
