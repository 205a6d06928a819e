"use strict";
// Selecting a task shows its quote in the source pane, which stays beside the tasks (sticky): only the
// source pane scrolls, never the page (issue 15).
(function () {
  var doc = document.getElementById("doc");
  function show(id) {
    document.querySelectorAll(".doc mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    var m = document.getElementById("span-" + id);
    if (!m || !doc) { return; }
    m.classList.add("focus");
    var top = m.getBoundingClientRect().top - doc.getBoundingClientRect().top + doc.scrollTop;
    doc.scrollTo({top: Math.max(0, top - doc.clientHeight / 3), behavior: "smooth"});
  }
  document.querySelectorAll(".draft-task").forEach(function (box) {
    box.addEventListener("click", function () { show(box.dataset.task); });
    box.addEventListener("focusin", function () { show(box.dataset.task); });
  });
})();
