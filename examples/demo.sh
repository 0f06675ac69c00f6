#!/bin/sh
# SPDX-License-Identifier: ISC
# demo.sh: the example project through what zanith does today.  Starts a
# throwaway local PostgreSQL, loads examples/schema.sql, snapshots it,
# shows what the graph holds, materialises the same schema declared in
# examples/schema.yaml and compares, and proves the snapshot is
# deterministic.
# Everything is removed at the end.  Run through `make demo`.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/helpers/pgtmp.sh
. "$top/tests/helpers/pgtmp.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/zn-demo.XXXXXX")
cleanup() {
	zn_pgtmp_stop
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n==> %s\n' "$*"; }

say "starting a throwaway PostgreSQL (Unix socket only)"
zn_pgtmp_start
psql -X -q -d postgres -c 'CREATE DATABASE demo'
export PGDATABASE=demo
echo "server: $(psql -X -A -t -c 'SHOW server_version')  socket: $PGHOST"

say "loading examples/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 -f "$top/examples/schema.sql"

say "zn-snapshot -o snapshot.jsonl"
zn-snapshot -o "$work/snapshot.jsonl"
jq -r 'select(.kind == "graph") | "graph v\(.v) of \(.source.dbname), \(.hash)"' \
    "$work/snapshot.jsonl"

say "what the graph holds (jq over the records)"
jq -r 'select(.kind != "graph" and .kind != "end") | .kind' \
    "$work/snapshot.jsonl" | sort | uniq -c
echo
jq -r 'select(.kind == "table") |
    "\(.schema).\(.name): \(.columns | map(.name + " " + .type) | join(", "))"' \
    "$work/snapshot.jsonl"
echo
jq -r 'select(.kind == "table") | .foreign_keys[] | .definition' \
    "$work/snapshot.jsonl"

say "the schema declared in YAML materialises to the same graph"
echo "zn-snapshot --declared examples/schema.yaml (a throwaway cluster of its own)"
zn-snapshot --declared "$top/examples/schema.yaml" -o "$work/declared.jsonl"
declared=$(tail -n 1 "$work/declared.jsonl" | jq -r .hash)
live=$(tail -n 1 "$work/snapshot.jsonl" | jq -r .hash)
echo "declared: $declared"
echo "live:     $live"
if [ "$declared" = "$live" ]; then
	echo "declared and live agree: yes"
else
	echo "declared and live agree: no"
fi

say "the same database snapshots to the same bytes"
zn-snapshot --json >"$work/again.jsonl"
cmp "$work/snapshot.jsonl" "$work/again.jsonl" && echo "identical: yes"

say "a one-attribute change shows up as exactly that attribute"
psql -X -q -c "ALTER TABLE app.projects ALTER COLUMN archived SET DEFAULT true"
zn-snapshot --json >"$work/changed.jsonl"
jq -c 'select(.kind == "table" and .name == "projects") |
    .columns[] | select(.name == "archived") | {name, default}' \
    "$work/snapshot.jsonl" "$work/changed.jsonl"

say "done; the cluster and its files are removed"
