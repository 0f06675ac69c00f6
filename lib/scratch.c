/* SPDX-License-Identifier: ISC */
/*
 * scratch.c: a scratch database to materialise declared schemas in.
 * Either a database created for the purpose on a server the user names
 * (a URL), or an ephemeral local cluster: initdb in a temporary
 * directory, a server on a Unix socket in it and nothing else, removed
 * afterwards whatever happens: on success, on an error (atexit), and on
 * SIGINT, SIGTERM and SIGHUP (a handler that uses only async-signal-safe
 * calls).  As root, the cluster runs as an unprivileged user, since
 * initdb and postgres refuse root.
 *
 * initdb is most of the cost of an ephemeral cluster (over a second of
 * CPU), so its output is kept once per set of server binaries in the
 * user's cache directory (ZN_SCRATCH_CACHE, else $XDG_CACHE_HOME/zanith,
 * else ~/.cache/zanith) and later clusters start from a copy of it.  The
 * copy is made in a private directory and renamed into place, so a
 * half-written template is never used; a template the server cannot
 * start from is removed and initdb runs again.  ZN_SCRATCH_CACHE=off
 * turns it off.
 *
 * Dropping root needs setgroups(2), which POSIX does not have: this file
 * asks for the system's default interface instead of POSIX alone
 * (_DEFAULT_SOURCE on glibc; the BSDs and macOS show it by default).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"

/*
 * What the signal handler and atexit must undo, in plain static storage
 * the handler may read: the server's pid, a child being waited for
 * (initdb), and the directory to remove.
 */
static volatile pid_t live_server = -1;
static volatile pid_t live_child = -1;
static char live_dir[4096];
static char live_tmpl[4096];	/* a template being written to the cache */
static int hooks_installed;
/* A scratch database on a URL's server, to drop at exit. */
static char *live_url, *live_db;

/* Removes a directory tree with async-signal-safe calls only. */
static void
rmdir_safe(char *dir)
{
	pid_t pid;
	int st;

	if (dir[0] == '\0')
		return;
	pid = fork();
	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	dir[0] = '\0';
}

static void
rmtree_safe(void)
{
	rmdir_safe(live_tmpl);
	rmdir_safe(live_dir);
}

static void
stop_server_safe(void)
{
	int st;
	pid_t pid;

	if ((pid = live_child) > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		live_child = -1;
	}
	if ((pid = live_server) > 0) {
		/* SIGQUIT: immediate shutdown, no checkpoint. */
		kill(pid, SIGQUIT);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		live_server = -1;
	}
}

static void
onsignal(void)
{
	stop_server_safe();
	rmtree_safe();
}

/*
 * Drops a URL's scratch database, best effort: at exit nothing may die.
 * FORCE (PostgreSQL 13 and later) ends a connection a failed run left.
 */
static void
dropurl(void)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { live_url, zn_progname, NULL };
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_pgres x;
	PGconn *conn;

	if (live_url == NULL || live_db == NULL)
		return;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK) {
		zn_buf_adds(&b, "DROP DATABASE IF EXISTS ");
		zn_pg_ident(&b, live_db);
		if (PQserverVersion(conn) >= 130000)
			zn_buf_adds(&b, " WITH (FORCE)");
		(void)zn_pg_try_script(conn, &x, b.buf);
		zn_pgres_clear(&x);
		zn_buf_release(&b);
	}
	PQfinish(conn);
	free(live_url);
	free(live_db);
	live_url = live_db = NULL;
}

static void
onexit(void)
{
	stop_server_safe();
	rmtree_safe();
	dropurl();
}

static void
installhooks(void)
{
	if (hooks_installed++)
		return;
	zn_atsignal(onsignal);
	atexit(onexit);
}

static int
isexec(const char *dir, const char *prog)
{
	char *p = zn_xasprintf("%s/%s", dir, prog);
	int ok = access(p, X_OK) == 0;

	free(p);
	return ok;
}

static int
usable(const char *dir)
{
	return dir != NULL && *dir != '\0' && isexec(dir, "initdb") &&
	    isexec(dir, "postgres");
}

/* The major version a bin directory's postgres reports, or 0. */
static int
binmajor(const char *dir)
{
	char *cmd = zn_xasprintf("'%s/postgres' --version 2>/dev/null", dir);
	char line[256];
	const char *p;
	FILE *fp;
	int major = 0;

	if (strchr(dir, '\'') == NULL && (fp = popen(cmd, "r")) != NULL) {
		if (fgets(line, sizeof(line), fp) != NULL &&
		    (p = strpbrk(line, "0123456789")) != NULL)
			major = atoi(p);
		pclose(fp);
	}
	free(cmd);
	return major;
}

static char *
pgconfig_bindir(void)
{
	char line[4096];
	FILE *fp;

	if ((fp = popen("pg_config --bindir 2>/dev/null", "r")) == NULL)
		return NULL;
	if (fgets(line, sizeof(line), fp) == NULL) {
		pclose(fp);
		return NULL;
	}
	pclose(fp);
	line[strcspn(line, "\n")] = '\0';
	return zn_xstrdup(line);
}

static char *
path_bindir(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (path == NULL)
		return NULL;
	copy = zn_xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir != NULL && found == NULL;
	    dir = strtok_r(NULL, ":", &save))
		if (usable(dir))
			found = zn_xstrdup(dir);
	free(copy);
	return found;
}

char *
zn_scratch_bindir(int major)
{
	const char *env = getenv("ZN_PG_BINDIR");
	char *dir, *best = NULL, *cand;
	int bestv = -1, v;
	glob_t g;
	size_t i;

	if (env != NULL && *env != '\0')
		return usable(env) && (major == 0 || binmajor(env) == major) ?
		    zn_xstrdup(env) : NULL;
	/*
	 * The major wanted where Debian keeps it: no pg_config to ask (its
	 * wrapper is a shell script) and no version to read.
	 */
	if (major > 0) {
		dir = zn_xasprintf("/usr/lib/postgresql/%d/bin", major);
		if (usable(dir))
			return dir;
		free(dir);
	}
	if ((dir = pgconfig_bindir()) != NULL) {
		if (usable(dir) && (major == 0 || binmajor(dir) == major))
			return dir;
		free(dir);
	}
	if ((dir = path_bindir()) != NULL) {
		if (major == 0 || binmajor(dir) == major)
			return dir;
		free(dir);
	}
	/* Debian keeps each major apart: take the wanted, else the newest. */
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			cand = g.gl_pathv[i];
			if (!usable(cand))
				continue;
			v = atoi(cand + strlen("/usr/lib/postgresql/"));
			if ((major == 0 && v > bestv) || v == major) {
				free(best);
				best = zn_xstrdup(cand);
				bestv = v;
			}
		}
		globfree(&g);
	}
	if (best != NULL && major != 0 && bestv != major) {
		free(best);
		best = NULL;
	}
	return best;
}

/* The user to run the cluster as when we are root. */
static struct passwd *
runas(void)
{
	const char *name = getenv("ZN_PGTMP_USER");
	struct passwd *pw;

	if (geteuid() != 0)
		return NULL;
	if (name == NULL || *name == '\0')
		name = "postgres";
	if ((pw = getpwnam(name)) == NULL || pw->pw_uid == 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "running as root, and there is no "
		    "unprivileged user '%s' to run the scratch server as "
		    "(set ZN_PGTMP_USER)", name);
	return pw;
}

/*
 * Starts argv as a child in its own process group, as pw when given,
 * with stdout and stderr in log.  Returns its pid.
 */
static pid_t
spawn(char *const argv[], const struct passwd *pw, const char *log)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot start '%s'", argv[0]);
	if (pid > 0)
		return pid;
	setpgid(0, 0);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (pw != NULL && (setgroups(0, NULL) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0))
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/* The last lines of a log, for a message. */
static char *
logtail(const char *path)
{
	struct zn_buf b = ZN_BUF_INIT;
	char chunk[4096], *p;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return zn_xstrdup("(no log)");
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		zn_buf_add(&b, chunk, n);
	fclose(fp);
	while (b.len > 0 && b.buf[b.len - 1] == '\n')
		b.buf[--b.len] = '\0';
	p = strrchr(b.buf, '\n');
	p = zn_xstrdup(p != NULL ? p + 1 : b.buf);
	zn_buf_release(&b);
	return p;
}

/*
 * Can user pw reach into dir?  Every directory on the way must let it
 * search: as its owner, its group, or anyone.
 */
static int
traversable(const char *dir, const struct passwd *pw)
{
	char *path = zn_xstrdup(dir), *p;
	struct stat st;
	int ok = 1;

	for (p = path + strlen(path); ok && p > path; ) {
		if (stat(path, &st) != 0)
			ok = 0;
		else if (st.st_uid == pw->pw_uid)
			ok = (st.st_mode & S_IXUSR) != 0;
		else if (st.st_gid == pw->pw_gid)
			ok = (st.st_mode & S_IXGRP) != 0;
		else
			ok = (st.st_mode & S_IXOTH) != 0;
		while (p > path && *p != '/')
			p--;
		*p = '\0';
	}
	free(path);
	return ok;
}

/* Where to make the cluster's directory: short, and reachable by pw. */
static const char *
tmpbase(const struct passwd *pw)
{
	const char *tmp = getenv("TMPDIR");

	/* A Unix socket path has room for about 107 bytes. */
	if (tmp == NULL || *tmp != '/' || strlen(tmp) >= 40)
		return "/tmp";
	if (pw != NULL && !traversable(tmp, pw))
		return "/tmp";
	return tmp;
}

static void
appendconf(const char *path, const char *dir)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
	fprintf(fp, "listen_addresses = ''\n"
	    "unix_socket_directories = '%s'\n"
	    "port = 5432\n"
	    "fsync = off\n"
	    "synchronous_commit = off\n"
	    "full_page_writes = off\n"
	    "max_connections = 20\n"
	    "shared_buffers = 32MB\n"
	    /* A declaration is applied in one transaction, which
	     * locks every object it creates. */
	    "max_locks_per_transaction = 4096\n"
	    /* It lives for seconds; nothing to vacuum. */
	    "autovacuum = off\n"
	    "log_min_messages = warning\n", dir);
	if (fclose(fp) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
}

/*
 * The template cache.  Nothing here dies but for memory: any trouble
 * with the cache only means initdb runs.
 */

/* Removes a tree this program made (regular files and directories). */
static void
rmtree(const char *path)
{
	struct dirent *e;
	struct stat st;
	char *p;
	DIR *d;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			p = zn_xasprintf("%s/%s", path, e->d_name);
			rmtree(p);
			free(p);
		}
		closedir(d);
		(void)rmdir(path);
	} else
		(void)unlink(path);
}

static int
copyfile(const char *src, const char *dst, mode_t mode,
    const struct passwd *pw)
{
	static char buf[65536];
	ssize_t n, w, off;
	int in, out, ok = 1;

	if ((in = open(src, O_RDONLY)) < 0)
		return -1;
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL, mode & 0700)) < 0) {
		close(in);
		return -1;
	}
	if (pw != NULL && fchown(out, pw->pw_uid, pw->pw_gid) != 0)
		ok = 0;
	while (ok) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		for (off = 0; ok && off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0) {
				if (errno != EINTR)
					ok = 0;
				w = 0;
			}
	}
	close(in);
	if (close(out) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/*
 * Copies the tree src to dst, which must not exist, as pw's when given.
 * Only directories and regular files: initdb makes nothing else.
 */
static int
copytree(const char *src, const char *dst, const struct passwd *pw)
{
	struct dirent *e;
	struct stat st;
	char *s, *t;
	int ok = 1;
	DIR *d;

	if (mkdir(dst, 0700) != 0)
		return -1;
	if (pw != NULL && chown(dst, pw->pw_uid, pw->pw_gid) != 0)
		return -1;
	if ((d = opendir(src)) == NULL)
		return -1;
	while (ok && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		s = zn_xasprintf("%s/%s", src, e->d_name);
		t = zn_xasprintf("%s/%s", dst, e->d_name);
		if (lstat(s, &st) != 0)
			ok = 0;
		else if (S_ISDIR(st.st_mode))
			ok = copytree(s, t, pw) == 0;
		else if (S_ISREG(st.st_mode))
			ok = copyfile(s, t, st.st_mode, pw) == 0;
		else
			ok = 0;
		free(s);
		free(t);
	}
	closedir(d);
	return ok ? 0 : -1;
}

/* mkdir -p with mode 0700 for what it makes. */
static int
mkdirs(const char *path)
{
	char *p = zn_xstrdup(path), *q;
	int ok = 1;

	for (q = p + 1; ok && *q != '\0'; q++)
		if (*q == '/') {
			*q = '\0';
			ok = mkdir(p, 0700) == 0 || errno == EEXIST;
			*q = '/';
		}
	if (ok)
		ok = mkdir(p, 0700) == 0 || errno == EEXIST;
	free(p);
	return ok ? 0 : -1;
}

static void
fnv(unsigned long long *h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0) {
		*h ^= *c++;
		*h *= 1099511628211ULL;
	}
}

/*
 * Where the template for these binaries lives, or NULL for no cache.
 * The name changes with how initdb is run here and with the binaries
 * (their path, and initdb's and postgres's inode, size and time), so
 * an upgrade never meets an old template.  *base gets the cache dir.
 */
static char *
tmplpath(const char *bindir, char **base)
{
	static const char how[] = "initdb -A trust -U postgres --no-sync "
	    "-E UTF8 --locale=C --wal-segsize=1; zanith template 2";
	static const char *const progs[] = { "initdb", "postgres" };
	const char *env = getenv("ZN_SCRATCH_CACHE"), *v;
	unsigned long long h = 14695981039346656037ULL;
	struct stat st;
	long long f[4];
	char *p;
	size_t i;

	*base = NULL;
	if (env != NULL && *env != '\0') {
		if (*env != '/')	/* "off", or not a place */
			return NULL;
		*base = zn_xstrdup(env);
	} else if ((v = getenv("XDG_CACHE_HOME")) != NULL && *v == '/')
		*base = zn_xasprintf("%s/zanith", v);
	else if ((v = getenv("HOME")) != NULL && *v == '/')
		*base = zn_xasprintf("%s/.cache/zanith", v);
	else
		return NULL;
	fnv(&h, how, sizeof(how));
	fnv(&h, bindir, strlen(bindir) + 1);
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		p = zn_xasprintf("%s/%s", bindir, progs[i]);
		if (stat(p, &st) != 0) {
			free(p);
			free(*base);
			*base = NULL;
			return NULL;
		}
		free(p);
		f[0] = (long long)st.st_ino;
		f[1] = (long long)st.st_size;
		f[2] = (long long)st.st_mtime;
		f[3] = (long long)st.st_ctime;
		fnv(&h, f, sizeof(f));
	}
	return zn_xasprintf("%s/initdb-%016llx", *base, h);
}

/* A copy of the template at data, as pw's; 0 on success. */
static int
fromtmpl(const char *tmpl, const char *data, const struct passwd *pw)
{
	char *v = zn_xasprintf("%s/PG_VERSION", tmpl);
	struct stat st;
	int ok = stat(v, &st) == 0;

	free(v);
	if (ok && copytree(tmpl, data, pw) == 0)
		return 0;
	rmtree(data);
	return -1;
}

/*
 * Keeps a copy of initdb's output at tmpl: written in a private
 * directory beside it, then renamed into place, so no one ever starts
 * from half a template.  Another run that got there first wins.
 */
static void
savetmpl(const char *data, const char *tmpl, const char *base)
{
	char *tmp, *dst;

	if (mkdirs(base) != 0)
		return;
	tmp = zn_xasprintf("%s/.initdb-XXXXXX", base);
	if (strlen(tmp) >= sizeof(live_tmpl) || mkdtemp(tmp) == NULL) {
		free(tmp);
		return;
	}
	memcpy(live_tmpl, tmp, strlen(tmp) + 1);
	dst = zn_xasprintf("%s/data", tmp);
	if (copytree(data, dst, NULL) == 0)
		(void)rename(dst, tmpl);
	rmtree(tmp);
	live_tmpl[0] = '\0';
	free(dst);
	free(tmp);
}

static void
initcluster(const char *bindir, const char *data, const char *log,
    const struct passwd *pw)
{
	char *initdb = zn_xasprintf("%s/initdb", bindir);
	/* 1 MB WAL segments: a template of 24 MB to copy, not 39. */
	char *argv[] = { initdb, "-A", "trust", "-U", "postgres",
	    "--no-sync", "-E", "UTF8", "--locale=C", "--wal-segsize=1", "-D",
	    (char *)data, NULL };
	pid_t pid;
	int st;

	live_child = pid = spawn(argv, pw, log);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "initdb");
	live_child = -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char *t = logtail(log);

		zn_die(ZN_EXIT_UNAVAILABLE, "initdb failed for the "
		    "scratch cluster: %s", t);
	}
	free(initdb);
}

/*
 * Starts the server on data and waits until it takes connections.
 * Returns 0, or -1 with *why (the log's last line) when it died.
 */
static int
startserver(struct zn_scratch *s, const char *bindir, const char *data,
    const char *log, const struct passwd *pw, char **why)
{
	char *postgres = zn_xasprintf("%s/postgres", bindir);
	char *argv[] = { postgres, "-D", (char *)data, NULL };
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int st, i;

	live_server = s->pid = spawn(argv, pw, log);
	free(postgres);
	for (i = 0; i < 600; i++) {
		if (PQping(s->conninfo) == PQPING_OK)
			return 0;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			live_server = s->pid = -1;
			*why = logtail(log);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	zn_die(ZN_EXIT_UNAVAILABLE, "the scratch server did not accept "
	    "connections within 30 seconds");
}

static void
startlocal(struct zn_scratch *s, int major)
{
	char *bindir, *data, *log, *conf, *tmpl, *base, *why = NULL;
	struct passwd *pw;
	int cached, broken;

	bindir = zn_scratch_bindir(major);
	if (bindir == NULL) {
		if (major != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "no PostgreSQL %d server "
			    "binaries for a scratch cluster (install them, "
			    "set ZN_PG_BINDIR, or give --scratch-url)", major);
		zn_die(ZN_EXIT_UNAVAILABLE, "no PostgreSQL server binaries "
		    "for a scratch cluster (install them, set ZN_PG_BINDIR, "
		    "or give --scratch-url)");
	}
	pw = runas();
	installhooks();
	s->dir = zn_xasprintf("%s/zn-scratch.XXXXXX", tmpbase(pw));
	if (mkdtemp(s->dir) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot create '%s'", s->dir);
	if (strlen(s->dir) >= sizeof(live_dir))
		zn_die(ZN_EXIT_UNAVAILABLE, "'%s' is too long", s->dir);
	memcpy(live_dir, s->dir, strlen(s->dir) + 1);
	if (pw != NULL && chown(s->dir, pw->pw_uid, pw->pw_gid) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot hand '%s' to '%s'",
		    s->dir, pw->pw_name);

	data = zn_xasprintf("%s/data", s->dir);
	log = zn_xasprintf("%s/server.log", s->dir);
	conf = zn_xasprintf("%s/postgresql.conf", data);
	s->conninfo = zn_xasprintf("host=%s port=5432 user=postgres "
	    "dbname=postgres", s->dir);
	tmpl = tmplpath(bindir, &base);
	for (broken = 0;; broken = 1) {
		cached = tmpl != NULL && !broken &&
		    fromtmpl(tmpl, data, pw) == 0;
		if (!cached) {
			initcluster(bindir, data, log, pw);
			if (tmpl != NULL)
				savetmpl(data, tmpl, base);
		}
		appendconf(conf, s->dir);
		if (startserver(s, bindir, data, log, pw, &why) == 0)
			break;
		if (!cached)
			zn_die(ZN_EXIT_UNAVAILABLE, "the scratch server did "
			    "not start: %s", why);
		/* A template the server cannot start from is made again. */
		free(why);
		why = NULL;
		rmtree(tmpl);
		rmtree(data);
	}
	free(tmpl);
	free(base);
	free(bindir);
	free(data);
	free(log);
	free(conf);
}

static const char *dbprefix = "zn_scratch";

void
zn_scratch_prefix(const char *prefix)
{
	dbprefix = prefix;
}

/* A fresh database on a server the user named, dropped at the end. */
static void
starturl(struct zn_scratch *s, const char *url, int major)
{
	struct zn_buf b = ZN_BUF_INIT;
	PGconn *conn = zn_pg_connect(url);
	int have = PQserverVersion(conn) / 10000;

	if (major != 0 && have != major) {
		PQfinish(conn);
		zn_die(ZN_EXIT_UNAVAILABLE, "the scratch server runs PostgreSQL "
		    "%d and the database %d: both sides of a comparison must "
		    "be rendered by the same major version", have, major);
	}

	s->url = zn_xstrdup(url);
	s->dbname = zn_xasprintf("%s_%ld_%ld", dbprefix, (long)getpid(),
	    (long)time(NULL));
	zn_buf_adds(&b, "CREATE DATABASE ");
	zn_pg_ident(&b, s->dbname);
	zn_buf_adds(&b, " TEMPLATE template0 ENCODING 'UTF8'");
	zn_pg_cmd(conn, "create a scratch database", b.buf);
	zn_buf_release(&b);
	PQfinish(conn);
	/* From here on, exit drops it whatever happens. */
	installhooks();
	live_url = zn_xstrdup(url);
	live_db = zn_xstrdup(s->dbname);
}

void
zn_scratch_start(struct zn_scratch *s, const char *url, int major)
{
	memset(s, 0, sizeof(*s));
	s->pid = -1;
	if (url != NULL)
		starturl(s, url, major);
	else
		startlocal(s, major);
}

PGconn *
zn_scratch_connect(const struct zn_scratch *s)
{
	if (s->url != NULL)
		return zn_pg_connect_db(s->url, s->dbname);
	return zn_pg_connect_db(s->conninfo, s->dbname);
}

PGconn *
zn_scratch_newdb(struct zn_scratch *s, const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;
	PGconn *conn;

	if (s->url != NULL)
		return zn_scratch_connect(s);
	conn = zn_pg_connect(s->conninfo);
	zn_buf_adds(&b, "CREATE DATABASE ");
	zn_pg_ident(&b, name);
	zn_buf_adds(&b, " TEMPLATE template0 ENCODING 'UTF8'");
	/*
	 * PostgreSQL 15 copies a template through the WAL by default; in a
	 * cluster of our own with nothing else in it the two checkpoints of
	 * a file copy cost nothing and the copy a third of the time.
	 */
	if (PQserverVersion(conn) >= 150000)
		zn_buf_adds(&b, " STRATEGY = FILE_COPY");
	zn_pg_cmd(conn, "create a scratch database", b.buf);
	zn_buf_release(&b);
	PQfinish(conn);
	free(s->dbname);
	s->dbname = zn_xstrdup(name);
	return zn_scratch_connect(s);
}

/* What s holds, let go. */
static void
forget(struct zn_scratch *s)
{
	free(s->url);
	free(s->dbname);
	free(s->dir);
	free(s->conninfo);
	memset(s, 0, sizeof(*s));
	s->pid = -1;
}

void
zn_scratch_stop(struct zn_scratch *s)
{
	struct zn_buf b = ZN_BUF_INIT;
	PGconn *conn;

	if (s->url != NULL) {
		conn = zn_pg_connect(s->url);
		zn_buf_adds(&b, "DROP DATABASE IF EXISTS ");
		zn_pg_ident(&b, s->dbname);
		zn_pg_cmd(conn, "drop the scratch database", b.buf);
		zn_buf_release(&b);
		PQfinish(conn);
		free(live_url);
		free(live_db);
		live_url = live_db = NULL;
	} else {
		stop_server_safe();
		rmtree_safe();
	}
	forget(s);
}

void
zn_scratch_keep(struct zn_scratch *s)
{
	/* Nothing is undone at exit, by a signal or by zn_scratch_stop. */
	live_server = -1;
	live_dir[0] = '\0';
	free(live_url);
	free(live_db);
	live_url = live_db = NULL;
	forget(s);
}
