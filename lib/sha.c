/* SPDX-License-Identifier: ISC */
/* sha.c: SHA-256 digests through libcrypto's EVP interface. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "zn.h"

struct zn_sha256 {
	EVP_MD_CTX *ctx;
};

struct zn_sha256 *
zn_sha256_new(void)
{
	struct zn_sha256 *h = zn_xmalloc(sizeof(*h));

	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, EVP_sha256(),
	    NULL) != 1)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot start a SHA-256 digest");
	return h;
}

void
zn_sha256_update(struct zn_sha256 *h, const void *data, size_t n)
{
	if (EVP_DigestUpdate(h->ctx, data, n) != 1)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot update a SHA-256 digest");
}

void
zn_sha256_final(struct zn_sha256 *h, char out[ZN_SHA256_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot finish a SHA-256 digest");
	EVP_MD_CTX_free(h->ctx);
	free(h);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < len; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[7 + 2 * i + 1] = hex[md[i] & 15];
	}
	out[7 + 64] = '\0';
}

void
zn_sha256(const void *data, size_t n, char out[ZN_SHA256_STRLEN])
{
	struct zn_sha256 *h = zn_sha256_new();

	zn_sha256_update(h, data, n);
	zn_sha256_final(h, out);
}
