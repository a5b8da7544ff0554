/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * One line per event on stderr, which lands in the web server's error log
 * when the server spawned us. While a request is served every line carries
 * its id and client address, so that the lines of one request can be found
 * together. Messages often quote request data (a user name, a path), so
 * whatever could end a line or disguise one is escaped as \xNN: ASCII
 * control bytes, '\', bytes that are not well-formed UTF-8, and the
 * Unicode line separators, C1 controls and direction overrides that some
 * log viewers act on. A client must not be able to forge a line.
 * Callers never pass passwords, session ids, tokens or cookies.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"

#define LOG_LINE_MAX	1024	/* longer messages are cut, marked "..." */

static void	 vlog(enum log_level, const char *, const char *, va_list)
		    GH_PRINTF(3, 0);
static int	 unsafe(uint32_t);

static const char *const level_names[LOG_LEVEL__MAX] = {
	"error",	/* LOG_LEVEL_ERROR */
	"warn",		/* LOG_LEVEL_WARN */
	"info",		/* LOG_LEVEL_INFO */
	"debug",	/* LOG_LEVEL_DEBUG */
};

static const char	*progname = "gatehouse";
static enum log_level	 max_level = LOG_LEVEL_INFO;
static unsigned long	 request_count;
static char		 request_addr[46];	/* of the request being served */
static int		 in_request;
static pid_t		 pid;		/* ours; a syscall otherwise */

void
log_init(const char *name, enum log_level level)
{
	progname = name;
	max_level = level;
}

void
log_set_level(enum log_level level)
{
	max_level = level;
}

/* Map a level's name ("warn", ...) to its value. Returns 0 or -1. */
int
log_level_parse(const char *s, enum log_level *level)
{
	int	 i;

	for (i = 0; i < LOG_LEVEL__MAX; i++)
		if (strcmp(s, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	return -1;
}

/*
 * Start tagging lines with a new request id and the client's address.
 * The id is the process id and a counter: unique across the workers of
 * one server without any shared state. The tag is only formatted when a
 * line is written: most requests log nothing.
 */
void
log_request_begin(const char *addr)
{
	size_t	 len = addr == NULL ? 0 : strlen(addr);

	request_count++;
	in_request = 1;
	/*
	 * Written into every line's prefix, which is not escaped: take only
	 * what an IPv4 or IPv6 address is made of (a server that copies
	 * X-Forwarded-For here would otherwise let a client write lines).
	 */
	if (len == 0 || len >= sizeof(request_addr) ||
	    addr[strspn(addr, "0123456789abcdefABCDEF.:")] != '\0') {
		addr = "-";
		len = 1;
	}
	memcpy(request_addr, addr, len + 1);
}

void
log_request_end(void)
{
	in_request = 0;
}

/* Code points a log viewer may take for a line break or a reordering. */
static int
unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || cp == '\\' ||
	    (cp >= 0x80 && cp <= 0x9f) ||		/* C1, NEL among them */
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) ||	/* LS, PS, embeddings */
	    (cp >= 0x2066 && cp <= 0x2069) ||	/* isolates */
	    cp == 0xfeff;
}

/*
 * Format one line, escape what is not printable, and write it with a
 * single call so that lines of concurrent workers do not interleave.
 */
static void
vlog(enum log_level level, const char *suffix, const char *fmt, va_list ap)
{
	char		 msg[LOG_LINE_MAX], line[LOG_LINE_MAX * 4 + 256];
	size_t		 i, o, k, n, len;
	uint32_t	 cp;
	int		 saved_errno = errno, w;

	if (level > max_level) {
		errno = saved_errno;
		return;
	}

	w = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (w >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);

	if (pid == 0)
		pid = getpid();
	if (in_request)
		w = snprintf(line, sizeof(line), "%s[%ld]: %s: req=%lx-%lu "
		    "addr=%s ", progname, (long)pid, level_names[level],
		    (unsigned long)pid, request_count, request_addr);
	else
		w = snprintf(line, sizeof(line), "%s[%ld]: %s: ", progname,
		    (long)pid, level_names[level]);
	o = w < 0 ? 0 : (size_t)w;
	len = strlen(msg);
	for (i = 0; i < len && o + 4 * 4 + 1 < sizeof(line); i += n) {
		if ((n = utf8_next(msg + i, len - i, &cp)) != 0 &&
		    !unsafe(cp)) {
			memcpy(line + o, msg + i, n);
			o += n;
			continue;
		}
		if (n == 0)
			n = 1;
		for (k = 0; k < n; k++)
			o += (size_t)snprintf(line + o, 5, "\\x%02x",
			    (unsigned char)msg[i + k]);
	}
	if (suffix != NULL)
		o += (size_t)snprintf(line + o, sizeof(line) - o - 1, ": %s",
		    suffix);
	if (o > sizeof(line) - 2)
		o = sizeof(line) - 2;
	line[o++] = '\n';

	(void)!write(STDERR_FILENO, line, o);
	errno = saved_errno;
}

/* Log a failed system call: the message, then strerror(errno). */
void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	char	 reason[128];

	snprintf(reason, sizeof(reason), "%s", strerror(errno));
	va_start(ap, fmt);
	vlog(LOG_LEVEL_WARN, reason, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_WARN, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

/* Only for start-up: the program cannot go on. */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	 reason[128];

	snprintf(reason, sizeof(reason), "%s", strerror(errno));
	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, reason, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
