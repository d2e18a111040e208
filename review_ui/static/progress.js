// Batch page: poll the progress endpoint and update the rows without a reload.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) return;
  var state = document.getElementById("batch-state");
  var bar = document.getElementById("batch-bar");
  var summary = document.getElementById("batch-summary");
  var tbody = document.getElementById("doc-rows");

  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }

  function render(p) {
    bar.max = p.total; bar.value = p.finished;
    summary.textContent = p.finished + " of " + p.total + " finished";
    state.textContent = p.done ? "done" : "reading";
    state.dataset.done = p.done ? "yes" : "no";
    tbody.textContent = "";
    p.documents.forEach(function (d) {
      var tr = document.createElement("tr");
      tr.dataset.id = d.id;
      var name = document.createElement("td");
      var a = document.createElement("a");
      a.href = box.dataset.docUrl.replace("DOC", encodeURIComponent(d.id));
      a.textContent = d.filename;  // textContent: a file name is never markup
      name.appendChild(a);
      tr.appendChild(name);
      var st = cell(d.status); st.className = "status status-" + d.state; tr.appendChild(st);
      tr.appendChild(cell(Object.keys(d.records).map(function (k) { return d.records[k] + " " + k; }).join(", ")));
      tr.appendChild(cell(d.error || ""));
      tbody.appendChild(tr);
    });
  }

  // When the last file is read, the page's "what was read" section (outcomes, reasons, rows
  // not read, files to rescan) comes from the server, without a reload.
  function showReport() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report");
        var here = document.getElementById("report");
        if (fresh && here) here.replaceWith(fresh);
      });
  }

  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (p) { render(p); if (!p.done) setTimeout(poll, 1000); else showReport(); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (state.dataset.done !== "yes") setTimeout(poll, 500);
})();
