/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * What a new password must be, after OWASP ASVS 4.0.3 section V2.1: long
 * enough in characters (2.1.1), accepted up to a generous limit in bytes
 * and never cut short (2.1.2, 2.1.3), any printable Unicode, spaces
 * included (2.1.4), no rules about character classes (2.1.9), and not
 * one of the passwords attackers try first (2.1.7). The last is judged
 * by libzxcvbn, whose built-in dictionaries hold the most common
 * passwords, words, names and keyboard patterns, plus an optional list
 * of refused passwords kept by the site.
 *
 * libzxcvbn estimates the guesses an attacker who knows those patterns
 * needs, as log2 of the count ("entropy" in bits). zxcvbn's own scale
 * calls 10^10 guesses and more "very unguessable"; that is 33.2 bits,
 * and the default minimum, 34 bits, sits just above it. Against the
 * stored scrypt hash (about 0.1 s of CPU a guess at the default cost)
 * that is some fifty CPU-years, and online the login throttle leaves no
 * chance at all. What it refuses in practice: "password1234" (3 bits),
 * "qwertyuiopas" (15), "iloveyou2024" (15), a date, the user name
 * repeated. A few unrelated words pass: "correct horse battery" is 48.
 *
 * The dictionaries are English: a common password in another script is
 * judged on its length and characters alone. The deny list covers what
 * a site knows its users pick.
 *
 * Nothing here knows HTTP or the store; the callers (the password page,
 * its strength meter's /password/strength, gatehouse-admin) show the
 * message as it is.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zxcvbn.h>

#include "gatehouse.h"

#define GOOD_PASSWORD	"a few unrelated words make a good password."

static size_t	 count_chars(const char *, size_t);
static int	 deny_listed(const char *, const char *, size_t);
static const char *weakest_part(const ZxcMatch_t *);
static double	 estimate(const char *, const char *, const char **);

/* Code points in "pw", which the caller checked is UTF-8. */
static size_t
count_chars(const char *pw, size_t len)
{
	size_t		 i = 0, n = 0, step;
	uint32_t	 cp;

	while (i < len && (step = utf8_next(pw + i, len - i, &cp)) != 0) {
		i += step;
		n++;
	}
	return n;
}

/*
 * Is "pw" a line of the deny list "path"? Lines end in LF or CRLF and
 * are compared byte for byte: no comments, no case folding. Read afresh
 * each time, as the templates are, so that a changed list counts at
 * once; a password change is rare enough for that. Returns 1, 0, or -1
 * if the file cannot be read (logged).
 */
static int
deny_listed(const char *path, const char *pw, size_t len)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 found = 0;

	if ((f = fopen(path, "re")) == NULL) {
		log_warn("policy: deny list %s", path);
		return -1;
	}
	while (!found && (n = getline(&line, &cap, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		found = (size_t)n == len && memcmp(line, pw, len) == 0;
	}
	if (!found && ferror(f)) {
		log_warn("policy: deny list %s", path);
		found = -1;
	}
	if (line != NULL)
		wipe(line, cap);
	free(line);
	fclose(f);
	return found;
}

/*
 * Why libzxcvbn found a password easy, in words for the user: the user
 * name if it is in there, else the kind of the longest part that is not
 * plain random characters.
 */
static const char *
weakest_part(const ZxcMatch_t *m)
{
	const ZxcMatch_t	*best = NULL;
	int			 type;

	for (; m != NULL; m = m->Next) {
		type = (int)m->Type & ~(int)MULTIPLE_MATCH;
		if (type == USER_MATCH || type == USER_LEET_MATCH)
			return "it contains your user name";
		if (type == BRUTE_MATCH || type == LONG_PWD_MATCH ||
		    type == NON_MATCH)
			continue;
		if (best == NULL || m->Length > best->Length)
			best = m;
	}
	if (best == NULL)
		return "it is short for the characters it uses";
	if (best->Type & MULTIPLE_MATCH)
		return "it repeats a part";
	switch (best->Type) {
	case DICTIONARY_MATCH:
		return "it is built on a common password or word";
	case DICT_LEET_MATCH:
		return "it is a common password or word with look-alike "
		    "characters, which attackers try too";
	case REPEATS_MATCH:
		return "it repeats characters";
	case SEQUENCE_MATCH:
		return "it holds a sequence such as abcd or 1234";
	case SPATIAL_MATCH:
		return "it follows a pattern of keys on the keyboard";
	case DATE_MATCH:
	case YEAR_MATCH:
		return "it holds a date or a year";
	default:
		return "it follows a common pattern";
	}
}

/*
 * libzxcvbn's estimate for "pw" with "user" among the words it looks
 * for, in bits; "*weakness" gets weakest_part's sentence for it.
 */
static double
estimate(const char *pw, const char *user, const char **weakness)
{
	const char	*dict[2];
	ZxcMatch_t	*info = NULL;
	double		 bits;

	dict[0] = user;
	dict[1] = NULL;
	bits = ZxcvbnMatch(pw, user != NULL ? dict : NULL, &info);
	*weakness = weakest_part(info);
	ZxcvbnFreeInfo(info);
	return bits;
}

/*
 * May "pw" ("len" bytes, NUL-terminated) become the password of "user"?
 * Returns POLICY_OK; POLICY_REFUSED with a sentence appended to "why"
 * that says what to do instead; or POLICY_ERROR when the deny list
 * cannot be read (logged): a password is not let through unchecked.
 */
int
policy_check(const struct config *cfg, const char *pw, size_t len,
    const char *user, struct buf *why)
{
	return policy_judge(cfg, pw, len, user, why, NULL);
}

/*
 * As policy_check, and where "bits" is not NULL it gets libzxcvbn's
 * estimate, which the policy compares with min_entropy: also for a
 * password refused as too short or deny-listed, so that a strength meter
 * can follow the typing. It is -1 where no estimate was made: the
 * password is too long or not text, or min_entropy is 0 (the policy
 * then does not look at it, and neither should a meter).
 */
int
policy_judge(const struct config *cfg, const char *pw, size_t len,
    const char *user, struct buf *why, double *bits)
{
	const char	*weakness = NULL;
	double		 guessed = -1;
	int		 rc;

	if (bits != NULL)
		*bits = -1;
	if (len > cfg->pw_max_bytes) {
		buf_printf(why, "This password is longer than the %zu bytes "
		    "allowed here, and it is never cut short: choose a "
		    "shorter one.", cfg->pw_max_bytes);
		return POLICY_REFUSED;
	}
	if (!text_valid(pw, len)) {
		buf_adds(why, "A password is text: letters, digits, spaces "
		    "and symbols of any language, without control "
		    "characters.");
		return POLICY_REFUSED;
	}
	if (cfg->pw_min_entropy > 0) {
		guessed = estimate(pw, user, &weakness);
		if (bits != NULL)
			*bits = guessed;
	}
	if (count_chars(pw, len) < cfg->pw_min_length) {
		buf_printf(why, "Use at least %u characters; " GOOD_PASSWORD,
		    cfg->pw_min_length);
		return POLICY_REFUSED;
	}

	if (cfg->pw_deny_list != NULL) {
		if ((rc = deny_listed(cfg->pw_deny_list, pw, len)) == -1)
			return POLICY_ERROR;
		if (rc == 1) {
			buf_adds(why, "This password is on this site's list of "
			    "refused passwords, which are known to attackers. "
			    "Choose another; " GOOD_PASSWORD);
			return POLICY_REFUSED;
		}
	}

	if (cfg->pw_min_entropy == 0 ||
	    guessed >= (double)cfg->pw_min_entropy)
		return POLICY_OK;
	buf_printf(why, "This password is too easy to guess: %s. Add words "
	    "that do not belong together; " GOOD_PASSWORD, weakness);
	return POLICY_REFUSED;
}
