/* The report form keeps a draft in sessionStorage: the text and the person reported, never the reporter's
   name or phone. It survives a reload or a dropped connection, not a closed tab (a shared phone forgets it).
   The receipt page clears it. Plain ES5 for old phones' browsers; the form works without it. */
(function () {
  var FIELDS = ['content', 'subject_name', 'subject_unit', 'subject_position'];
  var key = 'draft:' + window.location.pathname;
  var storage;
  try { storage = window.sessionStorage; storage.getItem(key); } catch (error) { return; }  // private mode
  if (document.getElementById('receipt')) { storage.removeItem(key); return; }
  var form = document.querySelector('form.report-form');
  if (!form) { return; }

  function field(name) { return form.elements[name]; }
  function typedSomething() {
    for (var i = 0; i < FIELDS.length; i++) { if (field(FIELDS[i]) && field(FIELDS[i]).value) { return true; } }
    return false;
  }

  var saved = null;
  try { saved = JSON.parse(storage.getItem(key) || 'null'); } catch (error) { saved = null; }
  if (saved && !typedSomething()) {  // a form the server sent back filled in keeps what it holds
    var restored = false;
    for (var i = 0; i < FIELDS.length; i++) {
      if (field(FIELDS[i]) && saved[FIELDS[i]]) { field(FIELDS[i]).value = saved[FIELDS[i]]; restored = true; }
    }
    var notice = document.getElementById('draft-restored');
    if (restored && notice) { notice.hidden = false; }
  }

  function save() {
    var draft = {};
    for (var i = 0; i < FIELDS.length; i++) { if (field(FIELDS[i])) { draft[FIELDS[i]] = field(FIELDS[i]).value; } }
    try { storage.setItem(key, JSON.stringify(draft)); } catch (error) { /* full or refused: the form still works */ }
  }
  form.addEventListener('input', save);
  form.addEventListener('change', save);
})();
