#!/bin/sh
# SPDX-License-Identifier: ISC
# demo.sh: the example project through what zanith does today.  Starts a
# throwaway local PostgreSQL, loads examples/schema.sql, snapshots it,
# shows what the graph holds, materialises the same schema declared in
# examples/schema.yaml and compares, and proves the snapshot is
# deterministic, generates the first migration, applies it with zn up,
# plans a riskier change, applies the next one through a failure and its
# resumption, and shows the history and two audit questions.
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

say "the first migration: an empty database to examples/schema.yaml"
psql -X -q -d postgres -c 'CREATE DATABASE fresh'
mkdir "$work/project"
cat >"$work/project/zanith.yaml" <<EOF
database: dbname=fresh
schema: $top/examples/schema.yaml
migrations: migrations
EOF
echo "zn generate init   (in a project whose zanith.yaml names the schema)"
SOURCE_DATE_EPOCH=1767225600 zn generate init -C "$work/project"
ls "$work/project/migrations"
echo
sed -n '1,24p' "$work/project/migrations/"*_init.yaml
echo "..."

say "its ops, read back from the file as an op stream"
zn-diff --read "$work/project/migrations" |
    jq -r 'select(.kind == "op") | "\(.step)\t\(.op)\t\(.target)"'

say "zn up: what is pending, classified, then applied step by step"
echo "(under the migration lock; every step recorded in the ledger)"
zn up -C "$work/project"
echo
zn status -C "$work/project"

say "a change to a table that exists takes its online form"
zn-snapshot -d dbname=fresh -o "$work/before.jsonl"
cp "$top/examples/schema.sql" "$work/next.sql"
echo 'CREATE INDEX projects_title ON app.projects (title);' >>"$work/next.sql"
echo 'ALTER TABLE app.projects ADD CONSTRAINT projects_title_check CHECK (title <> '"''"');' >>"$work/next.sql"
zn-diff "$work/before.jsonl" "$work/next.sql" >"$work/next.plan"
jq -r 'select(.kind == "op") |
    "\(.op)\(if .transactional then "" else " (outside a transaction)" end): \(.sql[0])"'  "$work/next.plan"

say "the plan stage: every op classified, the data probed, a budget"
# One project breaks the CHECK the next schema adds.
psql -X -q -d fresh -c "INSERT INTO app.orgs (name) VALUES ('acme')" \
    -c "INSERT INTO app.projects (org_id, title) VALUES (1, '')"
cp "$work/next.sql" "$work/safe.sql"
echo 'ALTER TABLE app.users DROP COLUMN display_name;' >>"$work/next.sql"
zn-diff --drop-policy drop "$work/before.jsonl" "$work/next.sql" \
    >"$work/risky.plan"
echo "zn-classify -d dbname=fresh --max-risk 35 -v"
status=0
if command -v script >/dev/null 2>&1; then
	NO_COLOR=1 script -qec "zn-classify -d dbname=fresh --max-risk 35 \
	    -v '$work/risky.plan'" /dev/null || status=$?
else
	zn-classify -d dbname=fresh --max-risk 35 "$work/risky.plan" |
	    jq -r 'select(.kind == "op") | [.step, .risk.level, .risk.score,
	    .op, (.risk.reasons | join(", "))] | @tsv' || status=$?
fi
echo "(exit status $status: 1 means a gate refused; nothing was applied)"

say "the change without the drop, as the next migration: zn up"
SOURCE_DATE_EPOCH=1767312000 zn-diff -o "$work/project/migrations" \
    --name title_rules "$work/before.jsonl" "$work/safe.sql"
echo "(classified --offline here, so that it runs: the live probe would have"
echo " refused step 3 before anything ran, as the plan stage showed)"
status=0
zn up -C "$work/project" --offline || status=$?
echo "(exit status $status: the CHECK failed on the project titled ''; the"
echo " index before it stays built, and the ledger has both)"
echo
zn status -C "$work/project"

say "the data fixed, zn up resumes at the step that failed"
psql -X -q -d fresh -c "UPDATE app.projects SET title = 'untitled' WHERE title = ''"
zn up -C "$work/project" --offline

say "zn history -v: every run and every attempt, newest first"
zn history -C "$work/project" -v

say "two of the six audit questions: what failed this week, and why;"
echo "    which op kinds are slowest"
zn-ledger -C "$work/project" audit --table failures
echo
zn-ledger -C "$work/project" audit --table slowest

say "done; the cluster and its files are removed"
