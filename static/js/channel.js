/* Recording a letter, visit or call: only the chosen channel's own fields are shown. Without script every
   group is shown under its legend, and the server ignores what another channel's group holds. */
(function () {
  var channel = document.getElementById('channel');
  var groups = document.querySelectorAll('[data-channel]');
  if (!channel) { return; }
  function showChosen() {
    for (var i = 0; i < groups.length; i++) {
      groups[i].hidden = groups[i].getAttribute('data-channel') !== channel.value;
    }
  }
  channel.addEventListener('change', showChosen);
  showChosen();
})();
