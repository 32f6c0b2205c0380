/* The receipt page: a print button, and a question before leaving until the code is marked as written down.
   Plain ES5 for old phones' browsers; the page works without it. */
(function () {
  var saved = false;
  var shown = document.querySelectorAll('[data-when-scripted]');
  for (var i = 0; i < shown.length; i++) { shown[i].hidden = false; }
  var printButton = document.getElementById('print-receipt');
  printButton.addEventListener('click', function () { window.print(); });
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
