/* Draws the dashboard's charts with the vendored ECharts. Each chart is a
   <div data-chart="ID"> whose data sits in <script type="application/json" id="ID">
   (json_script, no inline code, CSP-friendly); the table beside it is the source of truth. */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }
  var charts = [];
  var reduceMotion = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function option(spec, narrow) {
    var line = spec.kind === "line";
    var series = spec.series.map(function (s) {
      return { name: s.name, type: line ? "line" : "bar", data: s.data, connectNulls: true,
               showSymbol: spec.categories.length < 20, barMaxWidth: 28 };
    });
    var labelWidth = narrow ? 90 : 160;
    var categoryAxis = {
      type: "category", data: spec.categories,
      axisLabel: line
        ? { rotate: narrow ? 45 : 0, hideOverlap: true }
        : { width: labelWidth, overflow: "truncate", interval: 0 }
    };
    var valueAxis = { type: "value", minInterval: 1,
                      axisLabel: { formatter: spec.unit ? "{value}" + spec.unit : "{value}" } };
    if (spec.unit === "%") { valueAxis.max = 100; }
    return {
      animation: !reduceMotion,
      tooltip: { trigger: "axis", confine: true },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      // bars lie horizontally so long item names stay readable on a phone
      xAxis: line ? categoryAxis : valueAxis,
      yAxis: line ? valueAxis : Object.assign({ inverse: true }, categoryAxis),
      series: series
    };
  }

  function draw() {
    var narrow = window.innerWidth < 600;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart"));
      if (!data) { return; }
      var spec = JSON.parse(data.textContent);
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption(option(spec, narrow), true);
      if (charts.indexOf(chart) < 0) { charts.push(chart); }
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { draw(); charts.forEach(function (c) { c.resize(); }); }, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
