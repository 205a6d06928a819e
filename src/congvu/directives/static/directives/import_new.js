"use strict";
document.getElementById("import-form").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var form = ev.target, xhr = new XMLHttpRequest(), box = document.getElementById("progress-box");
  var bar = document.getElementById("progress-bar"), label = document.getElementById("progress-text");
  var err = document.getElementById("import-error");
  err.hidden = true; box.hidden = false; document.getElementById("import-submit").disabled = true;
  xhr.upload.onprogress = function (e) {
    if (e.lengthComputable) { var p = Math.round(100 * e.loaded / e.total); bar.style.width = p + "%"; label.textContent = form.dataset.uploading + " " + p + "%"; }
  };
  xhr.upload.onload = function () { bar.style.width = "100%"; label.textContent = form.dataset.reading; };
  xhr.onload = function () {
    var data = {}; try { data = JSON.parse(xhr.responseText); } catch (e) {}
    if (xhr.status === 201 && data.url) { window.location = data.url; return; }
    box.hidden = true; document.getElementById("import-submit").disabled = false;
    if (data.code === "import.duplicate") {
      // Already imported: say where it is; the file stays selected, ticking "new version" resubmits it.
      document.getElementById("duplicate-text").textContent = data.message;
      document.getElementById("duplicate-link").href = data.url || "#";
      document.getElementById("duplicate-box").hidden = false;
      return;
    }
    err.textContent = data.message || form.dataset.failed; err.hidden = false;
  };
  xhr.open("POST", window.location.pathname);
  xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
  xhr.send(new FormData(form));
});
