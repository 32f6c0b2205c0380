/* The receipt page: a copy button, a print button, and a question before leaving until the code is marked
   as written down. Plain ES5 for old phones' browsers; the page works without it. */
(function () {
  var saved = false;
  var shown = document.querySelectorAll('[data-when-scripted]');
  for (var i = 0; i < shown.length; i++) { shown[i].hidden = false; }

  var code = document.getElementById('receipt');
  var copyButton = document.getElementById('copy-receipt');
  var copyResult = document.getElementById('copy-result');
  function say(key) { copyResult.textContent = copyButton.getAttribute(key); }
  /* Old WebViews (and plain-HTTP pilots, no secure context) lack navigator.clipboard: select and execCommand. */
  function copyBySelection() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (error) { copied = false; }
    say(copied ? 'data-copied' : 'data-not-copied');
  }
  copyButton.addEventListener('click', function () {
    var text = code.textContent.replace(/\s+/g, '');
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say('data-copied'); }, copyBySelection);
    } else {
      copyBySelection();
    }
  });

  document.getElementById('print-receipt').addEventListener('click', function () { window.print(); });
  var savedBox = document.getElementById('receipt-saved');
  savedBox.addEventListener('change', function () { saved = savedBox.checked; });
  var message = document.getElementById('leave-warning').getAttribute('data-message');
  window.addEventListener('beforeunload', function (event) {
    if (saved) { return undefined; }
    event.preventDefault();
    event.returnValue = message;
    return message;
  });
})();
