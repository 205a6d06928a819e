"use strict";
// Keep the typed dossier code across a failed lookup (issue 15): the server's "not found" answer is the
// same whatever was typed (it must not tell codes apart), so the browser puts the code back itself.
// The phone digits are never kept.
(function () {
  var form = document.getElementById("lookup-form"), code = document.getElementById("code");
  if (!form || !code) { return; }
  var KEY = "congvu.lookup.code";
  try {
    if (document.getElementById("lookup-not-found") && !code.value) {
      code.value = window.sessionStorage.getItem(KEY) || "";
      document.getElementById("phone4").focus();
    }
    form.addEventListener("submit", function () { window.sessionStorage.setItem(KEY, code.value); });
  } catch (e) { /* storage disabled: nothing kept */ }
})();
