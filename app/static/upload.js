// Upload forms (templates/files/_macros.html) work without this file; with it, a file over
// the limit is refused before it is sent, and a progress bar shows the upload.
"use strict";

function showError(form, text) {
  let note = form.querySelector(".upload-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "field-error upload-error";
    form.querySelector(".field").appendChild(note);
  }
  note.textContent = text;
}

function send(form, event) {
  const input = form.querySelector('input[type="file"]');
  const file = input && input.files[0];
  if (!file || !window.FormData) return;
  if (file.size > Number(form.dataset.maxBytes)) {
    event.preventDefault();
    showError(form, form.dataset.tooLarge);
    return;
  }
  event.preventDefault();
  const bar = form.querySelector(".upload-progress");
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.upload.addEventListener("progress", (e) => {
    if (bar && e.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round((100 * e.loaded) / e.total);
    }
  });
  request.addEventListener("load", () => {
    if (request.status < 400) {
      window.location.assign(request.responseURL);
      return;
    }
    document.open();
    document.write(request.responseText);
    document.close();
  });
  request.addEventListener("error", () => form.submit());
  form.querySelector('button[type="submit"]').disabled = true;
  request.send(new FormData(form));
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.classList.contains("upload-form")) {
    send(form, event);
  }
});
