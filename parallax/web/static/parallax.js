// Progressive enhancement only: every page works without this file.
// 1. Inputs with data-filter="<selector>" hide the matching rows whose data-text does not contain the typed words.
// 2. The actor chart shows the day and count of the column under the pointer.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var selector = input.getAttribute("data-filter");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll(selector).forEach(function (row) {
        var text = (row.getAttribute("data-text") || row.textContent).toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  });
  var chart = document.getElementById("actor-chart");
  var readout = document.getElementById("chart-readout");
  if (chart && readout) {
    chart.querySelectorAll("g.column").forEach(function (column) {
      column.addEventListener("mouseenter", function () {
        column.classList.add("active");
        readout.textContent = column.getAttribute("data-label");
      });
      column.addEventListener("mouseleave", function () {
        column.classList.remove("active");
        readout.textContent = "";
      });
    });
  }
});
