// Bulk upload: drag-and-drop or the picker; one request per selection, then follow progress.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var status = document.getElementById("upload-status");
  var refusedList = document.getElementById("refused");
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function showRefused(refused) {
    refusedList.textContent = "";
    (refused || []).forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = r.filename + ": " + r.error;  // textContent: names are shown inert
      refusedList.appendChild(li);
    });
  }

  function send(files) {
    if (!files.length) { status.textContent = "Choose at least one file."; return; }
    var data = new FormData();
    for (var i = 0; i < files.length; i++) data.append("files", files[i], files[i].name);
    status.textContent = "Uploading " + files.length + " file(s)…";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) status.textContent = "Uploading… " + Math.round(100 * e.loaded / e.total) + "%";
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 202) {
        showRefused(body.refused);
        status.textContent = "Stored and queued; opening the batch…";
        window.location.assign(body.url);
      } else {
        showRefused(body.refused);
        status.textContent = body.error || ("Upload refused (" + xhr.status + ")");
      }
    };
    xhr.onerror = function () { status.textContent = "The upload failed; check the connection."; };
    xhr.send(data);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); send(input.files); });
  ["dragenter", "dragover"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { send(e.dataTransfer.files); });
})();
