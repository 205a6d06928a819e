/* Dashboard charts. Data comes from json_script blocks rendered by the server. */
(function () {
  "use strict";
  var source = document.getElementById("kind-data");
  var canvas = document.getElementById("kind-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  var rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map(function (r) { return r.label; }),
      datasets: [{ data: rows.map(function (r) { return r.n; }), backgroundColor: "#b3261e" }]
    },
    options: {
      indexAxis: "y",
      animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
