/* SPDX-License-Identifier: ISC */
/*
 * fuzz-yaml: a declared schema in YAML (zn-schema(5)) as zn-snapshot
 * --offline reads it: the YAML reader, the checks and the DDL rendering
 * of schema.c, the graph of offline.c; then zn-diff's planner both ways
 * between nothing and that graph, and the op stream written out.
 */
#include <stdio.h>
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-yaml";

static void
plan(const struct zn_graph *from, const struct zn_graph *to)
{
	struct zn_diff_opts o;
	struct zn_plan p;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.drop = ZN_DROP_SOFT;
	zn_diff(&p, from, to, &o);
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		zn_plan_write(&p, fp, NULL);
		fclose(fp);
	}
	zn_plan_release(&p);
}

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_graph g, empty;

	zn_graph_from_offline(&g, zn_fuzz_file("schema.yaml", data, size));
	memset(&empty, 0, sizeof(empty));
	zn_graph_finish(&empty);
	plan(&empty, &g);
	plan(&g, &empty);
	zn_graph_release(&g);
	zn_graph_release(&empty);
}
