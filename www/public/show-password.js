// A "Show" button beside each password field of the page, so that a
// long password can be checked before it is sent. Without JavaScript
// the fields work as they are. Loaded from this origin, as the site's
// Content-Security-Policy requires.
'use strict';

for (const field of document.querySelectorAll('input[type="password"]')) {
	const button = document.createElement('button');
	button.type = 'button';
	button.className = 'reveal';
	button.textContent = 'Show';
	button.setAttribute('aria-controls', field.id);
	button.setAttribute('aria-pressed', 'false');
	button.setAttribute('aria-label', 'Show password');
	button.addEventListener('click', () => {
		const shown = field.type === 'text';
		field.type = shown ? 'password' : 'text';
		button.textContent = shown ? 'Show' : 'Hide';
		button.setAttribute('aria-pressed', String(!shown));
		field.focus();
	});
	const wrap = document.createElement('div');
	wrap.className = 'with-reveal';
	field.replaceWith(wrap);
	wrap.append(field, button);
}
