/* Draws the oversight dashboard's charts with the vendored Chart.js. Data comes from the page's JSON script
   element (no inline script, CSP-friendly); every chart also has its data table beside it. */
(function () {
  "use strict";
  var source = document.getElementById("oversight-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = {};
  window.oversightCharts = charts;
  var palette = ["#2f6fb0", "#27ae60", "#e67e22", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400", "#2c3e50", "#f1c40f"];
  var common = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = Object.assign({}, common, config.options || {});
    charts[id] = new window.Chart(canvas, config);
  }

  draw("chart-ontime", {
    type: "bar",
    data: { labels: data.onTime.labels, datasets: [{ label: data.onTime.label, data: data.onTime.rates, backgroundColor: "#2f6fb0" }] },
    options: { scales: { y: { min: 0, max: 100 } } }
  });
  draw("chart-trend", {
    type: "bar",
    data: {
      labels: data.trend.labels,
      datasets: data.trend.series.map(function (s) { return { label: s.label, data: s.data, backgroundColor: s.color }; })
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-item", {
    type: "bar",
    data: { labels: data.byItem.labels, datasets: [{ label: data.byItem.label, data: data.byItem.data, backgroundColor: palette }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-category", {
    type: "doughnut",
    data: { labels: data.byCategory.labels, datasets: [{ data: data.byCategory.data, backgroundColor: palette }] }
  });
  draw("chart-indicators", {
    type: "bar",
    data: {
      labels: data.indicators.labels,
      datasets: [{
        label: data.indicators.label,
        data: data.indicators.data,
        backgroundColor: data.indicators.done.map(function (d) { return d ? "#27ae60" : "#2f6fb0"; })
      }]
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { tooltip: { callbacks: { afterLabel: function (ctx) { return data.indicators.status[ctx.dataIndex]; } } } }
    }
  });
})();
