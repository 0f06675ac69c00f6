/* SPDX-License-Identifier: ISC */
/*
 * fuzz-config: zanith.yaml as every command reads it with -C DIR: the
 * YAML reader, the keys and their values (durations, sizes, gates,
 * environments), and the paths it names.
 */
#include <stdlib.h>
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-config";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_config c;

	(void)zn_fuzz_file("zanith.yaml", data, size);
	zn_config_load(&c, zn_fuzz_dir());
	free(zn_config_path(&c, c.migrations));
	free(zn_config_path(&c, c.schema));
	zn_config_release(&c);
}
