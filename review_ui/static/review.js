// Review page, keyboard first (issue 18): shortcuts that work inside fields, Enter moves to the
// next field to check, a chosen candidate fills its fields, one-click values, zoom and pan on
// the scan, a field's box zoomed to when its field has focus, and a help overlay.
(function () {
  "use strict";
  var form = document.getElementById("decision-form");
  if (!form) return;
  var rejectForm = document.getElementById("reject-form");
  var help = document.getElementById("help");

  function click(id) { var b = document.getElementById(id); if (b) b.click(); }
  function isField(t) {
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
  }
  function inReject(t) { return rejectForm && t && rejectForm.contains(t); }

  // ---- the scan: zoom, pan, a field's box -------------------------------------------------
  var view = document.getElementById("scan-view");
  var wrap = document.getElementById("page-wrap");
  var scale = 1;
  function applyZoom(next, fx, fy) {
    if (!view || !wrap) return;
    next = Math.max(1, Math.min(6, next));
    // keep the point under (fx, fy) (fractions of the view) where it is
    fx = fx === undefined ? 0.5 : fx; fy = fy === undefined ? 0.5 : fy;
    var px = (view.scrollLeft + fx * view.clientWidth) / wrap.offsetWidth;
    var py = (view.scrollTop + fy * view.clientHeight) / wrap.offsetHeight;
    scale = next;
    wrap.style.width = (100 * scale) + "%";
    view.scrollLeft = px * wrap.offsetWidth - fx * view.clientWidth;
    view.scrollTop = py * wrap.offsetHeight - fy * view.clientHeight;
    document.getElementById("zoom-level").textContent = Math.round(scale * 100) + "%";
    view.dataset.zoom = scale.toFixed(2);
  }
  function zoomToField(name) {
    if (!view || !wrap) return;
    var rect = wrap.querySelector('rect.box[data-field="' + name + '"]');
    if (!rect) return;
    var pw = parseFloat(wrap.dataset.width), ph = parseFloat(wrap.dataset.height);
    var x = parseFloat(rect.getAttribute("x")), y = parseFloat(rect.getAttribute("y"));
    var w = parseFloat(rect.getAttribute("width")), h = parseFloat(rect.getAttribute("height"));
    // the box takes about a third of the view's width
    applyZoom(Math.max(scale, Math.min(3, (pw / w) / 3)));
    view.scrollLeft = ((x + w / 2) / pw) * wrap.offsetWidth - view.clientWidth / 2;
    view.scrollTop = ((y + h / 2) / ph) * wrap.offsetHeight - view.clientHeight / 2;
  }
  if (view && wrap) {
    document.getElementById("zoom-in").addEventListener("click", function () { applyZoom(scale * 1.25); });
    document.getElementById("zoom-out").addEventListener("click", function () { applyZoom(scale / 1.25); });
    document.getElementById("zoom-fit").addEventListener("click", function () { applyZoom(1); });
    view.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = view.getBoundingClientRect();
      applyZoom(scale * (e.deltaY < 0 ? 1.15 : 1 / 1.15),
        (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    }, { passive: false });
    var drag = null;
    view.addEventListener("mousedown", function (e) {
      drag = { x: e.clientX, y: e.clientY, l: view.scrollLeft, t: view.scrollTop };
      view.classList.add("dragging");
    });
    window.addEventListener("mousemove", function (e) {
      if (!drag) return;
      view.scrollLeft = drag.l - (e.clientX - drag.x);
      view.scrollTop = drag.t - (e.clientY - drag.y);
    });
    window.addEventListener("mouseup", function () { drag = null; view.classList.remove("dragging"); });
    document.querySelectorAll(".field-label").forEach(function (label) {
      label.addEventListener("click", function () { zoomToField(label.dataset.field); });
    });
  }

  // ---- fields: box highlight, candidates, one-click values --------------------------------
  var inputs = Array.prototype.slice.call(form.querySelectorAll(".field-input"));
  inputs.forEach(function (input) {
    input.dataset.orig = input.value;
    var name = input.name.replace(/^field_/, "");
    var rect = document.querySelector('rect.box[data-field="' + name + '"]');
    input.addEventListener("focus", function () {
      if (rect) { rect.classList.add("active"); zoomToField(name); }
    });
    input.addEventListener("blur", function () { if (rect) rect.classList.remove("active"); });
  });
  form.querySelectorAll('input[type=radio][name$="_id"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      var group = form.querySelectorAll('input[name="' + radio.name + '"]');
      var fill = radio.dataset.fill ? JSON.parse(radio.dataset.fill) : null;
      group.forEach(function (other) {
        if (!other.dataset.fill) return;
        Object.keys(JSON.parse(other.dataset.fill)).forEach(function (field) {
          var input = document.getElementById("field_" + field);
          if (input && !fill) input.value = input.dataset.orig;  // "keep as read"
        });
      });
      if (fill) {
        Object.keys(fill).forEach(function (field) {
          var input = document.getElementById("field_" + field);
          if (input) { input.value = fill[field]; input.classList.add("filled"); }
        });
      }
    });
  });
  form.querySelectorAll("button.take").forEach(function (b) {
    b.addEventListener("click", function () {
      var input = document.getElementById(b.dataset.target);
      if (input) { input.value = b.dataset.value; input.classList.add("filled"); input.focus(); }
    });
  });

  function nextUnsure(after) {
    var unsure = inputs.filter(function (i) { return i.classList.contains("unsure"); });
    var pos = inputs.indexOf(after);
    for (var k = 0; k < unsure.length; k++) {
      if (inputs.indexOf(unsure[k]) > pos) return unsure[k];
    }
    return null;
  }

  // ---- help overlay ------------------------------------------------------------------------
  var helpFrom = null;
  function toggleHelp(show) {
    if (!help) return;
    if (show) { helpFrom = document.activeElement; help.hidden = false; document.getElementById("help-close").focus(); }
    else { help.hidden = true; if (helpFrom && helpFrom.focus) helpFrom.focus(); }
  }
  var helpButton = document.getElementById("help-button");
  if (helpButton) helpButton.addEventListener("click", function () { toggleHelp(true); });
  document.getElementById("help-close").addEventListener("click", function () { toggleHelp(false); });

  // ---- keys ----------------------------------------------------------------------------------
  function submitReject() {
    if (rejectForm.requestSubmit) rejectForm.requestSubmit(document.getElementById("reject"));
    else click("reject");
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (help && !help.hidden) {
      if (e.key === "Escape" || e.key === "?") { e.preventDefault(); toggleHelp(false); }
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      if (inReject(t)) submitReject(); else click("approve");
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey) {
      var k = e.key.toLowerCase(), code = e.code;
      if (k === "r" || code === "KeyR") {
        e.preventDefault();
        var first = rejectForm && (rejectForm.querySelector("input[name=reject_preset]:checked") ||
          rejectForm.querySelector("input[name=reject_preset]"));
        if (first) first.focus();
      } else if (k === "p" || code === "KeyP") { e.preventDefault(); click("preview-button"); }
      else if (k === "s" || code === "KeyS") { e.preventDefault(); click("save-correction"); }
      return;
    }
    if (e.key === "Escape") { if (isField(t)) { e.preventDefault(); t.blur(); } return; }
    if (inReject(t)) {
      if (/^[1-9]$/.test(e.key) && t.name !== "reject_reason") {
        var preset = document.getElementById("preset-" + e.key);
        if (preset) { e.preventDefault(); preset.checked = true; preset.focus(); }
      } else if (e.key === "Enter") { e.preventDefault(); submitReject(); }
      return;
    }
    if (e.key === "Enter" && t && t.classList && t.classList.contains("field-input")) {
      e.preventDefault();  // never the form's first button
      var next = nextUnsure(t);
      if (next) { next.focus(); next.select(); } else { document.getElementById("approve").focus(); }
      return;
    }
    if (isField(t) || e.ctrlKey || e.metaKey) return;
    var keys = {
      a: function () { click("approve"); },
      p: function () { click("preview-button"); },
      s: function () { click("save-correction"); },
      r: function () { var f = rejectForm && rejectForm.querySelector("input[name=reject_preset]"); if (f) f.focus(); },
      n: function () { document.getElementById("next-link").click(); },
      "?": function () { toggleHelp(true); },
      "+": function () { applyZoom(scale * 1.25); },
      "=": function () { applyZoom(scale * 1.25); },
      "-": function () { applyZoom(scale / 1.25); },
      "0": function () { applyZoom(1); }
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
})();
