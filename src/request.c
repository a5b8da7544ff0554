/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * From CGI/FastCGI parameters and a body to a checked struct request.
 *
 * This is the one place where client-controlled input is read: method,
 * path, query string, cookies and the url-encoded body are parsed and
 * bounded here, and a request that breaks a rule is refused with its
 * HTTP status before any handler runs.
 *
 * The mount point follows CGI (RFC 3875 section 4.1.13): SCRIPT_NAME is
 * where the app is mounted and PATH_INFO the path below it. lighttpd
 * with "fix-root-scriptname" gives SCRIPT_NAME "" for an app at "/".
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gatehouse.h"

static int	 set_path(struct request *, const struct params *);
static int	 uri_path(struct request *, const char *, struct buf *);
static int	 set_content_type(struct request *, const char *);
static int	 set_bearer(struct request *, const char *);
static char	*dup_or_empty(const char *);

static const char *const method_names[HTTP__MAX] = {
	"GET",		/* HTTP_GET */
	"HEAD",		/* HTTP_HEAD */
	"POST",		/* HTTP_POST */
	"PUT",		/* HTTP_PUT */
	"DELETE",	/* HTTP_DELETE */
	"PATCH",	/* HTTP_PATCH */
	"OPTIONS",	/* HTTP_OPTIONS */
	"OTHER",	/* HTTP_OTHER */
};

const char *
http_method_name(enum http_method m)
{
	return m < HTTP__MAX ? method_names[m] : "OTHER";
}

/*
 * The value of parameter "name" in a NULL-terminated "NAME=value" array,
 * or NULL. When a parameter is sent twice the first wins, as it does for
 * libfcgi's own FCGX_GetParam, so that both always agree.
 */
const char *
env_get(char *const *envp, const char *name)
{
	size_t	 len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

/*
 * Find the parameters we read, in one pass: a server sends thirty or
 * more, and looking each one up anew cost more than using them. The
 * request headers (HTTP_*) are looked for only among ours of that kind,
 * told apart by the letter after "HTTP_", the others by their first. As
 * with env_get, the first of a parameter sent twice wins.
 */
void
params_scan(char *const *envp, struct params *p)
{
	static const struct {
		const char	*name;
		size_t		 len;
		size_t		 offset;
	} wanted[] = {
#define P(n, m)	{ n, sizeof(n) - 1, offsetof(struct params, m) }
		P("REQUEST_METHOD", method),
		P("SCRIPT_NAME", script_name),
		P("PATH_INFO", path_info),
		P("QUERY_STRING", query_string),
		P("CONTENT_TYPE", content_type),
		P("CONTENT_LENGTH", content_length),
		P("REMOTE_ADDR", remote_addr),
		P("HTTPS", https),
		P("REQUEST_SCHEME", scheme),
		P("FCGI_ROLE", role),
		P("REQUEST_URI", request_uri),
#define HEADERS_FROM	11	/* the HTTP_* ones follow */
		P("HTTP_COOKIE", cookie),
		P("HTTP_AUTHORIZATION", authorization),
		P("HTTP_ACCEPT", accept),
		P("HTTP_HOST", host),
		P("HTTP_ORIGIN", origin),
		P("HTTP_SEC_FETCH_SITE", sec_fetch_site),
		P("HTTP_X_FORWARDED_FOR", x_forwarded_for),
		P("HTTP_X_FORWARDED_PROTO", x_forwarded_proto),
		P("HTTP_FORWARDED", forwarded),
		P("HTTP_USER_AGENT", user_agent),
		P("HTTP_X_FORWARDED_METHOD", x_forwarded_method),
#undef P
	};
	const char	**slot, *e;
	size_t		 i, end, at;

	memset(p, 0, sizeof(*p));
	for (; envp != NULL && *envp != NULL; envp++) {
		e = *envp;
		if (strncmp(e, "HTTP_", 5) == 0) {
			i = HEADERS_FROM;
			end = sizeof(wanted) / sizeof(wanted[0]);
			at = 5;
		} else {
			i = 0;
			end = HEADERS_FROM;
			at = 0;
		}
		for (; i < end; i++) {
			/* strncmp stops at the end of a shorter parameter. */
			if (e[at] != wanted[i].name[at] ||
			    strncmp(e, wanted[i].name, wanted[i].len) != 0 ||
			    e[wanted[i].len] != '=')
				continue;
			slot = (const char **)(void *)((char *)p +
			    wanted[i].offset);
			if (*slot == NULL)
				*slot = e + wanted[i].len + 1;
			break;
		}
	}
#undef HEADERS_FROM
	/* Until proxy_resolve says otherwise, the peer is the client. */
	p->client_addr = p->remote_addr;
}

/*
 * Did the request come over HTTPS, as the web server tells (HTTPS=on, as
 * lighttpd and Apache set it, or REQUEST_SCHEME=https) or a trusted proxy
 * in front of it (proxy_resolve)? Read first, so even a request refused
 * at once gets HSTS.
 */
int
params_https(const struct params *p)
{
	return p->forwarded_https || (p->https != NULL && strcasecmp(p->https, "on") == 0) ||
	    (p->scheme != NULL && strcasecmp(p->scheme, "https") == 0);
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s == NULL ? "" : s);
}

/*
 * REQUEST_URI in origin form, "/path?query": HTTP/1.1 servers must take
 * a request for "http://host/path" too (RFC 9112 section 3.2.2), and
 * Apache passes that on as it came. NULL stays NULL.
 */
static const char *
origin_form(const char *uri)
{
	const char	*p;

	if (uri == NULL || *uri == '/')
		return uri;
	for (p = uri; isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.'; p++)
		;
	if (p == uri || strncmp(p, "://", 3) != 0)
		return uri;
	p += 3;
	return p + strcspn(p, "/?#");
}

/*
 * The path of REQUEST_URI, percent-decoded, in "out". Returns 0, or a
 * status with req->error set.
 */
static int
uri_path(struct request *req, const char *uri, struct buf *out)
{
	size_t	 len = strcspn(uri, "?#");
	int	 rc;

	if ((rc = url_decode(uri, len, 0, out)) == -1)
		return 500;
	if (rc == 1) {
		req->error = "invalid percent-encoding in the path";
		return 400;
	}
	/* str_has_ctl, later, would stop at the first NUL. */
	if (memchr(out->data, '\0', out->len) != NULL) {
		req->error = "invalid path";
		return 400;
	}
	return 0;
}

/*
 * Mount point and path. CGI (RFC 3875 section 4.1.13) gives them as
 * SCRIPT_NAME and PATH_INFO. Apache's mod_proxy_fcgi does not: it splits
 * the path where its walk of the document root stops finding files
 * (/private + /x.html when there is no folder "private", the whole path
 * and no PATH_INFO when there is). So where a mount point is configured
 * ([server] mount) the path is REQUEST_URI's, less that mount point, and
 * the server's split is ignored. Either way the path is percent-decoded,
 * so it may hold any byte: refuse control bytes (a decoded NUL or
 * newline has no business in a path) and overlong ones. Returns 0 or a
 * status.
 */
static int
set_path(struct request *req, const struct params *p)
{
	const char	*script = p->script_name, *info = p->path_info;
	struct buf	 upath;
	size_t		 len;
	int		 rc;

	buf_init(&upath);
	if (p->mount != NULL && p->request_uri != NULL) {
		if ((rc = uri_path(req, origin_form(p->request_uri),
		    &upath)) != 0) {
			buf_free(&upath);
			return rc;
		}
		len = strlen(p->mount);
		if (strncmp(upath.data, p->mount, len) != 0 ||
		    (upath.data[len] != '/' && upath.data[len] != '\0')) {
			/* The server's configuration sends us too much. */
			buf_free(&upath);
			req->error = "path outside the mount point";
			return 404;
		}
		script = p->mount;
		info = upath.data + len;
	}
	if (script == NULL)
		script = "";
	if (info == NULL || *info == '\0')
		info = "/";
	rc = 0;
	if (strlen(script) > REQUEST_PATH_MAX ||
	    strlen(info) > REQUEST_PATH_MAX) {
		req->error = "path too long";
		rc = 414;
	} else if (str_has_ctl(script, strlen(script)) ||
	    str_has_ctl(info, strlen(info)) || *info != '/') {
		req->error = "invalid path";
		rc = 400;
	} else if ((req->prefix = strdup(script)) == NULL ||
	    (req->path = strdup(info)) == NULL)
		rc = 500;
	buf_free(&upath);
	if (rc != 0)
		return rc;
	/* A mount point is a directory: "/auth/" and "/auth" are one. */
	len = strlen(req->prefix);
	while (len > 0 && req->prefix[len - 1] == '/')
		req->prefix[--len] = '\0';
	return 0;
}

/*
 * Authorization: Bearer (RFC 6750 section 2.1). The scheme is matched
 * without regard to case; one or more spaces may follow it; the token is
 * token68 and nothing may come after it, so "Bearer T,extra" is refused
 * rather than cut. Another scheme (Basic) is simply not a bearer token.
 * Returns 0, or -1 out of memory.
 */
static int
set_bearer(struct request *req, const char *v)
{
	size_t	 len = strlen(v), i, start;

	req->has_authorization = 1;
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len < 6 || strncasecmp(v, "Bearer", 6) != 0)
		return 0;
	if (len > 6 && v[6] != ' ') {
		/* "Bearerx" is another scheme; "Bearer\tT" a broken one. */
		if (!isalnum((unsigned char)v[6]) && v[6] != '-')
			req->bearer_malformed = 1;
		return 0;
	}
	for (i = 6; i < len && v[i] == ' '; i++)
		;
	start = i;
	while (i < len && (isalnum((unsigned char)v[i]) ||
	    strchr("-._~+/", v[i]) != NULL))
		i++;
	while (i < len && v[i] == '=')
		i++;
	if (i != len || i == start || len - start > JWS_MAX) {
		req->bearer_malformed = 1;
		return 0;
	}
	if ((req->bearer = strndup(v + start, len - start)) == NULL)
		return -1;
	return 0;
}

/*
 * A parameter of a POST body, url-encoded or JSON: "*value" (and "*len")
 * get it, or NULL when absent. A field sent twice, a JSON member that is
 * not a string, a value holding a NUL byte, or a missing "required" one
 * puts a reason in "why" and returns -1.
 */
int
request_param(const struct request *req, const char *name, int required,
    const char **value, size_t *len, struct buf *why)
{
	const struct field	*f;
	const json_t		*j;
	size_t			 n;

	*value = NULL;
	*len = 0;
	if (req->json != NULL) {
		if ((j = json_object_get(req->json, name)) != NULL) {
			if (!json_is_string(j)) {
				buf_printf(why, "The member %s is not a "
				    "string.", name);
				return -1;
			}
			*value = json_string_value(j);
			*len = json_string_length(j);
		}
	} else if ((n = fields_count(&req->form, name)) > 1) {
		buf_printf(why, "The field %s was sent %zu times.", name, n);
		return -1;
	} else if ((f = fields_get(&req->form, name)) != NULL) {
		*value = f->value;
		*len = f->valuelen;
	}
	if (*value == NULL && required) {
		buf_printf(why, "The field %s is missing.", name);
		return -1;
	}
	/*
	 * Callers take the values as C strings: one with a NUL inside would
	 * be read cut short (a refresh token with junk after a %00 would
	 * pass for the token), so none is taken.
	 */
	if (*value != NULL && memchr(*value, '\0', *len) != NULL) {
		buf_printf(why, "The field %s holds a NUL byte.", name);
		*value = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}

/* Keep the media type alone, in lower case ("text/html; charset=x"). */
static int
set_content_type(struct request *req, const char *ct)
{
	size_t	 i, len;

	if (ct == NULL || *ct == '\0')
		return 0;
	len = strcspn(ct, ";");
	while (len > 0 && (ct[len - 1] == ' ' || ct[len - 1] == '\t'))
		len--;
	if ((req->content_type = strndup(ct, len)) == NULL)
		return -1;
	for (i = 0; i < len; i++)
		req->content_type[i] =
		    (char)tolower((unsigned char)req->content_type[i]);
	return 0;
}

/*
 * Fill "req" from the parameters in "envp" and "bodylen" bytes of body
 * (already bounded by the caller). Returns 0, or the HTTP status to
 * answer with, and then "req->error" says why in a few words. The
 * request must be freed with request_free either way.
 */
int
request_parse(struct request *req, char *const *envp, const char *body,
    size_t bodylen)
{
	struct params	 p;

	params_scan(envp, &p);
	return request_parse_params(req, &p, body, bodylen);
}

/* request_parse, from parameters params_scan found. */
int
request_parse_params(struct request *req, const struct params *p,
    const char *body, size_t bodylen)
{
	const char	*v;
	int		 i, rc;

	memset(req, 0, sizeof(*req));
	req->error = "out of memory";
	req->https = params_https(p);

	req->method = HTTP_OTHER;
	if ((v = p->method) == NULL) {
		req->error = "no REQUEST_METHOD";
		return 400;
	}
	for (i = 0; i < HTTP_OTHER; i++)
		if (strcmp(v, method_names[i]) == 0)
			req->method = (enum http_method)i;

	/* Its method (nginx's auth_request asks with a GET whatever it was). */
	req->subject_method = req->method;
	if ((v = p->x_forwarded_method) != NULL) {
		req->subject_method = HTTP_OTHER;
		for (i = 0; i < HTTP_OTHER; i++)
			if (strcmp(v, method_names[i]) == 0)
				req->subject_method = (enum http_method)i;
	}

	if ((rc = set_path(req, p)) != 0)
		return rc;

	/*
	 * An authorizer judges a request it does not serve (the content's
	 * program will parse the query and body as it sees fit): only who
	 * is asking matters, and a query or body we would refuse must not
	 * keep a logged-in user from the content.
	 */
	v = p->verdict_only ? NULL : p->query_string;
	if (v != NULL && strlen(v) > REQUEST_QUERY_MAX) {
		req->error = "query string too long";
		return 414;
	}
	if ((req->query_string = dup_or_empty(v)) == NULL)
		return 500;
	rc = form_parse(req->query_string, strlen(req->query_string),
	    REQUEST_FIELDS_MAX, &req->query);
	if (rc == FORM_TOO_MANY) {
		req->error = "too many query parameters";
		return 400;
	} else if (rc != FORM_OK)
		return 500;

	if ((v = p->cookie) != NULL) {
		if (strlen(v) > REQUEST_COOKIE_MAX) {
			req->error = "Cookie header too large";
			return 431;
		}
		if (cookie_parse(v, strlen(v), &req->cookies) == -1)
			return 500;
	}

	if (set_content_type(req, p->verdict_only ? NULL : p->content_type)
	    == -1)
		return 500;
	if (req->method == HTTP_POST && req->content_type != NULL &&
	    strcmp(req->content_type,
	    "application/x-www-form-urlencoded") == 0) {
		req->form_present = 1;
		rc = form_parse(body, bodylen, REQUEST_FIELDS_MAX, &req->form);
		if (rc == FORM_TOO_MANY) {
			req->error = "too many form fields";
			return 400;
		} else if (rc != FORM_OK)
			return 500;
	} else if (req->method == HTTP_POST && req->content_type != NULL &&
	    strcmp(req->content_type, "application/json") == 0) {
		/* Strict: an object, no repeated member, little nesting. */
		if ((req->json = jws_json_object(body == NULL ? "" : body,
		    bodylen)) == NULL) {
			req->error = "the body is not a JSON object";
			return 400;
		}
	}

	if ((v = p->authorization) != NULL && set_bearer(req, v) == -1)
		return 500;

	if ((req->remote_addr = dup_or_empty(p->remote_addr)) == NULL ||
	    (req->client_addr = dup_or_empty(p->client_addr)) == NULL)
		return 500;
	/* Only summarised at login (client.c): a long one is no browser. */
	v = p->user_agent;
	if (v != NULL && strlen(v) > REQUEST_AGENT_MAX)
		v = NULL;
	if ((req->user_agent = dup_or_empty(v)) == NULL)
		return 500;
	if (p->request_uri != NULL && strlen(p->request_uri) >
	    REQUEST_PATH_MAX + REQUEST_QUERY_MAX) {
		req->error = "request URI too long";
		return 414;
	}
	if ((req->uri = dup_or_empty(origin_form(p->request_uri))) == NULL)
		return 500;
	req->wants_html = p->accept != NULL &&
	    strstr(p->accept, "text/html") != NULL;
	if ((p->host != NULL && (req->host = strdup(p->host)) == NULL) ||
	    (p->origin != NULL && (req->origin = strdup(p->origin)) ==
	    NULL) || (p->sec_fetch_site != NULL && (req->sec_fetch_site =
	    strdup(p->sec_fetch_site)) == NULL))
		return 500;

	req->error = NULL;
	return 0;
}

void
request_free(struct request *req)
{
	free(req->prefix);
	free(req->path);
	free(req->query_string);
	fields_free(&req->query);
	fields_free(&req->cookies);
	fields_free(&req->form);
	json_decref(req->json);
	if (req->bearer != NULL)
		wipe(req->bearer, strlen(req->bearer));
	free(req->bearer);
	free(req->content_type);
	free(req->remote_addr);
	free(req->client_addr);
	free(req->user_agent);
	free(req->uri);
	free(req->host);
	free(req->origin);
	free(req->sec_fetch_site);
	memset(req, 0, sizeof(*req));
}
