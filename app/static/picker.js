// Searched pickers (the `picker` macro in templates/_macros.html). Without this file a picker's
// select holds the matches of the page's search form; with it, a search field above the select
// asks the JSON source as one types and the select holds the latest matches.
"use strict";

function option(value, text) {
  const item = document.createElement("option");
  item.value = value;
  item.textContent = text;
  return item;
}

function fill(select, rows) {
  const chosen = select.value;
  const blank = select.options[0];
  select.replaceChildren(option("", blank ? blank.textContent : "—"));
  for (const row of rows) select.appendChild(option(String(row.id), row.name));
  const kept = rows.some((row) => String(row.id) === chosen);
  select.value = kept ? chosen : rows.length ? String(rows[0].id) : "";
}

function enhance(select) {
  const field = document.createElement("input");
  field.type = "search";
  field.id = select.id + "-search";
  field.className = "picker-search";
  field.setAttribute("aria-label", select.dataset.searchLabel || "");
  field.placeholder = select.dataset.searchLabel || "";
  field.autocomplete = "off";
  field.maxLength = 100;
  select.parentNode.insertBefore(field, select);
  let timer = null;
  let asked = 0;
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = field.value.trim();
      if (!q) return;
      const ticket = ++asked;
      const url = select.dataset.choices + "&q=" + encodeURIComponent(q);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok && ticket === asked) fill(select, await response.json());
    }, 200);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const pickers = document.querySelectorAll("select[data-choices]");
  pickers.forEach(enhance);
  if (pickers.length) {
    document.querySelectorAll(".picker-fallback").forEach((form) => { form.hidden = true; });
  }
});
