/* The captcha's proof of work. Where the browser can run it (a secure context with WebCrypto, workers and custom
   elements), add the vendored ALTCHA widget: it solves a challenge while the resident types, then the picture of
   digits is hidden. Where it cannot, or when it fails, the picture stays: the form never depends on this script.
   A tap on "Send" before the work is done waits for it and then sends by itself: one tap at most. */
const box = document.getElementById('captcha');
const capable = box && window.isSecureContext && window.crypto && crypto.subtle && window.customElements && window.Worker;
if (capable) {
  import('../vendor/altcha/altcha.min.js').then(start, () => { /* not loaded: the picture stays */ });
}

function start() {
  const altcha = globalThis.$altcha;
  const form = box.closest('form');
  const digits = document.getElementById('captcha-digits');
  const answer = document.getElementById('captcha_answer');
  const waiting = document.getElementById('captcha-waiting');
  // The external build inlines no worker: each comes from this site, so the CSP needs no blob: or 'unsafe-inline'.
  const worker = new URL('../vendor/altcha/pbkdf2.js', import.meta.url);
  altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(worker));
  const language = (document.documentElement.lang || 'en').toLowerCase();
  altcha.i18n.set(language, Object.assign({}, altcha.i18n.get('en'), JSON.parse(box.dataset.strings)));

  const widget = document.createElement('altcha-widget');
  widget.setAttribute('challenge', box.dataset.challenge);
  widget.setAttribute('auto', 'onfocus');  // start as soon as the resident starts on the form
  widget.setAttribute('language', language);
  widget.setAttribute('configuration', JSON.stringify(
    { hideFooter: true, hideLogo: true, humanInteractionSignature: false, timeout: 60000 }));

  let submitter = null;  // the button tapped before the work was done
  widget.addEventListener('load', () => {
    // The resident may already be typing: 'onfocus' waits for the next focus, this starts now.
    if (form.contains(document.activeElement)) { widget.verify(); }
  });
  widget.addEventListener('verified', () => {
    digits.hidden = true;
    waiting.hidden = true;
    if (submitter) {
      const button = submitter;
      submitter = null;
      form.requestSubmit(button);
    }
  });
  widget.addEventListener('statechange', (event) => {
    if (event.detail.state === 'error') { giveUp(); }
  });
  widget.addEventListener('expired', () => widget.verify());

  form.addEventListener('click', (event) => {
    const button = event.target.closest('button[type=submit]');
    if (!button || !widget.isConnected) { return; }
    const state = widget.getState();
    if (state === 'verified' || answer.value.trim()) { return; }
    event.preventDefault();
    submitter = button;
    waiting.hidden = false;
    if (state !== 'verifying') { widget.verify(); }
  });

  document.getElementById('captcha-widget').appendChild(widget);
  answer.required = false;  // the widget's solution will do instead

  // No solution here (too slow, no memory, refused): the widget goes, the picture stays and its field is
  // required again, so a tap on "Send" asks for the digits instead of sending a form the server would refuse.
  function giveUp() {
    widget.remove();
    digits.hidden = false;
    waiting.hidden = true;
    answer.required = true;
    if (submitter) {
      submitter = null;
      answer.focus();
    }
  }
}
