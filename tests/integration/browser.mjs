// The browser login flow in a real headless Chromium, through the
// lighttpd that tests/integration/browser.sh started: a private page
// sends the browser to the login form, the form logs it in and back,
// the web server's guarded folder opens, logout ends it all; then the
// sessions page logs a second browser out, the strength meter shows the
// server's verdict, the password is changed, the token demo runs, and
// each error page is met for real (the shell commands GH_STORE_DOWN and
// GH_STORE_UP take the database away for a moment, to provoke a 503).
// Prints TAP lines (the shell script counts them).
// Any console message (a Content Security Policy violation, a failed
// load) is a failure too.
//
//   node browser.mjs BASE_URL USER PASSWORD
import { chromium } from 'playwright-core';

const [base, user, password] = process.argv.slice(2);
let n = 0, failed = 0;
function check(name, got, want) {
	n++;
	if (got === want) {
		console.log(`ok ${n} - browser: ${name}`);
	} else {
		failed++;
		console.log(`not ok ${n} - browser: ${name}`);
		console.log(`# got:  ${JSON.stringify(got)}`);
		console.log(`# want: ${JSON.stringify(want)}`);
	}
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const problems = [], refused = [];
try {
	const page = await browser.newPage();
	// Error answers are listed by address below; anything else said on
	// the console (a CSP violation, a script error) is a problem.
	page.on('console', (m) => {
		if (!m.text().startsWith('Failed to load resource'))
			problems.push(`console ${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
	page.on('response', (r) => {
		if (r.status() >= 400)
			refused.push(`${r.status()} ${r.request().method()} ` +
			    new URL(r.url()).pathname);
	});

	// Login CSRF: another site's page posts a login form to us (with
	// the attacker's own credentials). Chromium says where it came
	// from; Gatehouse refuses it and starts no session.
	await page.route('http://evil.test/**', (route) => route.fulfill({
		contentType: 'text/html',
		body: `<form method="post" action="${base}/login">` +
		    `<input name="username" value="${user}">` +
		    `<input name="password" value="${password}"></form>`,
	}));
	await page.goto('http://evil.test/');
	const [attack] = await Promise.all([page.waitForNavigation(),
	    page.evaluate(() => document.forms[0].submit())]);
	check('a login form posted from another site is refused',
	    attack.status(), 403);
	check('... and starts no session',
	    (await page.context().cookies()).some(
	    (c) => c.name === '__Host-gh_sid'), false);

	// A private page, logged out: the login form, with the way back.
	await page.goto(`${base}/private/example.html`);
	check('a private page leads to the login form',
	    new URL(page.url()).pathname, '/login');
	check('... which knows the way back',
	    new URL(page.url()).searchParams.get('next'),
	    '/private/example.html');
	check('the form is styled (the stylesheet loads under the CSP)',
	    await page.evaluate(() => document.styleSheets.length > 0 &&
	    document.styleSheets[0].cssRules.length > 0), true);

	// The keyboard's focus is plain to see: a ring around the field.
	await page.focus('#username');
	await page.keyboard.press('Tab');
	check('the keyboard focus is visible', await page.evaluate(() => {
		const s = getComputedStyle(document.activeElement);
		return `${document.activeElement.id} ${s.outlineStyle} ` +
		    s.outlineWidth;
	}), 'password solid 3px');

	// The Show button reveals the password and hides it again.
	await page.fill('input[name=password]', 'typed');
	await page.click('button.reveal');
	check('"Show" reveals the password',
	    await page.getAttribute('#password', 'type'), 'text');
	check('... and is named for what it does now',
	    `${await page.textContent('button.reveal')} ` +
	    await page.getAttribute('button.reveal', 'aria-label'),
	    'Hide Hide password');
	await page.click('button.reveal');
	check('... and "Hide" hides it',
	    await page.getAttribute('#password', 'type'), 'password');

	// A wrong password: the form again, with the message.
	await page.fill('input[name=username]', user);
	await page.fill('input[name=password]', 'not the password');
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	check('a wrong password shows the message',
	    (await page.textContent('body')).includes(
	    'Wrong user name or password.'), true);

	// The right one: back to the page first asked for.
	await page.fill('input[name=username]', user);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	check('login brings the browser back',
	    new URL(page.url()).pathname, '/private/example.html');
	const cookies = await page.context().cookies();
	const sid = cookies.find((c) => c.name === '__Host-gh_sid');
	check('the session cookie is __Host-, HttpOnly, Secure, Lax',
	    sid && `${sid.httpOnly} ${sid.secure} ${sid.sameSite} ${sid.path}`,
	    'true true Lax /');
	check('scripts cannot read it',
	    await page.evaluate(() => document.cookie.includes('gh_sid')),
	    false);

	// The folder lighttpd serves, guarded by Gatehouse as authorizer.
	await page.goto(`${base}/members/`);
	check('the guarded folder opens', await page.textContent('h1'),
	    'Members');
	await page.goto(`${base}/members/who.cgi`);
	check('its program learns the user',
	    (await page.textContent('body')).includes(`REMOTE_USER=${user}`),
	    true);

	// A reload keeps the session.
	await page.goto(`${base}/private/`);
	await page.reload();
	check('a reload keeps the session',
	    await page.textContent('.who strong'), user);

	// Logout, with the button on the private page.
	check('the private page names the user',
	    await page.textContent('.who strong'), user);
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action="/logout"] button')]);
	check('logout leads to the logged-out page',
	    new URL(page.url()).pathname, '/logout');
	check('... and the cookie is gone',
	    (await page.context().cookies()).some(
	    (c) => c.name === '__Host-gh_sid'), false);
	await page.goBack();
	check('"back" after logout shows no private page',
	    new URL(page.url()).pathname === '/private/' &&
	    (await page.textContent('body')).includes('Logged in as'), false);
	await page.goto(`${base}/members/`);
	check('the guarded folder is closed again',
	    new URL(page.url()).pathname, '/login');

	// Logged in again, and a second browser too; the sessions page
	// lists both, and logs the other one out once the password is given
	// again.
	await page.goto(`${base}/login`);
	await page.fill('input[name=username]', user);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await otherPage.goto(`${base}/login`);
	await otherPage.fill('input[name=username]', user);
	await otherPage.fill('input[name=password]', password);
	await Promise.all([otherPage.waitForNavigation(),
	    otherPage.click('button[type=submit]')]);
	await page.goto(`${base}/private/`);
	await Promise.all([page.waitForNavigation(),
	    page.click('a[href="/sessions"]')]);
	check('the sessions page lists both sessions',
	    await page.locator('tbody tr').count(), 2);
	check('... marks this one',
	    await page.textContent('tr.this .this-one'), 'This session');
	check('... names the browser', (await page.textContent(
	    'tr.this td')).includes('Chrome on Linux'), true);
	await page.check('input[name=session]');
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[value=one]')]);
	check('the chosen session is logged out',
	    (await page.textContent('.notice')).trim(),
	    'The chosen session was logged out.');
	check('... and is one row shorter',
	    await page.locator('tbody tr').count(), 1);
	check('the other browser is logged out',
	    (await otherPage.goto(`${base}/whoami`)).status(), 401);
	await other.close();

	// The password: a weak one is refused with the reason, then changed.
	await page.click('a[href="/password"]');
	await page.waitForURL(`${base}/password`);
	const newPassword = `${password} lantern`;
	check('without typing, the strength meter is hidden',
	    await page.isHidden('#strength'), true);
	const weak = await meter(page, 'password1234');
	check('the meter shows the server\'s verdict on a weak password',
	    `${weak.ok} ${weak.text === weak.reason} ` +
	    `${weak.reason.includes('too easy to guess')}`, 'false true true');
	check('... below the line the policy draws',
	    weak.visible && weak.value === weak.bits && weak.value < weak.low &&
	    weak.low === weak.needed, true);
	const strong = await meter(page, newPassword);
	check('... and on a strong one',
	    `${strong.ok} ${strong.text}`, 'true Strong enough for this site.');
	check('... above the line', strong.value >= strong.low, true);
	await page.fill('input[name=current]', password);
	await page.fill('input[name=new]', 'password1234');
	await page.fill('input[name=repeat]', 'password1234');
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	check('a weak password is refused with the reason',
	    (await page.textContent('.error')).includes('too easy to guess'),
	    true);
	await page.fill('input[name=current]', password);
	await page.fill('input[name=new]', newPassword);
	await page.fill('input[name=repeat]', newPassword);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	check('the password is changed', await page.textContent('h1'),
	    'Your password was changed');
	check('... and this browser stays logged in',
	    (await page.goto(`${base}/whoami`)).status(), 200);
	// And back, for the screenshots below.
	await page.goto(`${base}/password`);
	await page.fill('input[name=current]', newPassword);
	await page.fill('input[name=new]', password);
	await page.fill('input[name=repeat]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit]')]);
	check('... and changed back', await page.textContent('h1'),
	    'Your password was changed');
	await page.goto(`${base}/private/`);
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action="/logout"] button')]);
	check('... and logs out again', (await page.context().cookies()).some(
	    (c) => c.name === '__Host-gh_sid'), false);

	// The token demo: tokens from /token, /api/ with the bearer token,
	// a refresh when the access token no longer works, logout.
	await page.goto(`${base}/app/`);
	await page.fill('#username', user);
	await page.fill('#password', password);
	await page.click('#login button[type=submit]');
	await page.waitForSelector('#signed-in:not([hidden])');
	const stored = () => page.evaluate(() => JSON.parse(
	    sessionStorage.getItem('gatehouse-demo-tokens')));
	const first = await stored();
	check('the demo keeps its tokens in sessionStorage',
	    typeof first?.access === 'string' && first.access.split('.').length,
	    3);
	check('... and no cookie carries a session',
	    (await page.context().cookies()).some(
	    (c) => c.name === '__Host-gh_sid'), false);
	const lastEvent = async (n) => {
		await page.waitForFunction((k) =>
		    document.querySelectorAll('#events li').length >= k, n);
		return page.evaluate(() => [...document.querySelectorAll(
		    '#events li')].pop().textContent);
	};
	await page.click('#call');
	check('the demo calls /api/ with the token, for the user',
	    (await lastEvent(2)).startsWith(`/api/ answered for ${user}`),
	    true);

	// Expired: the stored expiry is put in the past; the demo must
	// refresh before it calls, and get a new pair.
	await page.evaluate(() => {
		const t = JSON.parse(sessionStorage.getItem(
		    'gatehouse-demo-tokens'));
		t.expires = 0;
		sessionStorage.setItem('gatehouse-demo-tokens',
		    JSON.stringify(t));
	});
	await page.click('#call');
	await lastEvent(4);
	const second = await stored();
	check('an expired access token is refreshed first',
	    second.refresh !== first.refresh && second.access !== first.access,
	    true);
	check('... and the call then succeeds',
	    (await lastEvent(4)).startsWith(`/api/ answered for ${user}`),
	    true);

	// Revoked on the server (as if it had expired early): /api/ says
	// 401, the demo refreshes once and tries again.
	// (From this script, not the page: the page's own requests are the
	// ones watched above.)
	const revoked = (await fetch(`${base}/token/revoke`, {
	    method: 'POST', headers: { 'Content-Type': 'application/json' },
	    body: JSON.stringify({ token: (await stored()).access }) })).status;
	check('the test revoked the access token', revoked, 200);
	await page.click('#call');
	check('a refused access token is refreshed and the call retried',
	    (await lastEvent(6)).startsWith(`/api/ answered for ${user}`),
	    true);

	await page.click('#logout');
	await page.waitForSelector('#login:not([hidden])');
	check('logout revokes both tokens', await lastEvent(7),
	    'Logged out: both tokens revoked.');
	check('... and forgets them', await stored(), null);
	await withoutScripts();
	await errorPages();
	check('no console messages, no failed loads', problems.join('; '), '');
	check('the error answers are the forged login\'s, the wrong ' +
	    'password\'s, the weak new password\'s and the revoked token\'s',
	    refused.join('; '), '403 POST /login; 401 POST /login; ' +
	    '400 POST /password; 401 GET /api/');

	// Screenshots of every page at a desktop and a phone width, for a
	// person to look at (SHOTS names the folder; git ignores it).
	if (process.env.SHOTS)
		await screenshots(process.env.SHOTS);
} finally {
	await browser.close();
}

// Type "candidate" as the new password on the password page "p"; once
// the meter has the server's answer, what the answer said and what the
// meter shows.
async function meter(p, candidate) {
	const [answer] = await Promise.all([
	    p.waitForResponse((r) => r.url().endsWith('/password/strength')),
	    p.fill('#new', candidate)]);
	const verdict = await answer.json();
	await p.waitForFunction((want) => document.getElementById(
	    'strength-text').textContent === want, verdict.ok ?
	    'Strong enough for this site.' : verdict.reason);
	return { ...verdict, ...await p.evaluate(() => {
		const m = document.getElementById('strength-meter');
		const box = document.getElementById('strength');
		return { value: m.value, low: m.low,
		    visible: !m.hidden && !box.hidden,
		    text: document.getElementById('strength-text')
		    .textContent };
	}) };
}

// With JavaScript off, the password page works as it did: no meter, no
// Show button, and the server's verdict on a weak password after sending
// the form.
async function withoutScripts() {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const p = await ctx.newPage();
	await p.goto(`${base}/login?next=/password`);
	await p.fill('#username', user);
	await p.fill('#password', password);
	await Promise.all([p.waitForNavigation(),
	    p.click('button[type=submit]')]);
	check('without JavaScript: the login leads to the password page',
	    new URL(p.url()).pathname, '/password');
	check('... which shows no meter and no Show button',
	    `${await p.isHidden('#strength')} ` +
	    await p.locator('button.reveal').count(), 'true 0');
	await p.fill('#current', password);
	await p.fill('#new', 'password1234');
	await p.fill('#repeat', 'password1234');
	const [r] = await Promise.all([p.waitForNavigation(),
	    p.click('button[type=submit]')]);
	check('... and the form says why a weak password is refused',
	    `${r.status()} ${(await p.textContent('.error')).includes(
	    'too easy to guess')}`, '400 true');
	await ctx.close();
}

// Each error page a browser can meet, provoked for real in a browser of
// its own: the right status, the shared template (its title, heading and
// stylesheet), the security headers, and not a console message.
async function errorPages() {
	const statuses = { 401: 'Unauthorized', 403: 'Forbidden',
	    404: 'Not Found', 429: 'Too Many Requests',
	    503: 'Service Unavailable' };
	const send = (p, edit) => Promise.all([p.waitForNavigation(),
	    p.evaluate(edit)]).then(([r]) => r);
	const provoke = {
		// The login form's token, sent to the password form with no
		// session: the token is good, the session missing.
		401: async (p) => {
			await p.goto(`${base}/login`);
			return send(p, () => {
				document.forms[0].action = '/password';
				document.forms[0].submit();
			});
		},
		// Another site's form, posted to the password form.
		403: async (p) => {
			await p.route('http://evil.test/**', (route) =>
			    route.fulfill({ contentType: 'text/html', body:
			    `<form method="post" action="${base}/password">` +
			    '<input name="new" value="x"></form>' }));
			await p.goto('http://evil.test/');
			return send(p, () => document.forms[0].submit());
		},
		// A path Gatehouse is given but has no page for (lighttpd
		// answers for paths outside its routes itself).
		404: (p) => p.goto(`${base}/login/no-such-page`),
		// Wrong passwords for a name until it is held back.
		429: async (p) => {
			let r;
			for (let i = 0; i < 12; i++) {
				await p.goto(`${base}/login`);
				await p.fill('#username', 'mallory');
				await p.fill('#password', 'not it');
				r = await send(p,
				    () => document.forms[0].submit());
				if (r.status() === 429)
					break;
			}
			return r;
		},
		// The database gone for a moment: a login.
		503: async (p) => {
			const { execSync } = await import('node:child_process');
			const sh = { shell: '/bin/bash', stdio: 'ignore' };
			await p.goto(`${base}/login`);
			await p.fill('#username', user);
			await p.fill('#password', password);
			execSync(process.env.GH_STORE_DOWN, sh);
			try {
				// The store looks at its file once a second.
				await new Promise((ok) => setTimeout(ok, 1100));
				return await send(p,
				    () => document.forms[0].submit());
			} finally {
				execSync(process.env.GH_STORE_UP, sh);
			}
		},
	};
	for (const [code, reason] of Object.entries(statuses)) {
		const ctx = await browser.newContext();
		const p = await ctx.newPage();
		const said = [];
		p.on('console', (m) => {
			if (!m.text().startsWith('Failed to load resource'))
				said.push(m.text());
		});
		p.on('pageerror', (e) => said.push(e.message));
		const r = await provoke[code](p);
		const csp = r.headers()['content-security-policy'] || '';
		check(`a ${code} page: the status, title and heading`,
		    `${r.status()} ${await p.title()} | ` +
		    await p.textContent('h1'),
		    `${code} ${code} ${reason} — Gatehouse | ` +
		    `${code} ${reason}`);
		check(`... styled, in English, with the security headers`,
		    await p.evaluate(() => document.documentElement.lang ===
		    'en' && document.styleSheets[0].cssRules.length > 0) &&
		    csp.includes("default-src 'self'") &&
		    r.headers()['x-content-type-options'] === 'nosniff' &&
		    r.headers()['cache-control'] === 'no-store', true);
		const ra = r.headers()['retry-after'];
		if (code === '429' || code === '503')
			check(`... says when to try again, as Retry-After does`,
			    ra !== undefined && (await p.textContent('main'))
			    .includes(`Please try again in ${ra} second` +
			    `${ra === '1' ? '' : 's'}.`), true);
		check(`... without a console message`, said.join('; '), '');
		const shots = process.env.SHOTS;
		if (shots) {
			await p.screenshot({ fullPage: true,
			    path: `${shots}/error-${code}-desktop.png` });
			await p.setViewportSize({ width: 390, height: 844 });
			await p.screenshot({ fullPage: true,
			    path: `${shots}/error-${code}-phone.png` });
		}
		await ctx.close();
	}
}

async function screenshots(dir) {
	const { mkdir } = await import('node:fs/promises');
	await mkdir(dir, { recursive: true });
	const sizes = { desktop: { width: 1280, height: 800 },
	    phone: { width: 390, height: 844 } };
	const wide = [];
	for (const [size, viewport] of Object.entries(sizes)) {
		const ctx = await browser.newContext({ viewport,
		    isMobile: size === 'phone', hasTouch: size === 'phone' });
		const p = await ctx.newPage();
		const shot = async (name) => {
			await p.screenshot({ fullPage: true,
			    path: `${dir}/${name}-${size}.png` });
			// Not innerWidth: a phone widens its layout viewport
			// to fit a page that is too wide.
			if (await p.evaluate(() => document.documentElement
			    .scrollWidth) > viewport.width)
				wide.push(`${name}-${size}`);
		};
		await p.goto(`${base}/`);
		await shot('home');
		await p.goto(`${base}/login`);
		await shot('login');
		await p.fill('input[name=username]', user);
		await p.fill('input[name=password]', 'not the password');
		await Promise.all([p.waitForNavigation(),
		    p.click('button[type=submit]')]);
		await shot('login-failed');
		await p.fill('input[name=password]', password);
		await Promise.all([p.waitForNavigation(),
		    p.click('button[type=submit]')]);
		await shot('private');
		await p.goto(`${base}/private/example.html`);
		await shot('private-example');
		await p.goto(`${base}/sessions`);
		await shot('sessions');
		await p.goto(`${base}/password`);
		await shot('password');
		await meter(p, 'password1234');
		await shot('password-weak');
		await meter(p, `${password} lantern`);
		await shot('password-strong');
		await p.goto(`${base}/logout`);
		await shot('logout');
		await Promise.all([p.waitForNavigation(),
		    p.click('form[action="/logout"] button')]);
		await shot('logged-out');
		await p.goto(`${base}/app/`);
		await shot('token-demo');
		await ctx.close();
	}
	check('no page is wider than the screen (a phone\'s too)',
	    wide.join(' '), '');
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
