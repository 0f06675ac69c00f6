/* SPDX-License-Identifier: ISC */
/*
 * path: what a file name says it holds, and the files of a directory in
 * name order.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zn.h"

int
zn_path_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
zn_path_is_yaml(const char *path)
{
	return zn_path_endswith(path, ".yaml") ||
	    zn_path_endswith(path, ".yml");
}

int
zn_path_is_declared(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	return zn_path_endswith(path, ".sql") || zn_path_is_yaml(path);
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
zn_path_list(const char *dir, int (*want)(const char *), size_t *np)
{
	struct dirent *de;
	char **v = zn_xcalloc(1, sizeof(*v));
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'", dir);
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !want(de->d_name))
			continue;
		v = zn_xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = zn_xasprintf("%s/%s", dir, de->d_name);
		v[n] = NULL;
		errno = 0;
	}
	if (errno != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read '%s'", dir);
	closedir(d);
	qsort(v, n, sizeof(*v), cmpname);
	if (np != NULL)
		*np = n;
	return v;
}
