/* SPDX-License-Identifier: ISC */
/*
 * fuzz-sqltok: SQL text split as PostgreSQL's scanner splits it (the
 * tokenizer zn-classify and zn-apply read statements with): every
 * token, every identifier unquoted, and the index a statement names;
 * and the same text as a server-rendered expression taken to its fixed
 * point (lib/fixpoint.c), and that again.
 */
#include <stdlib.h>
#include <string.h>

#include "zn.h"
#include "fuzz.h"

const char zn_fuzz_name[] = "fuzz-sqltok";

void
zn_fuzz_one(const uint8_t *data, size_t size)
{
	struct zn_toks ts;
	char *text, *schema = NULL, *name = NULL, *fixed;
	size_t i;
	int create;

	if ((text = malloc(size + 1)) == NULL)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, text);
	for (i = 0; i < ts.n; i++)
		free(zn_tok_ident(&ts.v[i]));
	zn_sql_tokens_release(&ts);
	if (zn_sql_index(text, &schema, &name, &create)) {
		free(schema);
		free(name);
	}
	if ((fixed = zn_sql_fixpoint(text, strlen(text))) != NULL) {
		free(zn_sql_fixpoint(fixed, strlen(fixed)));
		free(fixed);
	}
	free(text);
}
