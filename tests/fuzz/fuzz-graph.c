/* SPDX-License-Identifier: ISC */
/*
 * fuzz-graph: a schema graph (zn-records(5)) as zn-diff reads a stored
 * snapshot, hash checks aside; then the planner both ways between
 * nothing and that graph, and the op stream written out.
 */
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-graph";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_graph g;

	zn_graph_read(&g, zn_fuzz_file("graph.jsonl", data, size));
	zn_fuzz_plans(&g, ZN_DROP_ARCHIVE);
	zn_graph_release(&g);
}
