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
  // SVG, not canvas: labels are real text (crisp when zoomed, measurable in tests).
  // Wide screens: vertical bars, each unit name wrapped inside its own band so neighbours
  // never overlap. Phones: horizontal bars, one row per unit, names truncated to a column.
  var holder = document.getElementById("sc-chart");
  var dataEl = document.getElementById("sc-chart-data");
  if (holder && dataEl && window.echarts) {
    var d = JSON.parse(dataEl.textContent);
    var chart = null;
    var draw = function () {
      var narrow = holder.clientWidth < 600;
      var n = Math.max(d.labels.length, 1);
      holder.style.height = (narrow ? Math.max(300, n * 64 + 110) : 320) + "px";
      if (chart) { chart.dispose(); }
      chart = window.echarts.init(holder, null, { renderer: "svg" });
      var names = { type: "category", data: d.labels };
      var values = { type: "value", minInterval: 1 };
      var grid;
      if (narrow) {
        names.inverse = true;
        names.axisLabel = { width: 96, overflow: "truncate", interval: 0 };
        grid = { left: 104, right: 16, top: 64, bottom: 24 };
      } else {
        var band = (holder.clientWidth - 56) / n;
        names.axisLabel = { interval: 0, width: Math.max(band - 8, 24), overflow: "break", lineHeight: 15 };
        grid = { left: 40, right: 16, bottom: 64, top: 40 };
      }
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: ["领导干部应交", "领导干部已交", "应交", "已交"], left: "center" },
        grid: grid,
        xAxis: narrow ? values : names,
        yAxis: narrow ? names : values,
        series: [
          { name: "领导干部应交", type: "bar", data: d.cadre_required, itemStyle: { color: "#f3c1c1" } },
          { name: "领导干部已交", type: "bar", data: d.cadre_submitted, itemStyle: { color: "#b71c1c" } },
          { name: "应交", type: "bar", data: d.required, itemStyle: { color: "#c9d6ea" } },
          { name: "已交", type: "bar", data: d.submitted, itemStyle: { color: "#1f5fa8" } }
        ]
      });
    };
    draw();
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(draw, 150);
    });
  }
})();
