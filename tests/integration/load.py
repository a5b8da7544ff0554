#!/usr/bin/env python3
# Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
#
# The load driver of tests/integration/load.sh and faults.sh: CLIENTS
# browsers, each a thread with its own keep-alive connection, its own
# cookies and its own user, go round the whole flow until the time is
# up: the login form, a login, protected pages and /whoami, a token
# pair, the API, a refresh, and a logout (every fourth round keeps its
# session instead, to be checked at the end). Every answer is checked:
# its status, and that it names the user whose cookie or token asked.
#
# wrk's Lua keeps one state per thread, not per connection, so it
# cannot play 64 separate browsers with their own cookies cleanly; a
# thread per client does, and Python's own http.client is enough to
# keep four FastCGI workers busy.
#
# usage: load.py BASE_URL PASSWORD CLIENTS SECONDS REPORT
#   users are u0 .. u(CLIENTS-1), all with PASSWORD. REPORT gets one
#   "name value" line per figure (see the end of this file).

import http.client
import json
import re
import sys
import threading
import time
import urllib.parse

SID = "__Host-gh_sid"
NONCE = "__Host-gh_sid_csrf"
CSRF_FIELD = re.compile(r'name="csrf" value="([A-Za-z0-9_-]+)"')
COOKIE_SET = re.compile(r"^([^=;]+)=([^;]*)")


class Figures:
    """Counts shared by all clients, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.status = {}
        self.errors = []        # (what, detail), the first few kept
        self.error_count = 0
        self.wrong_user = 0
        self.conn_errors = 0
        self.latencies = []
        self.kept = []          # (user, sid) sessions left live
        self.ended = []         # (user, sid) sessions logged out
        self.rounds = 0

    def answer(self, status, seconds):
        with self.lock:
            self.requests += 1
            self.status[status] = self.status.get(status, 0) + 1
            self.latencies.append(seconds)

    def error(self, what, detail, wrong_user=False):
        with self.lock:
            self.error_count += 1
            if wrong_user:
                self.wrong_user += 1
            if len(self.errors) < 20:
                self.errors.append((what, detail))


class Client:
    """One browser: a connection, a cookie jar, a user."""

    def __init__(self, base, user, password, figures):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.user, self.password = user, password
        self.fig = figures
        self.conn = None
        self.nonce = None

    def request(self, method, path, body=None, headers=None):
        """One request; returns (status, headers, body text) or None."""
        h = dict(headers or {})
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port,
                                                   timeout=30)
        t0 = time.monotonic()
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            self.conn = None
            with self.fig.lock:
                self.fig.conn_errors += 1
            self.fig.error("connection", "%s %s: %r" % (method, path, e))
            return None
        self.fig.answer(r.status, time.monotonic() - t0)
        if r.status >= 500:
            self.fig.error("5xx", "%s %s: %d %s" % (method, path, r.status,
                                                    data[:200]))
        for v in r.headers.get_all("Set-Cookie") or []:
            m = COOKIE_SET.match(v)
            if m and m.group(1) == NONCE:
                self.nonce = m.group(2)
        return r.status, r.headers, data

    def cookie(self, sid=None):
        parts = []
        if sid is not None:
            parts.append("%s=%s" % (SID, sid))
        if self.nonce is not None:
            parts.append("%s=%s" % (NONCE, self.nonce))
        return {"Cookie": "; ".join(parts)} if parts else {}

    def expect(self, what, got, status):
        if got is None:
            return False
        if got[0] >= 500 and status < 500:
            return False        # counted once, as a 5xx, by request()
        if got[0] != status:
            self.fig.error("status", "%s as %s: %d, want %d: %s" % (
                what, self.user, got[0], status, got[2][:200]))
            return False
        return True

    def mine(self, what, name):
        """Does an answer that names a user name ours?"""
        if name != self.user:
            self.fig.error("wrong user", "%s as %s named %r" % (
                what, self.user, name), wrong_user=True)
            return False
        return True

    def csrf(self, page, sid=None):
        got = self.request("GET", page, headers=self.cookie(sid))
        if not self.expect("GET " + page, got, 200):
            return None
        m = CSRF_FIELD.search(got[2])
        if m is None:
            self.fig.error("csrf", "no csrf field on " + page)
        return m.group(1) if m else None

    def login(self):
        token = self.csrf("/login")
        if token is None:
            return None
        body = urllib.parse.urlencode({"username": self.user,
                                       "password": self.password,
                                       "csrf": token})
        got = self.request("POST", "/login", body, self.cookie())
        if not self.expect("POST /login", got, 303):
            return None
        for v in got[1].get_all("Set-Cookie") or []:
            m = COOKIE_SET.match(v)
            if m and m.group(1) == SID and m.group(2):
                return m.group(2)
        self.fig.error("login", "no session cookie for " + self.user)
        return None

    def whoami(self, what, headers):
        got = self.request("GET", "/whoami", headers=headers)
        if self.expect(what, got, 200):
            self.mine(what, json.loads(got[2]).get("user"))

    def pages(self, sid):
        self.whoami("whoami", self.cookie(sid))
        got = self.request("GET", "/private/", headers=self.cookie(sid))
        if self.expect("GET /private/", got, 200):
            m = re.search(r"Logged in as <strong>([^<]*)</strong>", got[2])
            self.mine("private page", m.group(1) if m else None)

    def tokens(self):
        body = json.dumps({"username": self.user, "password": self.password})
        got = self.request("POST", "/token", body,
                           {"Content-Type": "application/json"})
        if not self.expect("POST /token", got, 200):
            return
        pair = json.loads(got[2])
        bearer = {"Authorization": "Bearer " + pair["access_token"]}
        got = self.request("GET", "/api/load", headers=bearer)
        if self.expect("GET /api", got, 200):
            self.mine("api", json.loads(got[2]).get("user"))
        body = urllib.parse.urlencode(
            {"refresh_token": pair["refresh_token"]})
        got = self.request("POST", "/token/refresh", body)
        if not self.expect("POST /token/refresh", got, 200):
            return
        pair = json.loads(got[2])
        self.whoami("whoami with a refreshed token",
                    {"Authorization": "Bearer " + pair["access_token"]})

    def logout(self, sid):
        token = self.csrf("/logout", sid)
        if token is None:
            return False
        got = self.request("POST", "/logout",
                           urllib.parse.urlencode({"csrf": token}),
                           self.cookie(sid))
        if not self.expect("POST /logout", got, 303):
            return False
        got = self.request("GET", "/whoami", headers=self.cookie(sid))
        return self.expect("whoami after logout", got, 401)

    def run(self, deadline):
        n = 0
        while time.monotonic() < deadline:
            n += 1
            sid = self.login()
            if sid is None:
                continue
            self.pages(sid)
            self.tokens()
            self.pages(sid)
            # The first of every four is kept, so that even a slow
            # machine, where a client may finish one round only, keeps
            # sessions to check.
            if n % 4 == 1:
                with self.fig.lock:
                    self.fig.kept.append((self.user, sid))
            elif self.logout(sid):
                with self.fig.lock:
                    self.fig.ended.append((self.user, sid))
            with self.fig.lock:
                self.fig.rounds += 1
        if self.conn is not None:
            self.conn.close()


def verify_sessions(base, password, fig):
    """After the run: kept sessions live and theirs, ended ones gone."""
    live = gone = 0
    c = Client(base, "", password, fig)
    for user, sid in fig.kept:
        c.user = user
        got = c.request("GET", "/whoami", headers=c.cookie(sid))
        if c.expect("a kept session", got, 200) and \
                c.mine("a kept session", json.loads(got[2]).get("user")):
            live += 1
    for user, sid in fig.ended[:500]:
        c.user = user
        got = c.request("GET", "/whoami", headers=c.cookie(sid))
        if c.expect("an ended session", got, 401):
            gone += 1
    return live, gone


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    i = min(len(sorted_values) - 1, int(p / 100.0 * len(sorted_values)))
    return sorted_values[i]


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: load.py BASE_URL PASSWORD CLIENTS SECONDS REPORT")
    base, password = sys.argv[1], sys.argv[2]
    clients, seconds, report = int(sys.argv[3]), float(sys.argv[4]), \
        sys.argv[5]
    fig = Figures()
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=Client(base, "u%d" % i, password,
                                              fig).run, args=(deadline,))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    load_requests = fig.requests
    live, gone = verify_sessions(base, password, fig)
    lat = sorted(fig.latencies[:load_requests])
    fives = sum(n for s, n in fig.status.items() if s >= 500)
    with open(report, "w") as f:
        print("clients %d" % clients, file=f)
        print("seconds %.1f" % elapsed, file=f)
        print("requests %d" % load_requests, file=f)
        print("rate %.0f" % (load_requests / elapsed), file=f)
        print("rounds %d" % fig.rounds, file=f)
        print("errors %d" % fig.error_count, file=f)
        print("5xx %d" % fives, file=f)
        print("wrong_user %d" % fig.wrong_user, file=f)
        print("connection_errors %d" % fig.conn_errors, file=f)
        print("kept %d" % len(fig.kept), file=f)
        print("kept_live %d" % live, file=f)
        print("ended_checked %d" % min(len(fig.ended), 500), file=f)
        print("ended_gone %d" % gone, file=f)
        print("p50_ms %.1f" % (1000 * percentile(lat, 50)), file=f)
        print("p99_ms %.1f" % (1000 * percentile(lat, 99)), file=f)
        print("statuses %s" % ",".join(
            "%d:%d" % (s, n) for s, n in sorted(fig.status.items())),
            file=f)
        for what, detail in fig.errors:
            print("error %s: %s" % (what, detail.replace("\n", " ")),
                  file=f)
        for user, sid in fig.kept:
            print("kept_session %s" % user, file=f)


if __name__ == "__main__":
    main()
