// The token demo of www/public/app/index.html: log in with POST /token,
// call /api/ with the access token, refresh it when it has expired (or
// when the API says it is no longer good), log out. Plain JavaScript,
// loaded from this origin, so the site's Content-Security-Policy holds.
'use strict';

const base = document.querySelector('meta[name="gatehouse-base"]').content;
const TOKENS = 'gatehouse-demo-tokens';
const CHOICE = 'gatehouse-demo-storage';
const $ = (id) => document.getElementById(id);

// Which storage the user chose; the choice itself is kept in
// localStorage so that a new tab knows where to look.
function storage() {
	return localStorage.getItem(CHOICE) === 'local' ? localStorage :
	    sessionStorage;
}

function loadTokens() {
	try {
		return JSON.parse(storage().getItem(TOKENS));
	} catch {
		return null;
	}
}

function saveTokens(answer, user) {
	storage().setItem(TOKENS, JSON.stringify({
		user,
		access: answer.access_token,
		refresh: answer.refresh_token,
		// A few seconds early, so a token is not sent as it expires.
		expires: Date.now() + (answer.expires_in - 5) * 1000,
	}));
}

function forgetTokens() {
	sessionStorage.removeItem(TOKENS);
	localStorage.removeItem(TOKENS);
}

function say(text) {
	const li = document.createElement('li');
	li.textContent = text;
	$('events').append(li);
}

function problem(text) {
	$('problem').textContent = text;
}

// POST a JSON body; no cookies go with it, so only the token counts.
async function post(path, body, access) {
	const headers = { 'Content-Type': 'application/json',
	    'Accept': 'application/json' };
	if (access)
		headers.Authorization = `Bearer ${access}`;
	return fetch(base + path, { method: 'POST', headers,
	    body: JSON.stringify(body), credentials: 'omit' });
}

async function errorOf(res) {
	try {
		const j = await res.json();
		return j.error_description || j.error || res.statusText;
	} catch {
		return res.statusText;
	}
}

// Trade the refresh token for a new pair. False if it is no longer good
// (used, revoked, or past the login's end): then one must log in again.
async function refresh() {
	const t = loadTokens();
	if (!t)
		return false;
	const res = await post('/token/refresh', { refresh_token: t.refresh });
	if (!res.ok) {
		say(`Refresh refused (${res.status}): log in again.`);
		forgetTokens();
		return false;
	}
	saveTokens(await res.json(), t.user);
	say('The access token had expired: a new pair was fetched with the ' +
	    'refresh token.');
	return true;
}

async function callApi() {
	problem('');
	let t = loadTokens();
	if (t && Date.now() >= t.expires && !(await refresh()))
		return show();
	for (let attempt = 0; attempt < 2; attempt++) {
		t = loadTokens();
		const res = await fetch(`${base}/api/`, { credentials: 'omit',
		    headers: { Authorization: `Bearer ${t.access}`,
		    Accept: 'application/json' } });
		if (res.ok) {
			const j = await res.json();
			say(`/api/ answered for ${j.user} (token issued ` +
			    `${j.token.issued}).`);
			return show();
		}
		// Revoked or expired early (clock skew): refresh once.
		if (res.status !== 401 || attempt > 0 || !(await refresh())) {
			problem(`/api/ refused: ${await errorOf(res)}`);
			return show();
		}
	}
}

async function login(event) {
	event.preventDefault();
	problem('');
	const form = $('login');
	const user = form.username.value;
	localStorage.setItem(CHOICE, form.storage.value);
	const res = await post('/token', { username: user,
	    password: form.password.value });
	form.password.value = '';
	if (!res.ok) {
		problem(res.status === 401 ? 'Wrong user name or password.' :
		    `Login refused: ${await errorOf(res)}`);
		return;
	}
	saveTokens(await res.json(), user);
	say(`Logged in as ${user}.`);
	show();
}

// Revoke both tokens on the server, then forget them here.
async function logout() {
	const t = loadTokens();
	if (t) {
		const res = await post('/logout', { refresh_token: t.refresh },
		    t.access);
		say(res.status === 204 ? 'Logged out: both tokens revoked.' :
		    `Logout answered ${res.status}; the tokens are forgotten ` +
		    'here anyway.');
	}
	forgetTokens();
	show();
}

function show() {
	const t = loadTokens();
	$('login').hidden = !!t;
	$('signed-in').hidden = !t;
	if (t) {
		$('who').textContent = t.user;
		$('where').textContent = storage() === localStorage ?
		    'localStorage' : 'sessionStorage';
		$('expires').textContent =
		    new Date(t.expires).toLocaleTimeString();
	}
}

$('login').addEventListener('submit', login);
$('call').addEventListener('click', callApi);
$('logout').addEventListener('click', logout);
show();
