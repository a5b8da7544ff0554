/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * One line per event on stderr, which lands in the web server's error log
 * when the server spawned us. While a request is served every line carries
 * its id and client address, so that the lines of one request can be found
 * together. Messages often quote request data (a user name, a path), so
 * control bytes are escaped: a client must not be able to forge a line.
 * Callers never pass passwords, session ids, tokens or cookies.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"

#define LOG_LINE_MAX	1024	/* longer messages are cut, marked "..." */

static void	 vlog(enum log_level, const char *, const char *, va_list)
		    GH_PRINTF(3, 0);

static const char *const level_names[LOG_LEVEL__MAX] = {
	"error",	/* LOG_LEVEL_ERROR */
	"warn",		/* LOG_LEVEL_WARN */
	"info",		/* LOG_LEVEL_INFO */
	"debug",	/* LOG_LEVEL_DEBUG */
};

static const char	*progname = "gatehouse";
static enum log_level	 max_level = LOG_LEVEL_INFO;
static unsigned long	 request_count;
static char		 request_tag[96];	/* "" outside a request */

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
 * one server without any shared state.
 */
void
log_request_begin(const char *addr)
{
	request_count++;
	snprintf(request_tag, sizeof(request_tag), " req=%lx-%lu addr=%.45s",
	    (unsigned long)getpid(), request_count,
	    addr == NULL || *addr == '\0' ? "-" : addr);
}

void
log_request_end(void)
{
	request_tag[0] = '\0';
}

/*
 * Format one line, escape what is not printable, and write it with a
 * single call so that lines of concurrent workers do not interleave.
 */
static void
vlog(enum log_level level, const char *suffix, const char *fmt, va_list ap)
{
	char	 msg[LOG_LINE_MAX], line[LOG_LINE_MAX * 4 + 256];
	size_t	 i, o;
	int	 n, saved_errno = errno;

	if (level > max_level) {
		errno = saved_errno;
		return;
	}

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);

	n = snprintf(line, sizeof(line), "%s[%ld]: %s:%s ", progname,
	    (long)getpid(), level_names[level], request_tag);
	o = n < 0 ? 0 : (size_t)n;
	for (i = 0; msg[i] != '\0' && o + 5 < sizeof(line); i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(line + o, 5, "\\x%02x", c);
		else
			line[o++] = (char)c;
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
