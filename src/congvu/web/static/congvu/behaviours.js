/* Small behaviours that used to be inline handlers (a Content-Security-Policy forbids inline script):
 *   <select data-autosubmit>              submits its form on change
 *   <input type="checkbox" data-select-all="NAME">  checks/unchecks every input[name=NAME]
 *   <button data-print>                  prints the page
 *   <form data-autopost>                 submits itself once the page has loaded (payment redirect)
 */
"use strict";
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    document.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
      if (el.matches && el.matches("input[data-select-all]")) {
        document.querySelectorAll('input[name="' + el.dataset.selectAll + '"]').forEach(function (c) {
          c.checked = el.checked;
        });
      }
    });
    document.addEventListener("click", function (ev) {
      var el = ev.target.closest ? ev.target.closest("[data-print]") : null;
      if (el) { ev.preventDefault(); window.print(); }
    });
    // A table wider than a phone scrolls inside its box: make that box reachable by keyboard (issue 15).
    document.querySelectorAll("table.table, table.diff").forEach(function (t) {
      if (t.scrollWidth > t.clientWidth + 1 && !t.hasAttribute("tabindex")) { t.setAttribute("tabindex", "0"); }
    });
    var auto = document.querySelector("form[data-autopost]");
    if (auto) { auto.submit(); }
  });
})();
