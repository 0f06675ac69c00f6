#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Declared schemas in YAML (zn-schema(5)): the same graph as the same
# schema in SQL or loaded live, the shorthands, and every kind of mistake
# refused with its YAML position (exit 65), never a crash.

setup() {
	load helpers/common
	zn_clean_env
	SCRATCH_TMP=$(mktemp -d /tmp/zy.XXXXXX)
	chmod 755 "$SCRATCH_TMP"
	export TMPDIR=$SCRATCH_TMP
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	pkill -KILL -f "$SCRATCH_TMP/zn-scratch" 2>/dev/null || true
	rm -rf "$SCRATCH_TMP"
}

nothing_left() {
	run ls -A "$SCRATCH_TMP"
	assert_output ''
}

# refuse FILE-CONTENT MESSAGE: the declaration is refused with exactly
# MESSAGE (after "zn-snapshot: x.yaml:").
refuse() {
	printf '%s' "$1" >x.yaml
	run_zn 65 zn-snapshot --declared x.yaml --json
	assert_equal "$output" ''
	assert_equal "$stderr" "zn-snapshot: x.yaml:$2"
	nothing_left
}

@test "the fixture in YAML reads exactly as in SQL and as loaded live" {
	run_zn 0 zn-snapshot --declared "$FIXTURES/full.yaml" --json
	printf '%s\n' "$output" | sed 1d >body
	diff -u "$EXPECTED/full.body.jsonl" body
	nothing_left
}

@test "shorthands: a type alone, references, primary_key, unique, views, public at the top" {
	cat >s.yaml <<'YAML'
tables:
  t:
    columns:
      id: int
      o: {type: int, references: t.id}
    primary_key: [id]
  u:
    columns:
      a: {type: text, unique: true, not_null: true}
views:
  v: SELECT id FROM t
YAML
	run_zn 0 zn-snapshot --declared s.yaml --json
	g=$output
	run jq -c 'select(.kind == "table") | [.schema, .name, .primary_key.name, [.foreign_keys[].definition], [.uniques[].name]]' <<<"$g"
	assert_output '["public","t","t_pkey",["FOREIGN KEY (o) REFERENCES public.t(id)"],[]]
["public","u",null,[],["u_a_key"]]'
	run jq -r 'select(.kind == "view") | .definition' <<<"$g"
	assert_output ' SELECT t.id
   FROM public.t;'
}

@test "an empty schema file is an empty schema" {
	: >empty.yaml
	run_zn 0 zn-snapshot --declared empty.yaml --json
	run jq -c 'select(.kind != "graph" and .kind != "end") | .name' <<<"$output"
	assert_output '"public"'
}

@test "mistake: YAML syntax" {
	refuse $'tables:\n  t: {columns: {id: int\n' \
	    "3:1: did not find expected ',' or '}' while parsing a flow mapping"
}

@test "mistake: an unknown key, at every level" {
	refuse $'tabels:\n  t: {columns: {id: int}}\n' \
	    "1:1: unknown key 'tabels' in the schema file"
	refuse $'tables:\n  t:\n    columns:\n      id: {type: int, nullable: false}\n' \
	    "4:23: unknown key 'nullable' in a column"
	refuse $'tables:\n  t:\n    colums: {id: int}\n' \
	    "3:5: unknown key 'colums' in a table"
}

@test "mistake: a value of the wrong type" {
	refuse $'tables:\n  t:\n    columns:\n      id: {type: int, not_null: "yes"}\n' \
	    "4:33: 'not_null' must be true or false, not a string"
	refuse $'tables:\n  t: [id]\n' \
	    "2:6: table 't' must be a mapping, not a list"
	refuse $'schemas:\n  app:\n    enums:\n      e: {values: [a, 1]}\n' \
	    "4:23: an enum value must be a string, not a number"
	refuse $'- tables\n' \
	    "1:1: a schema file is a mapping (extensions, schemas, tables, ...)"
}

@test "mistake: a duplicate column, table, or schema" {
	refuse $'tables:\n  t:\n    columns:\n      id: int\n      id: text\n' \
	    "5:7: duplicate key 'id'"
	refuse $'tables:\n  t: {columns: {id: int}}\n  t: {columns: {id: int}}\n' \
	    "3:3: duplicate key 't'"
	refuse $'tables:\n  t: {columns: {id: int}}\nschemas:\n  public:\n    tables:\n      u: {columns: {id: int}}\n' \
	    "4:3: schema 'public' is declared both here and at the top level"
}

@test "mistake: a reference to an unknown table" {
	refuse $'tables:\n  t:\n    columns:\n      org: {type: int, references: nope.id}\n' \
	    "4:36: unknown table 'public.nope'"
	refuse $'tables:\n  t:\n    columns: {id: int}\n    inherits: [nope]\n' \
	    "4:16: unknown table 'public.nope'"
}

@test "mistake: a reference to an unknown column" {
	refuse $'tables:\n  orgs: {columns: {id: {type: int, primary_key: true}}}\n  t:\n    columns:\n      org: {type: int, references: orgs.nope}\n' \
	    "5:36: table 'public.orgs' has no column 'nope'"
	refuse $'tables:\n  t:\n    columns: {id: int}\n    indexes:\n      t_x: {columns: [id, x]}\n' \
	    "5:27: table 'public.t' has no column 'x'"
	refuse $'tables:\n  t:\n    columns: {id: int}\n    primary_key: [ident]\n' \
	    "4:19: table 'public.t' has no column 'ident'"
}

@test "mistake: an unknown column type, reported at the column's type" {
	refuse $'tables:\n  t:\n    columns:\n      id: int\n      name: {type: strng, not_null: true}\n' \
	    '5:20: type "strng" does not exist (SQLSTATE 42704)'
	refuse $'tables:\n  t:\n    columns:\n      id: int\n      name: strng\n' \
	    '5:13: type "strng" does not exist (SQLSTATE 42704)'
}

@test "mistake: a bad expression, reported at the expression" {
	refuse $'tables:\n  t:\n    columns:\n      n: {type: int, check: "n >>>> 1"}\n' \
	    '4:29: operator does not exist: integer >>>> integer (SQLSTATE 42883)'
}

@test "mistake: a required key missing" {
	refuse $'tables:\n  t:\n    columns:\n      id: {not_null: true}\n' \
	    "4:11: column 'id' has no 'type'"
	refuse $'tables:\n  t: {comment: empty}\n' \
	    "2:6: table 't' has no 'columns'"
}

@test "mistake: a name PostgreSQL would cut short" {
	refuse $'tables:\n  this_table_name_is_longer_than_sixty_three_bytes_which_postgres_cuts: {columns: {id: int}}\n' \
	    "2:3: table name 'this_table_name_is_longer_than_sixty_three_bytes_which_postgres_cuts' is longer than 63 bytes, which PostgreSQL would cut short"
}

@test "mistake: a value outside its choices" {
	refuse $'tables:\n  o: {columns: {id: {type: int, primary_key: true}}}\n  t:\n    columns: {o: int}\n    foreign_keys:\n      - {columns: [o], references: {table: o}, on_delete: explode}\n' \
	    "6:59: 'on_delete' must be one of 'no action', 'restrict', 'cascade', 'set null', 'set default', not 'explode'"
}

@test "mistake: contradictions" {
	refuse $'tables:\n  t:\n    columns:\n      id: {type: bigint, identity: always, default: 1}\n' \
	    "4:44: a column with 'identity' or 'generated' cannot have a 'default'"
	refuse $'tables:\n  p: {columns: {at: date}, partition_by: RANGE (at)}\n  c:\n    partition_of: {table: p, bound: DEFAULT}\n    columns: {x: int}\n' \
	    "5:5: a partition takes its columns from 'p'; declare them there"
	refuse $'tables:\n  t:\n    columns:\n      id: {type: int, primary_key: true}\n    primary_key: [id]\n' \
	    "5:5: 't' already has a primary key on column 'id'"
}

@test "structural mistakes are found before any server starts" {
	printf 'tables:\n  t:\n    colums: {id: int}\n' >x.yaml
	ZN_PG_BINDIR=/nonexistent run_zn 65 zn-snapshot --declared x.yaml --json
	assert_equal "$stderr" "zn-snapshot: x.yaml:3:5: unknown key 'colums' in a table"
}

@test "garbage in a .yaml file is refused, not crashed on" {
	zn_random_bytes 2048 >x.yaml
	run_zn '?' zn-snapshot --declared x.yaml --json
	[ "$status" -eq 65 ] || fail "status $status: $stderr"
	nothing_left
}

@test "empty values are refused where SQL is needed, not crashed on" {
	refuse $'tables: {t: {columns: {a: {type: int, check: }}}}\n' \
	    "1:46: 'check' must not be empty"
	refuse $'tables: {t: {columns: {a: {type: int, generated: ~}}}}\n' \
	    "1:50: 'generated' must not be empty"
	refuse $'tables: {t: {columns: {a: {type: int, default: ~}}}}\n' \
	    "1:48: 'default' must be SQL text, not empty"
}

@test "decimal numbers keep the text they were written as" {
	printf 'tables: {t: {columns: {a: {type: "numeric(6,2)", default: 0.1}, b: {type: float8, default: 1e3}}}}\n' >f.yaml
	run_zn 0 zn-snapshot --declared f.yaml --json
	run jq -c 'select(.kind == "table") | [.columns[].default]' <<<"$output"
	# 1e3 is a numeric constant to the server, as written.
	assert_output '["0.1","'"'"'1000'"'"'::numeric"]'
}

@test "partitions may carry their own constraints; public may have a comment" {
	cat >p.yaml <<'YAML'
comment: the public schema
tables:
  p:
    columns: {at: date, amount: int}
    partition_by: RANGE (at)
    primary_key: {name: p_pk, columns: [at], comment: the key}
  c:
    partition_of: {table: p, bound: DEFAULT}
    checks:
      c_positive: amount > 0
schemas:
  app:
    views:
      v: SELECT at FROM public.p
YAML
	run_zn 0 zn-snapshot --declared p.yaml --json
	g=$output
	run jq -c 'select(.kind == "schema" and .name == "public") | .comment' <<<"$g"
	assert_output '"the public schema"'
	run jq -c 'select(.kind == "table") | [.name, [.checks[].name], .primary_key.comment]' <<<"$g"
	assert_output '["c",["c_positive"],null]
["p",[],"the key"]'
	run jq -c 'select(.kind == "view") | [.schema, .name]' <<<"$g"
	assert_output '["app","v"]'
}

@test "mistake: keys that would be ignored are refused" {
	refuse $'tables: {t: {columns: {a: int}, uniques: [{columns: [a], comment: x}]}}\n' \
	    "1:58: a constraint with a comment needs a 'name'"
	refuse $'views: {v: {query: "SELECT 1", with_data: false}}\n' \
	    "1:32: unknown key 'with_data' in a view"
	refuse $'materialized_views: {m: {query: "SELECT 1", check_option: local}}\n' \
	    "1:45: unknown key 'check_option' in a materialized view"
	refuse $'tables: {t: {columns: {a: int}, renamed_from: [x]}}\n' \
	    "1:47: 'renamed_from' must be a string, not a list"
}

@test "extensions with a version, sequences owned by a column, .yml files" {
	cat >s.yml <<'YAML'
extensions:
  - {name: pgcrypto, schema: public, version: "1.3"}
sequences:
  s: {type: bigint, start: 5, owned_by: t.id}
tables:
  t: {columns: {id: bigint}}
YAML
	run_zn 0 zn-snapshot --declared s.yml --json
	g=$output
	run jq -c 'select(.kind == "extension") | [.name, .schema, .version]' <<<"$g"
	assert_output '["pgcrypto","public","1.3"]'
	run jq -c 'select(.kind == "sequence") | [.name, .type, .start, .owned_by]' <<<"$g"
	assert_output '["s","bigint","5",{"schema":"public","table":"t","column":"id"}]'
	printf 'sequences:\n  s: {owned_by: t.nope}\ntables:\n  t: {columns: {id: int}}\n' >x.yaml
	run_zn 65 zn-snapshot --declared x.yaml --json
	assert_equal "$stderr" "zn-snapshot: x.yaml:2:17: table 'public.t' has no column 'nope'"
	nothing_left
}
