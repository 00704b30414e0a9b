// rlx report: values under the pointer on each chart, and the sample table's filter. No libraries, no network.
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("chart-data").textContent);

  function fmt(v) {
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : String(Math.round(v * 1e4) / 1e4);
  }

  // The step nearest the pointer, and each series' value at its own nearest logged step.
  Object.keys(charts).forEach(function (id) {
    var svg = document.getElementById(id), data = charts[id];
    if (!svg) return;
    var cursor = svg.querySelector(".cursor"), tip = document.createElement("div");
    tip.className = "tip";
    tip.style.display = "none";
    svg.parentNode.appendChild(tip);
    svg.addEventListener("mousemove", function (e) {
      var box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
      var x = (e.clientX - box.left) / scale;
      if (x < data.left || x > data.right) { tip.style.display = "none"; cursor.setAttribute("visibility", "hidden"); return; }
      var step = data.xmin + (x - data.left) / (data.right - data.left) * (data.xmax - data.xmin);
      var lines = [];
      data.series.forEach(function (s) {
        var best = -1;
        for (var i = 0; i < s.x.length; i++) if (best < 0 || Math.abs(s.x[i] - step) < Math.abs(s.x[best] - step)) best = i;
        if (best >= 0) lines.push('<span style="color:' + s.color + '">&#9632;</span> step ' + s.x[best] + ": " + fmt(s.y[best]));
      });
      tip.innerHTML = lines.join("<br>");
      tip.style.display = "block";
      tip.style.left = Math.min(e.clientX - box.left + 12, box.width - 40) + "px";
      tip.style.top = (e.clientY - box.top + 12) + "px";
      cursor.setAttribute("x1", x);
      cursor.setAttribute("x2", x);
      cursor.setAttribute("visibility", "visible");
    });
    svg.addEventListener("mouseleave", function () { tip.style.display = "none"; cursor.setAttribute("visibility", "hidden"); });
  });

  // Samples: rows are [run, step, prompt, completion, score, terms]; at most LIMIT shown at once.
  var LIMIT = 300;
  var samples = JSON.parse(document.getElementById("sample-data").textContent);
  var body = document.getElementById("sample-rows"), runSel = document.getElementById("f-run");
  var from = document.getElementById("f-from"), to = document.getElementById("f-to"), text = document.getElementById("f-text");
  var count = document.getElementById("f-count");
  samples.runs.forEach(function (name, i) {
    var o = document.createElement("option");
    o.value = String(i);
    o.textContent = name;
    runSel.appendChild(o);
  });
  function cell(tr, value) {
    var td = document.createElement("td");
    td.textContent = value;
    tr.appendChild(td);
  }
  function render() {
    var run = runSel.value, lo = from.value === "" ? -Infinity : Number(from.value);
    var hi = to.value === "" ? Infinity : Number(to.value), needle = text.value.toLowerCase();
    var shown = 0, matched = 0;
    body.textContent = "";
    samples.rows.forEach(function (r) {
      if (run !== "" && String(r[0]) !== run) return;
      if (r[1] < lo || r[1] > hi) return;
      if (needle && (r[2] + "\u0000" + r[3]).toLowerCase().indexOf(needle) < 0) return;
      matched++;
      if (shown >= LIMIT) return;
      shown++;
      var tr = document.createElement("tr");
      cell(tr, samples.runs[r[0]]);
      cell(tr, r[1]);
      cell(tr, r[2]);
      cell(tr, r[3]);
      cell(tr, r[4] === null ? "" : fmt(r[4]));
      cell(tr, Object.keys(r[5]).map(function (k) { return k + " " + fmt(r[5][k]); }).join(", "));
      body.appendChild(tr);
    });
    count.textContent = matched > shown ? "showing " + shown + " of " + matched + " rows (narrow the steps to see others)"
      : matched + " rows";
  }
  [runSel, from, to, text].forEach(function (el) { el.addEventListener("input", render); });
  render();

  // What the browser drew, for tests that open the page headless: each chart's count of lines with a non-empty box.
  document.querySelectorAll("figure").forEach(function (fig) {
    var drawn = 0;
    fig.querySelectorAll("path.line, circle.dot").forEach(function (p) {
      var b = p.getBBox();
      if (b.width > 0 || b.height > 0) drawn++;
    });
    fig.setAttribute("data-drawn", String(drawn));
  });
  document.body.setAttribute("data-report-ready", "1");
})();
