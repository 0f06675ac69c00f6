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

void
zn_out_open(struct zn_out *o, const char *path)
{
	struct stat st;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = zn_xstrdup(path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(path, "w")) == NULL)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'",
			    path);
		return;
	}
	o->tmp = zn_xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(o->tmp)) < 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot create '%s'",
		    o->tmp);
	/* mkstemp makes the file 0600; give it the mode open(2) would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		unlink(o->tmp);
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'",
		    o->tmp);
	}
}

void
zn_out_commit(struct zn_out *o)
{
	int bad;

	bad = fflush(o->fp) != 0 || ferror(o->fp);
	if (!bad && o->tmp != NULL)
		bad = fsync(fileno(o->fp)) != 0;
	bad |= fclose(o->fp) != 0;
	if (bad) {
		if (o->tmp != NULL)
			unlink(o->tmp);
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'",
		    o->tmp != NULL ? o->tmp : o->path);
	}
	if (o->tmp != NULL && rename(o->tmp, o->path) != 0) {
		unlink(o->tmp);
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot replace '%s'",
		    o->path);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}
