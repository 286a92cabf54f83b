// Self-check form: add/remove repeatable rows (then ask htmx to autosave), and the figures chart.
(function () {
  "use strict";
  var counter = Date.now();
  document.addEventListener("click", function (event) {
    var add = event.target.closest(".sc-add");
    if (add) {
      var tpl = document.getElementById(add.getAttribute("data-template"));
      var target = document.getElementById(add.getAttribute("data-target"));
      if (!tpl || !target) { return; }
      counter += 1;
      var html = tpl.innerHTML.split("__K__").join(String(counter));
      target.insertAdjacentHTML("beforeend", html);
      var first = target.lastElementChild && target.lastElementChild.querySelector("input, select");
      if (first) { first.focus(); }
      // Choosing to add a row means "yes" on this item.
      var item = add.closest(".sc-item");
      var yes = item && item.querySelector('input[type=radio][value="yes"]');
      if (yes && !yes.checked) { yes.checked = true; }
      notify(add);
      return;
    }
    var remove = event.target.closest(".sc-remove");
    if (remove) {
      var row = remove.closest(".sc-row");
      var form = remove.closest("form");
      if (row) { row.remove(); }
      if (form) { notifyForm(form); }
    }
  });
  function notify(el) { var form = el.closest("form"); if (form) { notifyForm(form); } }
  function notifyForm(form) {
    if (window.htmx && form.hasAttribute("hx-post")) { window.htmx.trigger(form, "sc-rows-changed"); }
  }

  // Figures: bar chart of child units (data from json_script; no inline script under CSP).
  var holder = document.getElementById("sc-chart");
  var dataEl = document.getElementById("sc-chart-data");
  if (holder && dataEl && window.echarts) {
    var d = JSON.parse(dataEl.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["领导干部应交", "领导干部已交", "应交", "已交"] },
      grid: { left: 40, right: 10, bottom: 60, top: 40 },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "领导干部应交", type: "bar", data: d.cadre_required, itemStyle: { color: "#f3c1c1" } },
        { name: "领导干部已交", type: "bar", data: d.cadre_submitted, itemStyle: { color: "#b71c1c" } },
        { name: "应交", type: "bar", data: d.required, itemStyle: { color: "#c9d6ea" } },
        { name: "已交", type: "bar", data: d.submitted, itemStyle: { color: "#1f5fa8" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
})();
