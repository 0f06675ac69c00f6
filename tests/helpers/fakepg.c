/* SPDX-License-Identifier: ISC */
/*
 * fakepg: a stand-in PostgreSQL server that completes the startup
 * handshake, announces a chosen server_version and answers every simple
 * query with success, so tests can check how a client treats servers this
 * machine cannot run (too old, too new, another major version).
 * usage: fakepg SOCKET-PATH VERSION   (serves connections until killed)
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int
readn(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static void
msg(int fd, char type, const void *body, uint32_t len)
{
	uint32_t n = htonl(len + 4);

	if (write(fd, &type, 1) != 1 || write(fd, &n, 4) != 4 ||
	    (len > 0 && write(fd, body, len) != (ssize_t)len))
		return;
}

static void
param(int fd, const char *k, const char *v)
{
	char buf[256];
	size_t kl = strlen(k) + 1, vl = strlen(v) + 1;

	if (kl + vl > sizeof(buf))
		return;
	memcpy(buf, k, kl);
	memcpy(buf + kl, v, vl);
	msg(fd, 'S', buf, (uint32_t)(kl + vl));
}

static void
serve(int fd, const char *version)
{
	uint32_t len, code, zero = 0, key[2] = { htonl(4242), htonl(1) };
	char *rest, c;

	for (;;) {
		if (readn(fd, &len, 4) < 0 || readn(fd, &code, 4) < 0)
			return;
		len = ntohl(len);
		code = ntohl(code);
		if (len < 8 || len > 10000)
			return;
		if (code == 80877103 || code == 80877104) {	/* SSL, GSS */
			if (write(fd, "N", 1) != 1)
				return;
			continue;
		}
		rest = malloc(len - 8 + 1);
		if (rest == NULL || readn(fd, rest, len - 8) < 0) {
			free(rest);
			return;
		}
		free(rest);
		break;
	}
	msg(fd, 'R', &zero, 4);
	param(fd, "server_version", version);
	param(fd, "server_encoding", "UTF8");
	param(fd, "client_encoding", "UTF8");
	param(fd, "standard_conforming_strings", "on");
	param(fd, "integer_datetimes", "on");
	msg(fd, 'K', key, 8);
	msg(fd, 'Z', "I", 1);
	/*
	 * Answer every simple query with success and no rows, so a client
	 * can finish setting up its session; stop at Terminate.
	 */
	while (read(fd, &c, 1) == 1 && c != 'X') {
		if (readn(fd, &len, 4) < 0)
			return;
		len = ntohl(len);
		if (len < 4 || len > 1 << 20)
			return;
		rest = malloc(len - 4 + 1);
		if (rest == NULL || readn(fd, rest, len - 4) < 0) {
			free(rest);
			return;
		}
		free(rest);
		if (c == 'Q') {
			msg(fd, 'C', "SET", 4);
			msg(fd, 'Z', "I", 1);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sa;
	int s, fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: fakepg socket-path version\n");
		return 64;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s, 4) < 0) {
		perror("fakepg");
		return 2;
	}
	for (;;) {
		if ((fd = accept(s, NULL, NULL)) < 0)
			continue;
		serve(fd, argv[2]);
		close(fd);
	}
}
