// Review page: keyboard shortcuts, and highlight a field's box while its input has focus.
(function () {
  "use strict";
  var form = document.getElementById("decision-form");
  if (!form) return;
  function click(id) { var b = document.getElementById(id); if (b) b.click(); }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (e.key === "a") { e.preventDefault(); click("approve"); }
    else if (e.key === "p") { e.preventDefault(); click("preview-button"); }
    else if (e.key === "s") { e.preventDefault(); click("save-correction"); }
    else if (e.key === "r") { e.preventDefault(); var r = document.getElementById("reject-reason"); if (r) r.focus(); }
    else if (e.key === "n") { e.preventDefault(); document.getElementById("next-link").click(); }
  });
  form.querySelectorAll(".field-input").forEach(function (input) {
    var name = input.name.replace(/^field_/, "");
    var rect = document.querySelector('rect.box[data-field="' + name + '"]');
    if (!rect) return;
    input.addEventListener("focus", function () { rect.classList.add("active"); });
    input.addEventListener("blur", function () { rect.classList.remove("active"); });
  });
})();
