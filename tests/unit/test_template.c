/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Unit tests for src/template.c: HTML escaping, placeholder substitution
 * (and what is not a placeholder), and reading template files.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gatehouse.h"
#include "testlib.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char	*show(const char *, size_t);
static void		 expect_render(const char *, const struct tvar *,
			    size_t, const char *);

/*
 * A printable form of "len" bytes for failure messages: non-printable
 * bytes become \xNN. Rotates over eight static buffers so that several
 * calls can appear in one message.
 */
static const char *
show(const char *s, size_t len)
{
	static char	 bufs[8][512];
	static int	 next;
	char		*b = bufs[next++ % 8];
	size_t		 i, o = 0;

	for (i = 0; i < len && o + 5 < sizeof(bufs[0]); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			o += (size_t)snprintf(b + o, 5, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	b[o] = '\0';
	return b;
}

/* Render "text" with "vars" and expect exactly "want". */
static void
expect_render(const char *text, const struct tvar *vars, size_t n,
    const char *want)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	rc = template_render(&b, text, strlen(text), vars, n);
	if (rc != 0 || b.len != strlen(want) ||
	    (b.len > 0 && memcmp(b.data, want, b.len) != 0)) {
		print_error("template_render(\"%s\") = %d \"%s\", want "
		    "\"%s\"\n", show(text, strlen(text)), rc,
		    b.data == NULL ? "" : show(b.data, b.len),
		    show(want, strlen(want)));
		buf_free(&b);
		fail();
	}
	buf_free(&b);
}

static void
test_html_escape(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b);
	assert_int_equal(html_escape(&b, "&<>\"'", 5), 0);
	assert_string_equal(b.data, "&amp;&lt;&gt;&quot;&#39;");
	buf_reset(&b);
	assert_int_equal(html_escape(&b, "<a href=\"x\">Tom & Jerry's</a>",
	    29), 0);
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; "
	    "Jerry&#39;s&lt;/a&gt;");

	/* Everything else passes unchanged, UTF-8 and '&' entities too. */
	buf_reset(&b);
	assert_int_equal(html_escape(&b, "plain text / = ` \xc3\xa9", 20), 0);
	assert_string_equal(b.data, "plain text / = ` \xc3\xa9");
	buf_reset(&b);
	assert_int_equal(html_escape(&b, "&amp;", 5), 0);
	assert_string_equal(b.data, "&amp;amp;");

	/* Only "len" bytes; appends to what is there. */
	buf_reset(&b);
	buf_adds(&b, "x");
	assert_int_equal(html_escape(&b, "<<<", 1), 0);
	assert_string_equal(b.data, "x&lt;");
	buf_reset(&b);
	assert_int_equal(html_escape(&b, "", 0), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_render_known(void **state)
{
	static const struct tvar vars[] = {
		{ "user", "alice" },
		{ "next", "/private/" },
		{ "error_1", "E" },
	};
	size_t	 n = NELEM(vars);

	(void)state;
	expect_render("", vars, n, "");
	expect_render("no placeholders", vars, n, "no placeholders");
	expect_render("Hello, {{user}}!", vars, n, "Hello, alice!");
	expect_render("{{user}}", vars, n, "alice");
	expect_render("{{user}}{{next}}{{user}}", vars, n,
	    "alice/private/alice");
	expect_render("[{{error_1}}]", vars, n, "[E]");
	/* Names are case-sensitive. */
	expect_render("[{{User}}]", vars, n, "[]");

	/* Spaces inside the braces are allowed, other blanks are not. */
	expect_render("{{ user }}", vars, n, "alice");
	expect_render("{{   user}}", vars, n, "alice");
	expect_render("{{user   }}", vars, n, "alice");
	expect_render("{{\tuser}}", vars, n, "{{\tuser}}");
	expect_render("{{\nuser\n}}", vars, n, "{{\nuser\n}}");

	/* No variables at all. */
	expect_render("a{{user}}b", NULL, 0, "ab");
}

static void
test_render_unknown(void **state)
{
	static const struct tvar vars[] = {
		{ "user", "alice" },
	};
	char	*err;

	(void)state;
	expect_render("[{{nope}}]", vars, 1, "[]");
	expect_render("[{{ nope }}]{{user}}", vars, 1, "[]alice");

	/* Which placeholder was unknown is logged at debug level. */
	log_set_level(LOG_LEVEL_DEBUG);
	test_stderr_begin();
	expect_render("[{{missing_name}}]", vars, 1, "[]");
	err = test_stderr_end();
	log_set_level(LOG_LEVEL_INFO);
	if (strstr(err, "unknown placeholder missing_name") == NULL) {
		print_error("stderr: \"%s\"\n", show(err, strlen(err)));
		free(err);
		fail();
	}
	free(err);
}

/* Anything that is not a placeholder is kept as it is. */
static void
test_render_malformed(void **state)
{
	static const char *const same[] = {
		"{{",
		"}}",
		"{{{{",
		"a {{ b",
		"{{a b}}",
		"{{}}",
		"{{ }}",
		"{{    }}",
		"{{user",
		"{{user}",
		"{{user} }",
		"{ {user}}",
		"{user}",
		"{{us-er}}",
		"{{us.er}}",
		"{{user!}}",
		"{{<b>}}",
		"{{\xc3\xa9}}",
		"}}{{",
		"text {{ and more text",
	};
	static const struct tvar vars[] = {
		{ "user", "alice" },
		{ "a", "A" },
		{ "b", "B" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(same); i++)
		expect_render(same[i], vars, NELEM(vars), same[i]);

	/* A bad opening does not hide a good placeholder after it. */
	expect_render("{{ {{user}}", vars, NELEM(vars), "{{ alice");
	expect_render("{{a b}} {{a}}", vars, NELEM(vars), "{{a b}} A");
	expect_render("}}{{a}}{{", vars, NELEM(vars), "}}A{{");
}

/* Values are text: markup in them is escaped, braces stay braces. */
static void
test_render_escapes(void **state)
{
	static const struct tvar vars[] = {
		{ "user", "<script>alert('x')</script>" },
		{ "attr", "\" onmouseover=\"alert(1)" },
		{ "amp", "Tom & Jerry" },
		{ "loop", "{{user}}" },
	};
	size_t	 n = NELEM(vars);

	(void)state;
	expect_render("<p>{{user}}</p>", vars, n,
	    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
	expect_render("<a title=\"{{attr}}\">", vars, n,
	    "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
	expect_render("{{amp}}", vars, n, "Tom &amp; Jerry");
	/* A value is never expanded again. */
	expect_render("{{loop}}", vars, n, "{{user}}");
	/* The template itself is not escaped. */
	expect_render("<b>&amp;</b>", vars, n, "<b>&amp;</b>");
}

/* Names up to 32 characters; a longer one is kept literally. */
static void
test_render_name_length(void **state)
{
	static const char	 n32[] = "abcdefghijklmnopqrstuvwxyz012345";
	static const char	 n33[] = "abcdefghijklmnopqrstuvwxyz0123456";
	struct tvar		 vars[2];

	(void)state;
	assert_int_equal(strlen(n32), 32);
	assert_int_equal(strlen(n33), 33);
	vars[0].name = n32;
	vars[0].value = "thirty-two";
	vars[1].name = n33;
	vars[1].value = "thirty-three";
	expect_render("{{abcdefghijklmnopqrstuvwxyz012345}}", vars, 2,
	    "thirty-two");
	expect_render("{{ abcdefghijklmnopqrstuvwxyz012345 }}", vars, 2,
	    "thirty-two");
	expect_render("{{abcdefghijklmnopqrstuvwxyz0123456}}", vars, 2,
	    "{{abcdefghijklmnopqrstuvwxyz0123456}}");
}

/* Only "len" bytes of the template are used; output is appended. */
static void
test_render_length(void **state)
{
	static const struct tvar vars[] = {
		{ "user", "alice" },
	};
	struct buf	 b;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "> ");
	assert_int_equal(template_render(&b, "{{user}}XYZ", 8, vars, 1), 0);
	assert_string_equal(b.data, "> alice");
	buf_reset(&b);
	/* Cut inside the closing braces: no longer a placeholder. */
	assert_int_equal(template_render(&b, "{{user}}", 7, vars, 1), 0);
	assert_string_equal(b.data, "{{user}");
	buf_free(&b);
}

static void
test_file_read(void **state)
{
	struct buf	 b;
	char		*dir, *path, *big, *sub;
	int		 rc;

	(void)state;
	dir = test_tempdir();
	buf_init(&b);

	/* A regular file, appended to what is there. */
	path = test_write_file(dir, "page.html", "<p>{{user}}</p>\n");
	buf_adds(&b, "x");
	assert_int_equal(file_read(path, 1024, &b), 0);
	assert_string_equal(b.data, "x<p>{{user}}</p>\n");

	/* Exactly "max" bytes are allowed, one more is not. */
	buf_reset(&b);
	assert_int_equal(file_read(path, 16, &b), 0);
	assert_int_equal(b.len, 16);
	buf_reset(&b);
	errno = 0;
	assert_int_equal(file_read(path, 15, &b), -1);
	assert_int_equal(errno, EFBIG);
	free(path);

	/* An empty file is empty text. */
	buf_reset(&b);
	path = test_write_file(dir, "empty.html", "");
	assert_int_equal(file_read(path, 1024, &b), 0);
	assert_int_equal(b.len, 0);
	free(path);

	/* Missing. */
	assert_int_not_equal(asprintf(&path, "%s/missing.html", dir), -1);
	errno = 0;
	assert_int_equal(file_read(path, 1024, &b), -1);
	assert_int_equal(errno, ENOENT);
	free(path);

	/* A directory. */
	sub = test_tempdir();
	errno = 0;
	assert_int_equal(file_read(sub, 1024, &b), -1);
	assert_int_equal(errno, EISDIR);
	test_rmtree(sub);
	free(sub);

	/* Not a regular file either: reads as missing. */
	errno = 0;
	assert_int_equal(file_read("/dev/null", 1024, &b), -1);
	assert_int_equal(errno, ENOENT);

	/* Larger than several read chunks, within and over the limit. */
	assert_non_null(big = malloc(50001));
	memset(big, 'a', 50000);
	big[50000] = '\0';
	path = test_write_file(dir, "big.html", big);
	buf_reset(&b);
	assert_int_equal(file_read(path, 50000, &b), 0);
	assert_int_equal(b.len, 50000);
	assert_memory_equal(b.data, big, 50000);
	buf_reset(&b);
	errno = 0;
	rc = file_read(path, 20000, &b);
	assert_int_equal(rc, -1);
	assert_int_equal(errno, EFBIG);
	free(path);
	free(big);

	buf_free(&b);
	test_rmtree(dir);
	free(dir);
}

/*
 * A FIFO is not a regular file either, so it must read as missing, and
 * at once: a blocking open would hang the worker until some writer came.
 * Tried in a child, killed after two seconds, so a hang fails the test.
 */
static void
test_file_read_fifo(void **state)
{
	struct buf	 b;
	char		*dir, *path;
	pid_t		 pid, w = 0;
	int		 status = 0, rc, err, i;

	(void)state;
	dir = test_tempdir();
	assert_int_not_equal(asprintf(&path, "%s/page.html", dir), -1);
	assert_int_equal(mkfifo(path, 0600), 0);

	if ((pid = fork()) == 0) {
		buf_init(&b);
		errno = 0;
		rc = file_read(path, 1024, &b);
		err = errno;
		buf_free(&b);
		/* The parent's copies, so that valgrind sees no leak here. */
		free(path);
		free(dir);
		_exit(rc == -1 && err == ENOENT ? 0 : 1);
	}
	assert_int_not_equal(pid, -1);
	for (i = 0; i < 200 && w == 0; i++)
		if ((w = waitpid(pid, &status, WNOHANG)) == 0)
			usleep(10000);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	test_rmtree(dir);
	free(path);
	free(dir);
	if (w == 0)
		fail_msg("file_read on a FIFO still blocked after 2 seconds");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("file_read on a FIFO: not -1 with ENOENT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_render_known),
		cmocka_unit_test(test_render_unknown),
		cmocka_unit_test(test_render_malformed),
		cmocka_unit_test(test_render_escapes),
		cmocka_unit_test(test_render_name_length),
		cmocka_unit_test(test_render_length),
		cmocka_unit_test(test_file_read),
		cmocka_unit_test(test_file_read_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
