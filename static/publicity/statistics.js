/* Draws the statistics page's chart with the vendored Chart.js (static/oversight/vendor/chartjs). The data come from
   the page's JSON script element (no inline script, CSP-friendly); the table below the chart holds the same figures
   and is its text alternative. */
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  var canvas = document.getElementById("stats-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // The axis labels, legend and tooltips in the page's own type: its family and its size, 16 px or 20 px in 大字模式
  // (html.large-text), never Chart.js's fixed 12 px. Read once: the text-size switch reloads the page.
  var page = window.getComputedStyle(document.body);
  window.Chart.defaults.font.family = page.fontFamily;
  window.Chart.defaults.font.size = parseFloat(page.fontSize) || 16;
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
