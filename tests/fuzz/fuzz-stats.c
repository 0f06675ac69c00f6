/* SPDX-License-Identifier: ISC */
/*
 * fuzz-stats: zn-classify --stats FILE, the CSV of table sizes
 * (schema,table,rows,bytes), read and used to classify a fixed plan
 * whose ops touch tables the file may name.
 */
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-stats";

/* Written by zn-diff of two small declarations; checked as it is read. */
static const char stream[] =
#include "stats-plan.inc"
    ;

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_risk_opts o;
	struct zn_plan p;
	const char *path;
	char plan[4096];

	path = zn_fuzz_file("plan.jsonl", (const uint8_t *)stream,
	    sizeof(stream) - 1);
	strcpy(plan, path);
	zn_plan_read(&p, plan);
	zn_risk_opts_init(&o);
	o.stats_path = zn_fuzz_file("stats.csv", data, size);
	(void)zn_classify(&p, &o);
	zn_plan_release(&p);
}
