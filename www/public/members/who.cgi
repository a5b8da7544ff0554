#!/bin/sh
# A CGI program in a folder guarded by Gatehouse: the web server runs it
# only for a logged-in user, whose name it finds in REMOTE_USER (USER and
# AUTH_METHOD are Gatehouse's too). Plain text, so nothing is markup.
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
printf 'A members-only program.\n'
printf 'REMOTE_USER=%s\nUSER=%s\nAUTH_METHOD=%s\n' \
    "$REMOTE_USER" "$USER" "$AUTH_METHOD"
