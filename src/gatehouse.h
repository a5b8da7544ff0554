/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * The one internal header of the core: shared structures and prototypes,
 * grouped by the file that defines them. The storage interface has its
 * own header, store.h, so that a second backend can sit behind it.
 */
#ifndef GATEHOUSE_H
#define GATEHOUSE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define GH_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define GH_NORETURN	__attribute__((noreturn))

struct store;

/* buf.c */

/*
 * A growable byte string, always NUL-terminated once anything has been
 * added. An append that cannot allocate sets "oom" and turns every later
 * append into a no-op, so a caller may build a whole text and check once.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_adds(struct buf *, const char *);
int	 buf_addc(struct buf *, char);
int	 buf_addnum(struct buf *, unsigned long long);
char	*buf_extend(struct buf *, size_t);
int	 buf_printf(struct buf *, const char *, ...) GH_PRINTF(2, 3);
int	 buf_vprintf(struct buf *, const char *, va_list) GH_PRINTF(2, 0);
char	*buf_steal(struct buf *);

/* log.c */

enum log_level {
	LOG_LEVEL_ERROR,	/* the program cannot go on */
	LOG_LEVEL_WARN,		/* a request or an operation failed */
	LOG_LEVEL_INFO,		/* logins, logouts, refused requests */
	LOG_LEVEL_DEBUG,	/* what a developer wants to trace */
	LOG_LEVEL__MAX
};

void	 log_init(const char *, enum log_level);
void	 log_set_level(enum log_level);
int	 log_level_parse(const char *, enum log_level *);
void	 log_request_begin(const char *);
void	 log_request_end(void);
void	 log_warn(const char *, ...) GH_PRINTF(1, 2);
void	 log_warnx(const char *, ...) GH_PRINTF(1, 2);
void	 log_info(const char *, ...) GH_PRINTF(1, 2);
void	 log_debug(const char *, ...) GH_PRINTF(1, 2);
void	 fatal(const char *, ...) GH_PRINTF(1, 2) GH_NORETURN;
void	 fatalx(const char *, ...) GH_PRINTF(1, 2) GH_NORETURN;

/* util.c */

#define USER_NAME_MAX	128	/* bytes of a user name */

size_t	 utf8_next(const char *, size_t, uint32_t *);
int	 utf8_valid(const char *, size_t);
int	 text_valid(const char *, size_t);
int	 str_has_ctl(const char *, size_t);
int	 parse_uint(const char *, unsigned long long, unsigned long long *);
int	 parse_duration(const char *, long long *);
int	 format_time(int64_t, char *, size_t);
int	 format_wait(long long, char *, size_t);
int	 base64_encode(const unsigned char *, size_t, int, char *, size_t);
int	 base64_decode(const char *, size_t, int, unsigned char *, size_t);
int	 base64_value(unsigned char, int);
int	 hex_encode(const unsigned char *, size_t, char *, size_t);
int	 b64url_wellformed(const char *, size_t, size_t);
int	 user_name_valid(const char *, size_t);
void	 wipe(void *, size_t);
void	 sha256(const void *, size_t, unsigned char [32]);

/* url.c */

int	 url_decode(const char *, size_t, int, struct buf *);
int	 url_encode(struct buf *, const char *);

/* form.c */

/*
 * One name=value pair, from a form body, a query string or a Cookie
 * header. Both halves are NUL-terminated copies; the lengths are kept
 * because a percent-decoded form value may hold a NUL of its own.
 */
struct field {
	char	*name;
	size_t	 namelen;
	char	*value;
	size_t	 valuelen;
};

struct fields {
	struct field	*v;
	size_t		 n;
	int		 bad_escape;	/* a '%' not followed by two hex digits */
};

enum form_result {
	FORM_OK = 0,
	FORM_NOMEM = -1,	/* allocation failed */
	FORM_TOO_MANY = -2	/* more pairs than the caller allows */
};

void	 fields_free(struct fields *);
int	 fields_add(struct fields *, const char *, size_t, const char *,
	    size_t);
size_t	 fields_count(const struct fields *, const char *);
const struct field *
	 fields_get(const struct fields *, const char *);
int	 form_parse(const char *, size_t, size_t, struct fields *);

/* cookie.c */

enum same_site {
	SAME_SITE_LAX,
	SAME_SITE_STRICT,
	SAME_SITE__MAX
};

/* What one Set-Cookie header says. */
struct set_cookie {
	const char	*name;
	const char	*value;
	const char	*path;
	long long	 max_age;	/* seconds; 0 deletes the cookie */
	int		 secure;
	int		 http_only;
	enum same_site	 same_site;
};

int	 cookie_parse(const char *, size_t, struct fields *);
int	 cookie_name_valid(const char *);
int	 cookie_value_valid(const char *);
int	 cookie_path_valid(const char *);
int	 cookie_format(struct buf *, const struct set_cookie *);

/* redirect.c */

int	 redirect_target_ok(const char *);

/* config.c */

struct header_policy;

/* Which credentials a site accepts: a bit each. */
enum auth_mode {
	AUTH_MODE_COOKIE = 1,		/* login form and session cookies */
	AUTH_MODE_BEARER = 2,		/* /token and Authorization: Bearer */
	AUTH_MODE_BOTH = 3
};

/* An address block: an address and how many leading bits must match. */
struct netmask {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 bytes[16];
	unsigned int	 bits;
};

/* The reverse proxies whose forwarding headers are believed. */
struct proxies {
	struct netmask	*v;
	size_t		 n;
	int		 use_forwarded;	/* RFC 7239 Forwarded, not
					   X-Forwarded-For/-Proto */
};

/* Cost parameters of the scrypt password hash (RFC 7914). */
struct kdf_params {
	unsigned int	 log2n;	/* N = 2^log2n */
	unsigned int	 r;
	unsigned int	 p;
};

/* When failed logins make clients wait (throttle.c, gatehouse.conf(5)). */
struct throttle_params {
	unsigned int	 account_threshold;	/* failures of a user name in
						   the window: back off */
	unsigned int	 address_threshold;	/* failures from an address */
	unsigned int	 account_hourly_max;	/* a name's failures in an
						   hour: refuse all */
	long long	 window;		/* seconds counted back */
	long long	 backoff_base;		/* the first wait */
	long long	 backoff_max;		/* the longest wait */
};

/*
 * Everything the configuration file sets, read once at start and never
 * changed afterwards. Times are in seconds, sizes in bytes.
 */
struct config {
	char		*file;		/* where it was read from */

	char		*db_path;
	int		 db_busy_ms;

	char		*cookie_name;	/* as sent, with any __Host- prefix */
	char		*cookie_path;
	int		 cookie_secure;
	enum same_site	 cookie_same_site;
	long long	 idle_timeout;
	long long	 absolute_timeout;
	long long	 touch_interval;

	char		*after_login;	/* NULL: the mount's /private/ */
	struct kdf_params kdf;
	struct throttle_params throttle;
	long long	 audit_retention;	/* auth_events kept this long */

	/* What a new password must be (policy.c). */
	unsigned int	 pw_min_length;	/* characters (code points) */
	size_t		 pw_max_bytes;	/* longer is refused, never cut */
	unsigned int	 pw_min_entropy; /* bits, as libzxcvbn counts;
					   0: not estimated */
	char		*pw_deny_list;	/* refused passwords, one a line */

	int		 remember_me;	/* offer "remember me" at login */
	long long	 remember_lifetime; /* a remembered session's
					   absolute limit */

	enum auth_mode	 mode;
	char		*issuer;	/* "iss" of our tokens */
	char		*audience;	/* "aud"; NULL: the issuer */
	long long	 access_lifetime;
	long long	 refresh_lifetime;
	long long	 leeway;	/* clock skew allowed on exp, nbf, iat */
	char		*keys_dir;	/* NULL: "keys" beside the database */
	int		 access_cookie;	/* also send the access token as a
					   cookie */
	char		*access_cookie_name;	/* with its prefix */
	char		*csrf_cookie_name;	/* the CSRF nonce's, with its
						   prefix */
	char		*secrets_file;	/* NULL: "secrets" beside the
					   database */

	size_t		 max_body;
	char		*static_url;	/* where www/public is served, "" = / */
	char		*mount;		/* the mount point, where the server
					   gives no PATH_INFO; NULL: none */
	char		*login_url;	/* authorizer: where browsers log in;
					   NULL: answer 401 */
	struct proxies	 proxies;	/* trusted reverse proxies */
	char		*www_dir;
	char		*templates_dir;
	char		*private_dir;
	enum log_level	 log_level;

	struct header_policy *headers;	/* [headers]: see headers.c */
};

void	 config_defaults(struct config *);
int	 config_load(const char *, struct config *);
void	 config_free(struct config *);

/* password.c */

#define PASSWORD_MAX	1024	/* bytes; longer input is refused */

int	 password_hash(const char *, size_t, const struct kdf_params *,
	    char **);
int	 password_verify(const char *, size_t, const char *);
int	 password_needs_rehash(const char *, const struct kdf_params *);
void	 password_waste(const char *, size_t, const struct kdf_params *);
void	 password_harden(const char *, size_t, const char *,
	    const struct kdf_params *);
int	 kdf_params_valid(const struct kdf_params *);

/* policy.c */

enum policy_result {
	POLICY_ERROR = -1,	/* the deny list cannot be read (logged) */
	POLICY_OK = 0,
	POLICY_REFUSED = 1	/* the message says what to do instead */
};

int	 policy_check(const struct config *, const char *, size_t,
	    const char *, struct buf *);
int	 policy_judge(const struct config *, const char *, size_t,
	    const char *, struct buf *, double *);

/* session.c */

#define SESSION_ID_BYTES	32	/* 256 random bits */
#define SESSION_ID_LEN		43	/* base64url of SESSION_ID_BYTES */
#define SESSION_HASH_LEN	32	/* SHA-256 */
#define SESSION_HANDLE_LEN	16	/* hex digits of session_handle */
#define CLIENT_ADDRESS_MAX	46	/* bytes, with the NUL (IPv6 text) */
#define CLIENT_AGENT_MAX	48	/* bytes, with the NUL */

/* A session as the store keeps it: the id itself is never stored. */
struct session {
	unsigned char	 hash[SESSION_HASH_LEN];
	int64_t		 user_id;
	char		*user;		/* the user's name, owned */
	int64_t		 created;
	int64_t		 last_seen;
	int64_t		 expires;	/* the absolute limit */
	int		 user_disabled;	/* the account may not log in */
	int		 user_admin;
	int		 remember;	/* "remember me": no idle limit */
	char		 address[CLIENT_ADDRESS_MAX];	/* at login */
	char		 agent[CLIENT_AGENT_MAX];	/* client.c's summary */
};

enum session_state {
	SESSION_LIVE,
	SESSION_IDLE,		/* not seen for longer than the idle timeout */
	SESSION_EXPIRED,	/* past its absolute lifetime */
	SESSION_DISABLED	/* the user's account was disabled */
};

int	 session_new_id(char [SESSION_ID_LEN + 1]);
void	 session_hash_id(const char *, unsigned char [SESSION_HASH_LEN]);
int	 session_id_wellformed(const char *);
enum session_state
	 session_state(const struct session *, int64_t, const struct config *);
int	 session_remembered(const struct session *, const struct config *);
int64_t	 session_absolute_deadline(const struct session *,
	    const struct config *);
int64_t	 session_idle_deadline(const struct session *,
	    const struct config *);
int	 session_touch_due(const struct session *, int64_t,
	    const struct config *);
void	 session_handle(const unsigned char *, char [SESSION_HANDLE_LEN + 1]);
void	 session_clear(struct session *);

/* throttle.c: failed logins and the waits they cost */

/* What the store counted for one login attempt; times in epoch seconds. */
struct throttle_counts {
	unsigned int	 name;		/* failures of the name in the window */
	int64_t		 name_last;	/* the latest of them, 0 if none */
	unsigned int	 name_hour;	/* its failures in the last hour */
	int64_t		 name_cap_at;	/* the account_hourly_max-th latest
					   of those, 0 if fewer */
	unsigned int	 addr;		/* failures from the address in the
					   window */
	int64_t		 addr_last;	/* the latest of them, 0 if none */
};

enum throttle_verdict {
	THROTTLE_ALLOW,		/* go on to the password check */
	THROTTLE_ADDRESS,	/* the address is backing off */
	THROTTLE_ACCOUNT,	/* the name is locked, the address not clean */
	THROTTLE_CAP		/* the name reached its hourly cap */
};

long long throttle_delay(const struct throttle_params *, unsigned int,
	    unsigned int);
enum throttle_verdict
	 throttle_decide(const struct throttle_params *,
	    const struct throttle_counts *, int64_t, long long *);
int	 throttle_locks(const struct throttle_params *,
	    const struct throttle_counts *);
const char *
	 throttle_reason(enum throttle_verdict);
#define THROTTLE_ADDR_LEN	50	/* an IPv6 address, "/64", NUL */
const char *
	 throttle_client(const char *, char [THROTTLE_ADDR_LEN]);

/* client.c: how a session's client is described to its user */

void	 client_agent(const char *, char [CLIENT_AGENT_MAX]);
void	 client_address(const char *, char [CLIENT_ADDRESS_MAX]);

/* jwk.c: keys for signed tokens */

enum jws_alg {
	JWS_HS256,
	JWS_HS384,
	JWS_HS512,
	JWS_RS256,
	JWS_RS384,
	JWS_RS512,
	JWS_PS256,
	JWS_PS384,
	JWS_PS512,
	JWS_ES256,
	JWS_ES384,
	JWS_ES512,
	JWS_EDDSA,
	JWS_ALG__MAX
};

enum jws_kind {
	JWS_KIND_HMAC,
	JWS_KIND_RSA,		/* RSASSA-PKCS1-v1_5 */
	JWS_KIND_RSA_PSS,
	JWS_KIND_EC,		/* ECDSA, signatures as r || s */
	JWS_KIND_EDDSA
};

/* What an algorithm is: its JOSE name, kind, hash, and curve. */
struct jws_alg_info {
	const char	*name;
	enum jws_kind	 kind;
	const char	*md;		/* OpenSSL digest name, NULL for EdDSA */
	const char	*curve;		/* EC and EdDSA only */
	size_t		 size;		/* EC: bytes of r and of s; HMAC: of
					   the hash, the shortest key */
};

struct evp_pkey_st;
struct jwk_prepared;

/* A key, bound to one algorithm. */
struct jwk {
	char			*kid;		/* may be NULL */
	enum jws_alg		 alg;
	struct evp_pkey_st	*pkey;		/* NULL for HMAC */
	unsigned char		*secret;	/* HMAC only */
	size_t			 secret_len;
	int			 private;	/* can sign */
	struct jwk_prepared	*prep;		/* what verifying needs, made
						   once: see jwk_prepare */
};

/* The keys tokens are checked against, and the one they are signed with. */
struct keyset {
	struct jwk	*keys;
	size_t		 n;
	const struct jwk *active;	/* NULL: cannot sign */
};

const struct jws_alg_info *
	 jws_alg_info(enum jws_alg);
int	 jws_alg_parse(const char *, enum jws_alg *);
int	 jwk_from_json(const json_t *, enum jws_alg, struct jwk *);
json_t	*jwk_public_json(const struct jwk *);
int	 jwk_generate(enum jws_alg, struct jwk *);
int	 jwk_write(const struct jwk *, const char *);
int	 jwk_read(const char *, enum jws_alg, struct jwk *);
int	 jwk_prepare(struct jwk *);
void	 jwk_free(struct jwk *);

/* jws.c: compact JWS */

#define JWS_MAX		8192	/* bytes of a token we look at */

/* Why a token was refused: each has its own reason in the log. */
enum jws_error {
	JWS_OK,
	JWS_ESIZE,
	JWS_EFORMAT,
	JWS_EBASE64,
	JWS_EHEADER,
	JWS_EALG,
	JWS_ENONE,
	JWS_EMISMATCH,
	JWS_ECRIT,
	JWS_EKEYHDR,
	JWS_EKID,
	JWS_EDEPTH,
	JWS_ESIG,
	JWS_EINTERNAL,
	JWS__MAX
};

/* A verified token. */
struct jws {
	json_t			*header;
	char			*payload;	/* NUL-terminated */
	size_t			 payload_len;
	const struct jwk	*key;		/* the key that verified it */
};

const char *
	 jws_reason(int);
json_t	*jws_json_object(const char *, size_t);
int	 jws_check_signature(const struct jwk *, const unsigned char *,
	    size_t, const unsigned char *, size_t);
int	 jws_make_signature(const struct jwk *, const unsigned char *,
	    size_t, unsigned char *, size_t);
int	 jws_verify(const char *, size_t, const struct keyset *,
	    struct jws *);
int	 jws_sign(const struct jwk *, const char *, size_t, struct buf *);
void	 jws_clear(struct jws *);

/* request.c */

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_PATCH,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP__MAX
};

/*
 * A request as the handlers see it: every client-controlled value parsed
 * and checked once, here, so that handlers never read raw parameters.
 */
struct request {
	enum http_method method;
	char		*prefix;	/* where the app is mounted, "" at / */
	char		*path;		/* below the mount, starts with '/' */
	char		*query_string;	/* as sent, "" when there is none */
	struct fields	 query;
	struct fields	 cookies;
	struct fields	 form;		/* an url-encoded POST body */
	int		 form_present;	/* the body was url-encoded */
	json_t		*json;		/* a JSON POST body (an object) */
	char		*bearer;	/* Authorization: Bearer's token */
	int		 bearer_malformed; /* "Bearer" with a bad token */
	int		 has_authorization; /* the header arrived at all */
	char		*uri;		/* REQUEST_URI as sent, or "" */
	int		 wants_html;	/* Accept names text/html */
	char		*host;		/* the Host header, or NULL */
	char		*origin;	/* the Origin header, or NULL */
	char		*sec_fetch_site; /* Sec-Fetch-Site, or NULL */
	enum http_method subject_method; /* X-Forwarded-Method: that of the
					   request a verdict is asked for
					   (/auth/check); else method */
	char		*content_type;	/* media type only, lower case */
	char		*remote_addr;	/* the peer: the server or a proxy */
	char		*client_addr;	/* who asked: see proxy.c */
	char		*user_agent;	/* "" unless sent and not too long */
	int		 https;
	const char	*error;		/* why request_parse refused it */
};

/* Bounds on what request_parse accepts. */
#define REQUEST_COOKIE_MAX	16384	/* bytes of Cookie header */
#define REQUEST_QUERY_MAX	8192	/* bytes of query string */
#define REQUEST_PATH_MAX	4096	/* bytes of path */
#define REQUEST_FIELDS_MAX	256	/* pairs in a query or a body */
#define REQUEST_AGENT_MAX	1024	/* bytes of User-Agent looked at */

/*
 * The parameters Gatehouse reads, found in one pass over the server's
 * list (params_scan); NULL where a parameter was not sent.
 */
struct params {
	const char	*method;
	const char	*script_name;
	const char	*path_info;
	const char	*query_string;
	const char	*cookie;
	const char	*authorization;
	const char	*content_type;
	const char	*content_length;
	const char	*remote_addr;
	const char	*https;
	const char	*scheme;
	const char	*role;		/* FCGI_ROLE */
	const char	*request_uri;
	const char	*accept;
	const char	*host;
	const char	*origin;
	const char	*sec_fetch_site;
	const char	*x_forwarded_for;
	const char	*x_forwarded_proto;
	const char	*forwarded;
	const char	*user_agent;
	const char	*x_forwarded_method;
	const char	*mount;		/* not a parameter: [server] mount */
	int		 verdict_only;	/* not a parameter: the authorizer's
					   request, judged but not served:
					   no query or body is parsed */
	/* Set by proxy_resolve: */
	const char	*client_addr;	/* REMOTE_ADDR or client_buf */
	char		 client_buf[46];	/* INET6_ADDRSTRLEN */
	int		 forwarded_https; /* a trusted proxy took HTTPS */
};

const char *
	 env_get(char *const *, const char *);
void	 params_scan(char *const *, struct params *);
int	 params_https(const struct params *);
int	 request_parse_params(struct request *, const struct params *,
	    const char *, size_t);
int	 request_parse(struct request *, char *const *, const char *,
	    size_t);
void	 request_free(struct request *);
const char *
	 http_method_name(enum http_method);
int	 request_param(const struct request *, const char *, int,
	    const char **, size_t *, struct buf *);

/* secrets.c: the site's signing secrets */

#define SECRETS_MAX	8	/* secrets in the file */
#define SECRET_MIN	32	/* bytes of one, at least */
#define SECRET_LEN_MAX	256	/* bytes of one, at most */

struct secret {
	unsigned char	 bytes[SECRET_LEN_MAX];
	size_t		 len;
};

/* The secrets, the first one signing, and the file they came from. */
struct secrets {
	struct secret	 v[SECRETS_MAX];
	size_t		 n;
	unsigned long long dev, ino;
	long long	 size;
	struct timespec	 mtime;
	int64_t		 checked;	/* when the file was last looked at */
};

struct ctx;

int	 secrets_load(const char *, int, struct secrets *);
int	 secrets_check(const char *);
void	 secrets_clear(struct secrets *);
const struct secrets *
	 ctx_secrets(struct ctx *);
void	 ctx_secrets_free(struct ctx *);

/* csrf.c */

#define CSRF_TOKEN_LEN	43	/* base64url of an HMAC-SHA256 */

struct response;

int	 csrf_token(struct ctx *, const struct request *, struct response *,
	    struct buf *);
int	 csrf_check(struct ctx *, const struct request *);
const char *
	 csrf_cross_site(const struct request *);

/* proxy.c */

int	 netmask_parse(const char *, struct netmask *);
void	 proxy_resolve(struct params *, const struct proxies *);

/* response.c */

struct header {
	char	*name;
	char	*value;
	int	 owned;		/* name and value are copies to free */
};

/*
 * A response being built by a handler. A refused header or a failed
 * allocation sets "failed"; the front then sends a plain 500 instead.
 */
struct response {
	int		 status;
	struct header	*headers;
	size_t		 nheaders;
	struct buf	 body;
	int		 failed;
};

void	 response_init(struct response *);
void	 response_free(struct response *);
void	 response_reset(struct response *);
int	 response_header(struct response *, const char *, const char *);
int	 response_header_const(struct response *, const char *,
	    const char *);
int	 response_headerf(struct response *, const char *, const char *, ...)
	    GH_PRINTF(3, 4);
const char *
	 response_get_header(const struct response *, const char *);
int	 response_redirect(struct response *, int, const char *);
int	 response_json(struct response *, int, json_t *);
int	 response_json_text(struct response *, int, const struct buf *);
int	 json_add_string(struct buf *, const char *);
int	 response_serialize(const struct response *, int, struct buf *);
const char *
	 http_reason(int);

/* headers.c */

struct header_policy;

struct header_policy *
	 headers_policy_new(void);
void	 headers_policy_free(struct header_policy *);
int	 headers_section(const char *, const char **, size_t *, char *,
	    size_t);
int	 headers_policy_set(struct header_policy *, const char *,
	    const char *, const char *, int, char *, size_t);
int	 headers_policy_finish(struct header_policy *, char *, size_t,
	    int *);
void	 headers_apply(const struct header_policy *, struct response *,
	    const struct request *);

/* template.c */

/* A placeholder's name and the text that replaces it, HTML-escaped. */
struct tvar {
	const char	*name;
	const char	*value;
};

int	 html_escape(struct buf *, const char *, size_t);
int	 template_render(struct buf *, const char *, size_t,
	    const struct tvar *, size_t);
int	 template_uses(const char *, size_t, const char *);
int	 file_read(const char *, size_t, struct buf *);

/* filecache.c: page files kept in memory while unchanged */
int	 file_read_cached(const char *, size_t, int64_t, struct buf *);
void	 file_cache_clear(void);

/* app.c: what every handler is given besides the request */

struct token_cache;

struct ctx {
	const struct config	*cfg;
	struct store		*store;	/* opened on first use */
	int			 store_checked;	/* in this request */
	int64_t			 store_seen;	/* when last checked */
	int			 create_store;	/* may create the file (tests) */
	int			 authorizer_only; /* gatehouse -a */
	int64_t			 now;	/* the request's time, epoch seconds */
	const char		*client; /* its client address for the audit
					   trail (auth_client); NULL between
					   requests */

	/* Signing keys, reloaded when the store's key generation moves. */
	struct keyset		 keys;
	int			 keys_loaded;
	int64_t			 keys_generation;
	int64_t			 revocations;	/* as read this request */
	int64_t			 keys_retry;	/* when to read failed keys again */
	size_t			 active_kid;	/* index + 1 while loading */
	struct token_cache	*token_cache;	/* tokens verified lately */
	struct secrets		*secrets;	/* see secrets.c */
};

typedef int	(*body_reader)(void *, char *, size_t);

struct store *
	 ctx_store(struct ctx *);
int	 app_handle(struct ctx *, char *const *, body_reader, void *,
	    struct buf *);

/* fcgi.c */

int	 fcgi_serve(struct ctx *);
int	 cgi_serve(struct ctx *);

/* workers.c: a pool of FastCGI processes on one socket. */
int	 workers_run(int, int (*)(void *), void *);

/* token.c: access and refresh tokens */

/* Who a request is, by session cookie or by access token. */
struct principal {
	char		*user;
	int64_t		 user_id;
	int		 admin;
	int		 via_token;	/* 0: a session cookie */
	char		*jti;		/* tokens only */
	int64_t		 created;
	int64_t		 expires;	/* when the credential ends */
	int64_t		 absolute;	/* sessions: the absolute end */
};

enum token_result {
	TOKEN_OK,
	TOKEN_INVALID,		/* refused; the reason says why */
	TOKEN_USED,		/* a refresh token exchanged meanwhile */
	TOKEN_NOKEY,		/* no active signing key */
	TOKEN_UNAVAILABLE	/* the store failed (logged) */
};

struct user;

void	 principal_clear(struct principal *);
int	 token_new_kid(char *, size_t);
long long token_grace(const struct config *);
char	*token_key_path(const struct config *, const char *);
int	 token_keys(struct ctx *);
void	 token_keys_free(struct ctx *);
const char *
	 token_check_claims(const json_t *, const struct config *, int64_t,
	    int);
int	 token_verify(struct ctx *, const char *, size_t, int,
	    struct principal *, const char **);
int	 token_issue(struct ctx *, const struct user *, const unsigned char *,
	    int64_t, const unsigned char *, json_t **);
int	 token_refresh(struct ctx *, const char *, json_t **, const char **);
int	 token_revoke(struct ctx *, const char *);

/* audit.c: the audit trail */

enum audit_event {
	AUDIT_LOGIN_SUCCESS,
	AUDIT_LOGIN_FAILURE,
	AUDIT_LOGOUT,
	AUDIT_LOCKOUT,
	AUDIT_UNLOCK,
	AUDIT_PASSWORD_CHANGE,
	AUDIT_SESSION_REVOKE,
	AUDIT_TOKEN_ISSUE,
	AUDIT_TOKEN_REFRESH,
	AUDIT_TOKEN_REVOKE,
	AUDIT_ACCOUNT_CHANGE,	/* by gatehouse-admin: added, disabled, ... */
	AUDIT__MAX
};

const char *
	 audit_event_name(enum audit_event);
void	 audit_record(struct store *, int64_t, enum audit_event,
	    const char *, const char *, const char *);
void	 audit_purge(struct store *, int64_t, const struct config *);

/* auth.c: sessions as the HTTP side sees them */

enum auth_result {
	AUTH_NONE = 0,		/* no live session */
	AUTH_OK = 1,		/* "session" is filled in */
	AUTH_UNAVAILABLE = -1	/* the store failed: answer 503 */
};

/* What auth_login says of a user name and password. */
enum login_result {
	LOGIN_UNAVAILABLE = -1,	/* the store failed (logged) */
	LOGIN_FAILED = 0,	/* wrong, unknown or disabled: one answer */
	LOGIN_OK = 1,		/* "u" is filled in */
	LOGIN_THROTTLED = 2	/* too many failures: 429, Retry-After */
};

int	 auth_session(struct ctx *, const struct request *,
	    struct session *);
int	 auth_request(struct ctx *, const struct request *,
	    struct principal *, int *);
int	 auth_login(struct ctx *, const struct request *, const char *,
	    const char *, size_t, struct user *, long long *);
int	 auth_reauth(struct ctx *, const struct request *, const char *,
	    const char *, size_t, struct user *, long long *);
const char *
	 auth_client(const struct request *);
int	 credentials_check(const char *, size_t, size_t, struct buf *);
int	 auth_end_sessions(struct ctx *, const struct request *);
int	 auth_start_session(struct ctx *, const struct request *,
	    struct response *, const struct user *, int);
int	 auth_new_session(struct ctx *, const struct request *, int64_t, int,
	    struct session *, char [SESSION_ID_LEN + 1]);
int	 auth_session_cookie(struct ctx *, struct response *, const char *,
	    int);
int	 auth_set_cookie(struct ctx *, struct response *, const char *);
int	 auth_clear_cookie(struct ctx *, struct response *);
int	 auth_access_cookie(struct ctx *, struct response *, const char *);

/* pages.c: HTML answers built from the templates */

int	 page_fill(struct ctx *, const struct request *, struct response *,
	    const struct buf *, const struct tvar *, size_t);
int	 page_render(struct ctx *, const struct request *, struct response *,
	    int, const char *, const struct tvar *, size_t);
int	 page_error(struct ctx *, const struct request *, struct response *,
	    int, const char *);
int	 page_to_login(const struct request *, struct response *,
	    const char *);
int	 page_append(struct ctx *, const struct request *, struct response *,
	    const char *, const struct tvar *, size_t);
int	 page_render_parts(struct ctx *, const struct request *,
	    struct response *, int, const char *, const struct tvar *, size_t,
	    const char *, int (*)(void *, struct ctx *, const struct request *,
	    struct response *), void *);
int	 pages_check(const struct config *);
void	 page_retry_text(char *, size_t, const char *, long long);
int	 json_error(struct response *, int, const char *);
int	 respond_unavailable(struct ctx *, const struct request *,
	    struct response *, int);
int	 respond_unauthenticated(struct ctx *, const struct request *,
	    struct response *, int, int);
int	 respond_unless_known(struct ctx *, const struct request *,
	    struct response *, struct principal *);
int	 respond_unless_session_form(struct ctx *, const struct request *,
	    struct response *, const char *, struct session *);
char	*site_path(const struct request *, const char *);
char	*after_login_target(const struct request *, const struct config *,
	    const char *);

/* routes.c */

typedef int	(*handler)(const struct request *, struct ctx *,
		    struct response *);

int	 route_request(const struct request *, struct ctx *,
	    struct response *);

/* Handlers, one file each (h_*.c). */
int	 h_login_form(const struct request *, struct ctx *, struct response *);
int	 h_login(const struct request *, struct ctx *, struct response *);
int	 h_logout_page(const struct request *, struct ctx *,
	    struct response *);
int	 h_logout(const struct request *, struct ctx *, struct response *);
int	 h_whoami(const struct request *, struct ctx *, struct response *);
int	 h_healthz(const struct request *, struct ctx *, struct response *);
int	 h_private(const struct request *, struct ctx *, struct response *);
int	 h_root(const struct request *, struct ctx *, struct response *);
int	 h_api(const struct request *, struct ctx *, struct response *);
int	 h_token(const struct request *, struct ctx *, struct response *);
int	 h_token_refresh(const struct request *, struct ctx *,
	    struct response *);
int	 h_token_revoke(const struct request *, struct ctx *,
	    struct response *);
int	 h_jwks(const struct request *, struct ctx *, struct response *);
int	 h_auth_check(const struct request *, struct ctx *,
	    struct response *);
int	 h_authorize(const struct request *, struct ctx *, struct response *);
int	 h_sessions(const struct request *, struct ctx *, struct response *);
int	 h_sessions_revoke(const struct request *, struct ctx *,
	    struct response *);
int	 h_password_form(const struct request *, struct ctx *,
	    struct response *);
int	 h_password(const struct request *, struct ctx *, struct response *);
int	 h_password_strength(const struct request *, struct ctx *,
	    struct response *);

#endif /* GATEHOUSE_H */
