// Review queue: saved filters, kept in this browser (a name and a query string each).
(function () {
  "use strict";
  var KEY = "credence.savedFilters";
  var list = document.getElementById("saved-filters");
  var save = document.getElementById("save-filter");
  if (!list || !save) return;
  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; } }
  function show() {
    list.textContent = "";
    load().forEach(function (f, i) {
      var a = document.createElement("a");
      a.href = "?" + f.query; a.textContent = f.name; a.className = "saved-filter";
      var x = document.createElement("button");
      x.type = "button"; x.textContent = "×"; x.setAttribute("aria-label", "forget the filter " + f.name);
      x.addEventListener("click", function () { var all = load(); all.splice(i, 1); localStorage.setItem(KEY, JSON.stringify(all)); show(); });
      list.appendChild(a); list.appendChild(x); list.appendChild(document.createTextNode(" "));
    });
  }
  save.addEventListener("click", function () {
    var query = new URLSearchParams(new FormData(document.getElementById("queue-filters"))).toString();
    var name = window.prompt("Name of this filter", query || "everything");
    if (!name) return;
    var all = load(); all.push({ name: name, query: query });
    localStorage.setItem(KEY, JSON.stringify(all)); show();
  });
  show();
})();
