/* SPDX-License-Identifier: ISC */
/*
 * fuzzmain.c: the libFuzzer entry points shared by the harnesses.
 *
 * The readers end a bad input the way the commands do, with zn_die and
 * an exit status.  In the fuzz build (-DZN_FUZZ) an exit calls
 * zn_fuzz_exit first; here that jumps back to LLVMFuzzerTestOneInput,
 * and what the input left open is released: every allocation, FILE and
 * directory made while it ran and not yet given back.  They are tracked
 * through the linker's --wrap of malloc, free and the rest (the Makefile
 * links libyaml and jansson statically, so their calls are wrapped too).
 * An input that ends normally must give everything back itself, and
 * LeakSanitizer still checks that it did.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "zn.h"
#include "fuzz.h"

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void __real_free(void *);
ssize_t __real_getline(char **, size_t *, FILE *);
ssize_t __real_getdelim(char **, size_t *, int, FILE *);
FILE *__real_fopen(const char *, const char *);
FILE *__real_fdopen(int, const char *);
FILE *__real_fmemopen(void *, size_t, const char *);
FILE *__real_open_memstream(char **, size_t *);
int __real_fclose(FILE *);
DIR *__real_opendir(const char *);
int __real_closedir(DIR *);

void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);
void __wrap_free(void *);
char *__wrap_strdup(const char *);
char *__wrap_strndup(const char *, size_t);
ssize_t __wrap_getline(char **, size_t *, FILE *);
ssize_t __wrap_getdelim(char **, size_t *, int, FILE *);
FILE *__wrap_fopen(const char *, const char *);
FILE *__wrap_fdopen(int, const char *);
FILE *__wrap_fmemopen(void *, size_t, const char *);
FILE *__wrap_open_memstream(char **, size_t *);
int __wrap_fclose(FILE *);
DIR *__wrap_opendir(const char *);
int __wrap_closedir(DIR *);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- what an input holds: an open-addressing set of pointers ---- */

enum held { H_MEM = 1, H_FILE, H_DIR };
struct slot {
	void *p;		/* NULL: empty; &gone: deleted */
	enum held what;
};
static struct slot *set;
static size_t setcap, setn, setused;
static char gone;
static int tracking;

static size_t
hashp(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (size_t)v;
}

static void hold(void *p, enum held what);

static void
grow(void)
{
	struct slot *old = set;
	size_t oldcap = setcap, i;

	setcap = setcap == 0 ? 4096 : setcap * 2;
	set = __real_calloc(setcap, sizeof(*set));
	if (set == NULL)
		abort();
	setn = setused = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].p != NULL && old[i].p != &gone)
			hold(old[i].p, old[i].what);
	__real_free(old);
}

static void
hold(void *p, enum held what)
{
	size_t i;

	if (!tracking || p == NULL)
		return;
	if ((setused + 1) * 2 > setcap)
		grow();
	for (i = hashp(p) & (setcap - 1); set[i].p != NULL;
	    i = (i + 1) & (setcap - 1))
		;
	set[i].p = p;
	set[i].what = what;
	setn++;
	setused++;
}

static void
release(const void *p)
{
	size_t i;

	if (!tracking || p == NULL || setcap == 0)
		return;
	for (i = hashp(p) & (setcap - 1); set[i].p != NULL;
	    i = (i + 1) & (setcap - 1))
		if (set[i].p == p) {
			set[i].p = &gone;
			setn--;
			return;
		}
}

/* Gives back what the input left: FILEs and directories, then memory. */
static void
giveback(void)
{
	size_t i;
	int pass;

	tracking = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < setcap; i++) {
			if (set[i].p == NULL || set[i].p == &gone)
				continue;
			if (pass == 0 && set[i].what == H_FILE)
				__real_fclose(set[i].p);
			else if (pass == 0 && set[i].what == H_DIR)
				__real_closedir(set[i].p);
			else if (pass == 1 && set[i].what == H_MEM)
				__real_free(set[i].p);
		}
}

static void
forget(void)
{
	if (setcap != 0)
		memset(set, 0, setcap * sizeof(*set));
	setn = setused = 0;
}

/* ---- the wrappers ---- */

void *
__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);

	hold(p, H_MEM);
	return p;
}

void *
__wrap_calloc(size_t n, size_t size)
{
	void *p = __real_calloc(n, size);

	hold(p, H_MEM);
	return p;
}

void *
__wrap_realloc(void *old, size_t n)
{
	void *p = __real_realloc(old, n);

	if (p != NULL || n == 0) {
		release(old);
		hold(p, H_MEM);
	}
	return p;
}

void
__wrap_free(void *p)
{
	release(p);
	__real_free(p);
}

char *
__wrap_strdup(const char *s)
{
	return __wrap_strndup(s, strlen(s));
}

char *
__wrap_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = __wrap_malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

ssize_t
__wrap_getdelim(char **line, size_t *cap, int delim, FILE *fp)
{
	ssize_t r;

	release(*line);
	r = __real_getdelim(line, cap, delim, fp);
	hold(*line, H_MEM);
	return r;
}

ssize_t
__wrap_getline(char **line, size_t *cap, FILE *fp)
{
	return __wrap_getdelim(line, cap, '\n', fp);
}

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	FILE *fp = __real_fopen(path, mode);

	hold(fp, H_FILE);
	return fp;
}

FILE *
__wrap_fdopen(int fd, const char *mode)
{
	FILE *fp = __real_fdopen(fd, mode);

	hold(fp, H_FILE);
	return fp;
}

FILE *
__wrap_fmemopen(void *buf, size_t size, const char *mode)
{
	FILE *fp = __real_fmemopen(buf, size, mode);

	hold(fp, H_FILE);
	return fp;
}

FILE *
__wrap_open_memstream(char **buf, size_t *size)
{
	FILE *fp = __real_open_memstream(buf, size);

	hold(fp, H_FILE);
	return fp;
}

int
__wrap_fclose(FILE *fp)
{
	release(fp);
	return __real_fclose(fp);
}

DIR *
__wrap_opendir(const char *path)
{
	DIR *d = __real_opendir(path);

	hold(d, H_DIR);
	return d;
}

int
__wrap_closedir(DIR *d)
{
	release(d);
	return __real_closedir(d);
}

/* ---- the harness's directory and files ---- */

static char *dir;

static void
rmdir_all(void)
{
	DIR *d;
	struct dirent *e;
	char path[4096];

	if (dir == NULL || (d = __real_opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	__real_closedir(d);
	rmdir(dir);
}

const char *
zn_fuzz_dir(void)
{
	return dir;
}

const char *
zn_fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", zn_fuzz_name,
		    path, strerror(errno));
		abort();
	}
	return path;
}

/* ---- what the harnesses share ---- */

static void
plan(const struct zn_graph *from, const struct zn_graph *to, int drop)
{
	struct zn_diff_opts o;
	struct zn_plan p;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.drop = (enum zn_drop_policy)drop;
	zn_diff(&p, from, to, &o);
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		zn_plan_write(&p, fp, NULL);
		fclose(fp);
	}
	zn_plan_release(&p);
}

void
zn_fuzz_plans(const struct zn_graph *g, int drop)
{
	struct zn_graph empty;

	memset(&empty, 0, sizeof(empty));
	zn_graph_finish(&empty);
	plan(&empty, g, drop);
	plan(g, &empty, drop);
	zn_graph_release(&empty);
}

/* ---- libFuzzer ---- */

static jmp_buf back;
static int armed, status;

static void
onexit(int s)
{
	if (!armed)
		return;		/* exit as the command would */
	armed = 0;
	status = s;
	longjmp(back, 1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[4096];

	(void)argc;
	(void)argv;
	zn_init(zn_fuzz_name);
	zn_fuzz_exit = onexit;
	snprintf(tmpl, sizeof(tmpl), "%s/zn-fuzz.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((dir = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		abort();
	}
	dir = __real_malloc(strlen(tmpl) + 1);
	strcpy(dir, tmpl);
	atexit(rmdir_all);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	forget();
	tracking = 1;
	armed = 1;
	if (setjmp(back) == 0) {
		zn_fuzz_one(data, size);
		armed = 0;
		tracking = 0;
	} else {
		/*
		 * An exit: 65 is the one answer a reader gives to bad
		 * input; anything else (2 included: these inputs are small)
		 * is a finding.
		 */
		giveback();
		if (status != ZN_EXIT_DATAERR) {
			fprintf(stderr, "%s: exit status %d\n", zn_fuzz_name,
			    status);
			abort();
		}
	}
	forget();
	return 0;
}
