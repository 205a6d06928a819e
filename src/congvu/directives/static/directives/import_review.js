"use strict";
document.querySelectorAll(".draft-task").forEach(function (box) {
  box.addEventListener("click", function () {
    document.querySelectorAll(".doc mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    var m = document.getElementById("span-" + box.dataset.task);
    if (m) { m.classList.add("focus"); m.scrollIntoView({block: "center", behavior: "smooth"}); }
  });
});
