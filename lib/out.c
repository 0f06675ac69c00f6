/* SPDX-License-Identifier: ISC */
/*
 * out.c: writing a whole file.  A regular file (or a new one) is written
 * to a temporary file in the same directory, flushed to disk and renamed
 * into place, so readers never see half of it and a failure leaves the
 * old one.  Anything else (/dev/null, a FIFO, a terminal) is written in
 * place: renaming over a device would replace the device.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zn.h"

/*
 * The temporary file being written, removed when the program ends
 * before zn_out_commit: on an error (atexit) and on a signal.  One at a
 * time.
 */
static char live_tmp[4096];
static int hooked;
/* What the file being written is called, for messages; and its stream. */
static const char *live_path;
static FILE *live_fp;

void
zn_die_write(FILE *fp)
{
	if (fp == live_fp && live_path != NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'",
		    live_path);
	if (fp == stdout)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "write error on standard "
		    "output");
	zn_die_errno(ZN_EXIT_UNAVAILABLE, "write error");
}

static void
droptmp(void)
{
	if (live_tmp[0] != '\0')
		(void)unlink(live_tmp);
	live_tmp[0] = '\0';
}

void
zn_out_open(struct zn_out *o, const char *path)
{
	struct stat st;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = zn_xstrdup(path);
	live_path = o->path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(path, "w")) == NULL)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'",
			    path);
		live_fp = o->fp;
		return;
	}
	o->tmp = zn_xasprintf("%s.tmpXXXXXX", path);
	if (strlen(o->tmp) >= sizeof(live_tmp))
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot write '%s': the name is "
		    "too long", path);
	if (!hooked++) {
		zn_atsignal(droptmp);
		atexit(droptmp);
	}
	if ((fd = mkstemp(o->tmp)) < 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
	memcpy(live_tmp, o->tmp, strlen(o->tmp) + 1);
	/* mkstemp makes the file 0600; give it the mode open(2) would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 ||
	    (o->fp = fdopen(fd, "w")) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
	live_fp = o->fp;
}

void
zn_out_commit(struct zn_out *o)
{
	int bad;

	bad = fflush(o->fp) != 0 || ferror(o->fp);
	if (!bad && o->tmp != NULL)
		bad = fsync(fileno(o->fp)) != 0;
	bad |= fclose(o->fp) != 0;
	/* Dying removes the temporary file (droptmp). */
	if (bad)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'",
		    o->path);
	if (o->tmp != NULL && rename(o->tmp, o->path) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot replace '%s'",
		    o->path);
	live_tmp[0] = '\0';
	live_path = NULL;
	live_fp = NULL;
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
