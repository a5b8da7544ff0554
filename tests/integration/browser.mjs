// The browser login flow in a real headless Chromium, through the
// lighttpd that tests/integration/browser.sh started: a private page
// sends the browser to the login form, the form logs it in and back,
// the web server's guarded folder opens, logout ends it all. Prints TAP
// lines (the shell script counts them). Any console message (a Content
// Security Policy violation, a failed load) is a failure too.
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

	// Logout, with the button on the private page.
	await page.goto(`${base}/private/`);
	check('the private page names the user',
	    await page.textContent('.who strong'), user);
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action="/logout"] button')]);
	check('logout leads to the logged-out page',
	    new URL(page.url()).pathname, '/logout');
	check('... and the cookie is gone',
	    (await page.context().cookies()).some(
	    (c) => c.name === '__Host-gh_sid'), false);
	await page.goto(`${base}/members/`);
	check('the guarded folder is closed again',
	    new URL(page.url()).pathname, '/login');
	check('no console messages, no failed loads', problems.join('; '), '');
	check('the error answers are the forged login\'s and the wrong ' +
	    'password\'s', refused.join('; '), '403 POST /login; 401 POST /login');
} finally {
	await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
