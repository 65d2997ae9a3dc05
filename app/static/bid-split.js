// The bid form (templates/bids/bid.html) works without this file: the server computes the
// split from the share when subsidy and co-payment are left empty, and refuses a split that
// does not add up. With it, the split is computed as the supplier types.
"use strict";

const UNITS = [[10 ** 12, "조"], [10 ** 8, "억"], [10 ** 4, "만"]];

// app/money.py's won(): "1억 1,500만 원" in Korean, "KRW 115,000,000" in English.
function won(amount, locale) {
  if (locale !== "ko") return "KRW " + amount.toLocaleString("en");
  if (amount === 0) return "0 원";
  let rest = Math.abs(amount);
  const parts = [];
  for (const [size, unit] of UNITS) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count) parts.push(count.toLocaleString("ko") + unit);
  }
  if (rest) parts.push(rest.toLocaleString("ko"));
  return (amount < 0 ? "-" : "") + parts.join(" ") + " 원";
}

function number(input) {
  const value = input ? Number.parseInt(input.value, 10) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
}

function summarise(box, fields) {
  const out = box.querySelector(".split-summary");
  const total = number(fields.total);
  const subsidy = number(fields.subsidy) ?? 0;
  const copay = number(fields.copay) ?? 0;
  if (!out || total === null) return;
  const locale = document.documentElement.lang;
  const manwon = Number(box.dataset.unit);
  const values = {
    subsidy: won(subsidy * manwon, locale),
    copay: won(copay * manwon, locale),
    total: won(total * manwon, locale),
  };
  const adds = subsidy + copay === total;
  out.textContent = fill(adds ? box.dataset.summary : box.dataset.mismatch, values);
  out.classList.toggle("mismatch", !adds);
}

function fromShare(fields, maxShare) {
  const total = number(fields.total);
  if (total === null) return;
  const share = fields.share ? Math.min(number(fields.share) ?? 0, maxShare) : 0;
  const subsidy = Math.floor((total * share) / 100);
  fields.subsidy.value = subsidy;
  fields.copay.value = total - subsidy;
}

function enhance(box) {
  const form = box.closest("form");
  const fields = {
    total: form.querySelector("#f-price_total"),
    share: form.querySelector("#f-subsidy_share"),
    subsidy: form.querySelector("#f-price_subsidy"),
    copay: form.querySelector("#f-price_copay"),
  };
  if (!fields.total || !fields.subsidy || !fields.copay) return;
  const maxShare = Number(box.dataset.maxShare || 0);
  form.addEventListener("input", (event) => {
    if (event.target === fields.total || event.target === fields.share) {
      fromShare(fields, maxShare);
    } else if (event.target === fields.subsidy) {
      const total = number(fields.total);
      const subsidy = number(fields.subsidy);
      if (total !== null && subsidy !== null) fields.copay.value = total - subsidy;
    }
    summarise(box, fields);
  });
  summarise(box, fields);
}

document.querySelectorAll(".split[data-summary]").forEach(enhance);
