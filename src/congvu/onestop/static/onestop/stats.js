/* One-stop dashboard charts; data from the json_script block rendered by the server. */
(function () {
  "use strict";
  var source = document.getElementById("onestop-charts");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#0b57a4", "#f2a900", "#1e7b34", "#8e44ad"];
  var base = { animation: false, responsive: true, maintainAspectRatio: false };

  function el(id) { return document.getElementById(id); }

  if (el("chart-channels")) {
    new Chart(el("chart-channels"), {
      type: "doughnut",
      data: { labels: data.channels.labels, datasets: [{ data: data.channels.values, backgroundColor: palette }] },
      options: Object.assign({}, base, { plugins: { legend: { position: "right" } } })
    });
  }
  if (el("chart-verdicts")) {
    new Chart(el("chart-verdicts"), {
      type: "bar",
      data: {
        labels: data.verdicts.labels,
        datasets: [{ data: data.verdicts.values, backgroundColor: ["#1e7b34", "#5cb85c", "#b3261e", "#9aa5b1", "#e67e22"] }]
      },
      options: Object.assign({}, base, {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      })
    });
  }
  if (el("chart-monthly")) {
    new Chart(el("chart-monthly"), {
      type: "line",
      data: {
        labels: data.monthly.labels,
        datasets: data.monthly.series.map(function (s, i) {
          return { label: s.label, data: s.values, borderColor: palette[i], backgroundColor: palette[i], tension: 0.2 };
        })
      },
      options: Object.assign({}, base, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } })
    });
  }
})();
