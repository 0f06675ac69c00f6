/* SPDX-License-Identifier: ISC */
/*
 * fuzz-yaml: a declared schema in YAML (zn-schema(5)) as zn-snapshot
 * --offline reads it: the YAML reader, the checks and the DDL rendering
 * of schema.c, the graph of offline.c; then zn-diff's planner both ways
 * between nothing and that graph, and the op stream written out.
 */
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-yaml";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_graph g;

	zn_graph_from_offline(&g, zn_fuzz_file("schema.yaml", data, size));
	zn_fuzz_plans(&g, ZN_DROP_SOFT);
	zn_graph_release(&g);
}
