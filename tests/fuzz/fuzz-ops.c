/* SPDX-License-Identifier: ISC */
/*
 * fuzz-ops: an op stream (zn-records(5)) as zn-classify and zn-apply
 * read one, checksums aside: the stream reader, zn-apply's check of
 * every record before it connects, and zn-classify's offline rules
 * over every op's SQL; then the classified stream written out.
 */
#include <stdio.h>
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-ops";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	const char *path = zn_fuzz_file("plan.jsonl", data, size);
	struct zn_risk_opts o;
	struct zn_plan p;
	FILE *fp;

	zn_plan_read(&p, path);
	zn_plan_check(&p, path);
	zn_risk_opts_init(&o);
	o.max_risk = 35;
	(void)zn_classify(&p, &o);
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		zn_plan_write(&p, fp, NULL);
		fclose(fp);
	}
	zn_plan_release(&p);
}
