/* Draws the statistics page's chart with the vendored Chart.js (static/oversight/vendor/chartjs). The data come from
   the page's JSON script element (no inline script, CSP-friendly); the table below the chart holds the same figures
   and is its text alternative. */
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  var canvas = document.getElementById("stats-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colors = ["#2f6fb0", "#c0392b"];
  window.statisticsChart = new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) { return { label: s.label, data: s.data, backgroundColor: colors[i % colors.length] }; })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
