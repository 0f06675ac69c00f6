/* SPDX-License-Identifier: ISC */
/*
 * fuzz-migration: a migration file in YAML (zn-records(5), MIGRATION
 * FILES) as zn-diff --read, zn-ledger and zn up read one: the YAML
 * reader, the migration reader and zn-apply's check of its ops; then
 * the ops written back as an op stream and as YAML.
 */
#include <stdio.h>
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-migration";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	const char *path = zn_fuzz_file("20260101_000000_fuzz.yaml", data,
	    size);
	struct zn_plan p;
	FILE *fp;

	zn_plan_read(&p, path);
	zn_plan_check(&p, path);
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		zn_plan_write(&p, fp, "20260101_000000_fuzz");
		zn_plan_write_yaml(&p, fp, "20260101_000000_fuzz");
		fclose(fp);
	}
	zn_plan_release(&p);
}
