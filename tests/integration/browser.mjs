// The browser login flow in a real headless Chromium, through the
// lighttpd that tests/integration/browser.sh started: a private page
// sends the browser to the login form, the form logs it in and back,
// the web server's guarded folder opens, logout ends it all; then the
// sessions page logs a second browser out, the password is changed, and
// the token demo runs. Prints TAP lines (the shell script counts them).
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

	// The Show button reveals the password and hides it again.
	await page.fill('input[name=password]', 'typed');
	await page.click('button.reveal');
	check('"Show" reveals the password',
	    await page.getAttribute('#password', 'type'), 'text');
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

async function screenshots(dir) {
	const { mkdir } = await import('node:fs/promises');
	await mkdir(dir, { recursive: true });
	const sizes = { desktop: { width: 1280, height: 800 },
	    phone: { width: 390, height: 844 } };
	for (const [size, viewport] of Object.entries(sizes)) {
		const ctx = await browser.newContext({ viewport,
		    isMobile: size === 'phone', hasTouch: size === 'phone' });
		const p = await ctx.newPage();
		const shot = (name) => p.screenshot({ fullPage: true,
		    path: `${dir}/${name}-${size}.png` });
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
		await p.goto(`${base}/no-such-page`);
		await shot('error-404');
		await p.goto(`${base}/logout`);
		await shot('logout');
		await Promise.all([p.waitForNavigation(),
		    p.click('form[action="/logout"] button')]);
		await shot('logged-out');
		await p.goto(`${base}/app/`);
		await shot('token-demo');
		await ctx.close();
	}
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
