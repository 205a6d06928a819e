/* Fill the applicant from the population database (CSDL dân cư) when a citizen ID number is typed.
   Desk receipt form (#id_applicant_id_number): GET /portal/identity/lookup/?id=… fills name and
   address when empty, shows birth date, and warns when what was typed differs.
   Online filing (#applicant_id_number): POST /portal/identity/public/ with number and name; only a
   match fills the address. Never blocks the form: an outage is shown and the form still submits. */
(function () {
  "use strict";
  function status(input) {
    var box = input.parentNode.querySelector(".identity-status");
    if (!box) {
      box = document.createElement("p");
      box.className = "identity-status";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      input.parentNode.appendChild(box);
    }
    return box;
  }
  function show(box, cls, text) { box.className = "identity-status " + cls; box.textContent = text; }
  function digits(v) { return (v || "").replace(/[\s.\-]/g, ""); }
  function fill(field, value) {
    if (field && value && !field.value.trim()) { field.value = value; return true; }
    return false;
  }
  function same(a, b) { return (a || "").trim().replace(/\s+/g, " ").toLowerCase() === (b || "").trim().replace(/\s+/g, " ").toLowerCase(); }

  function desk(input) {
    var form = input.form, name = form.querySelector("#id_applicant_name"), addr = form.querySelector("#id_applicant_address");
    var last = "";
    function lookup() {
      var id = digits(input.value);
      if (id === last || id.length === 0) { return; }
      last = id;
      var box = status(input);
      if (id.length !== 12) { show(box, "bad", "Số định danh cá nhân phải có 12 chữ số."); return; }
      show(box, "", "Đang tra cứu CSDL dân cư…");
      fetch("/portal/identity/lookup/?id=" + encodeURIComponent(id), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (d.status !== "found") { show(box, d.status === "unavailable" ? "warn" : "bad", d.message); return; }
          fill(name, d.full_name); fill(addr, d.permanent_address);
          var text = "CSDL dân cư: " + d.full_name + ", sinh ngày " + d.birth_date_display + ", thường trú " + d.permanent_address + ".";
          if (name && !same(name.value, d.full_name)) {
            show(box, "bad", text + " Họ tên đã nhập KHÁC CSDL — kiểm tra lại trước khi tiếp nhận.");
          } else { show(box, "ok", text); }
        })
        .catch(function () { show(box, "warn", "Không tra cứu được CSDL dân cư; vẫn tiếp nhận được, hồ sơ sẽ được kiểm tra lại sau."); });
    }
    input.addEventListener("change", lookup);
    input.addEventListener("blur", lookup);
  }

  function online(input) {
    var form = input.form, name = form.querySelector("#applicant_name"), addr = form.querySelector("#applicant_address");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var last = "";
    function check() {
      var id = digits(input.value), who = name ? name.value.trim() : "";
      if (!id || !who || id + who === last) { return; }
      last = id + who;
      var box = status(input);
      if (id.length !== 12) { show(box, "bad", "Số định danh cá nhân phải có 12 chữ số."); return; }
      var body = new URLSearchParams({id: id, name: who});
      fetch("/portal/identity/public/", {method: "POST", credentials: "same-origin", body: body,
        headers: {"X-CSRFToken": token ? token.value : "", "Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (d.status === "verified") { fill(addr, d.permanent_address); show(box, "ok", d.message + " Ngày sinh " + d.birth_date_display + "."); }
          else { show(box, d.status === "unavailable" || d.status === "too_many" ? "warn" : "bad", d.message); }
        })
        .catch(function () { show(box, "warn", "Không tra cứu được CSDL dân cư; bạn vẫn nộp hồ sơ được."); });
    }
    input.addEventListener("change", check);
    if (name) { name.addEventListener("change", check); }
  }

  function init() {
    var d = document.getElementById("id_applicant_id_number");
    if (d) { desk(d); }
    var o = document.getElementById("applicant_id_number");
    if (o) { online(o); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
