// The strength meter of the password page: as the user types a new
// password, ask the server's own policy about it (POST
// /password/strength) and show its verdict, so that the meter never
// promises what the form would refuse. Asks once typing pauses, and
// only about the latest text. Without JavaScript the meter stays
// hidden and the form works as it is; the server decides either way.
'use strict';

const form = document.querySelector('form[data-strength]');
const field = document.getElementById('new');
const box = document.getElementById('strength');
const meter = document.getElementById('strength-meter');
const text = document.getElementById('strength-text');
const PAUSE = 400;	// ms of quiet typing before asking
const UNCHECKED = 'The strength could not be checked now; the password ' +
    'is checked when you send the form.';

let timer = 0, asked = 0, resting = 0;

function show(verdict) {
	box.hidden = false;
	box.classList.toggle('weak', !verdict.ok);
	if (verdict.bits === null || verdict.needed === 0) {
		meter.hidden = true;
	} else {
		// Full at twice what the policy needs; "low" is the line.
		meter.hidden = false;
		meter.max = verdict.needed * 2;
		meter.low = verdict.needed;
		meter.high = verdict.needed * 1.5;
		meter.optimum = meter.max;
		meter.value = Math.min(verdict.bits, meter.max);
	}
	text.textContent = verdict.ok ?
	    'Strong enough for this site.' : verdict.reason;
}

function quiet(message) {
	meter.hidden = true;
	box.hidden = false;
	box.classList.remove('weak');
	text.textContent = message;
}

async function ask() {
	const mine = ++asked;
	const candidate = field.value;
	if (candidate === '') {
		box.hidden = true;
		text.textContent = '';
		return;
	}
	if (Date.now() < resting)
		return;
	const body = new URLSearchParams({
		csrf: form.elements.csrf.value, new: candidate });
	let answer;
	try {
		answer = await fetch(form.dataset.strength, { method: 'POST',
		    body, headers: { Accept: 'application/json' },
		    credentials: 'same-origin', cache: 'no-store' });
	} catch {
		if (mine === asked)
			quiet(UNCHECKED);
		return;
	}
	if (mine !== asked)
		return;		// the user typed on meanwhile
	if (answer.status === 429) {
		const wait = Number(answer.headers.get('Retry-After')) || 10;
		// A little early, so that the retry below is not turned away.
		resting = Date.now() + wait * 1000 - 100;
		quiet(`Checked too often: the strength is shown again in ` +
		    `${wait} seconds. The password is checked when you send ` +
		    'the form.');
		setTimeout(ask, wait * 1000);
		return;
	}
	let verdict = null;
	if (answer.ok)
		verdict = await answer.json().catch(() => null);
	if (mine !== asked)
		return;
	if (verdict === null || typeof verdict.ok !== 'boolean')
		quiet(UNCHECKED);
	else
		show(verdict);
}

if (form && field && box && meter && text) {
	field.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(ask, PAUSE);
	});
	// Once the form is sent the server judges it: ask nothing more.
	form.addEventListener('submit', () => {
		clearTimeout(timer);
		asked++;
		resting = Infinity;
	});
}
