"""Build the customer-stories eval set from raw_use_cases.jsonl (see README.md).

    python seed/eval/customer-stories/build.py

Standard library only; the same raw file always gives byte-identical needs.jsonl and
suppliers.jsonl. Every rule below is described in README.md; the asserts at the end are the
set's guarantees (a label always names a supplier, no need text in any profile, no product or
vendor name left in a need).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw_use_cases.jsonl"
SALT = "axmatch-customer-stories-v1"

# Industries (use-case or organisation) that make a story a manufacturing/industrial need.
INDUSTRIAL = {"Manufacturing", "Automotive", "Energy & Utilities", "Robotics & Automation"}
# Organisations that are the vendor itself (product pages, not customer stories): profile only.
VENDOR_ORGS = {
    "NVIDIA",
    "AWS",
    "IBM",
    "IBM Software Support",
    "IBM Chief Information Officer Organization",
    "Google",
    "Google Cloud",
}
MAX_NEEDS_PER_PRODUCT = 10
MIN_PROFILE_CASES = 2  # a labelled product keeps at least this many case studies
MIN_NEED_CHARS = 150

# (canonical product, vendor, pattern matched against one Tool/Technology entry), most
# specific first: the first pattern that matches an entry names its product.
PRODUCTS: list[tuple[str, str, str]] = [
    ("NVIDIA BioNeMo", "NVIDIA", r"bionemo"),
    ("NVIDIA Omniverse", "NVIDIA", r"omniverse|openusd"),
    ("NVIDIA Isaac", "NVIDIA", r"\bisaac\b|gr00t|groot"),
    ("NVIDIA Metropolis", "NVIDIA", r"metropolis|deepstream"),
    ("NVIDIA Riva", "NVIDIA", r"\briva\b"),
    ("NVIDIA Triton Inference Server", "NVIDIA", r"\btriton\b"),
    ("NVIDIA NeMo", "NVIDIA", r"(?<!physics)\bnemo\b"),
    ("NVIDIA DGX", "NVIDIA", r"\bdgx\b"),
    ("NVIDIA AI Enterprise", "NVIDIA", r"nvidia ai enterprise"),
    ("NVIDIA Jetson", "NVIDIA", r"\bjetson\b"),
    ("NVIDIA cuOpt", "NVIDIA", r"\bcuopt\b"),
    ("NVIDIA RAPIDS", "NVIDIA", r"\brapids\b"),
    ("NVIDIA Parabricks", "NVIDIA", r"parabricks"),
    ("NVIDIA Clara / Holoscan", "NVIDIA", r"\bclara\b|holoscan"),
    ("NVIDIA CloudXR", "NVIDIA", r"cloudxr"),
    ("NVIDIA vGPU", "NVIDIA", r"\bvgpu\b"),
    ("NVIDIA RTX", "NVIDIA", r"\brtx\b|quadro"),
    ("Amazon Bedrock", "AWS", r"bedrock"),
    ("Amazon SageMaker", "AWS", r"sagemaker"),
    ("Amazon Q", "AWS", r"amazon q\b|codewhisperer"),
    ("Amazon Textract", "AWS", r"textract"),
    ("Amazon Connect", "AWS", r"amazon connect"),
    ("Amazon Lex", "AWS", r"amazon lex"),
    ("Amazon Rekognition", "AWS", r"rekognition"),
    ("Amazon Personalize", "AWS", r"amazon personalize"),
    ("Amazon Transcribe", "AWS", r"amazon transcribe"),
    ("Amazon Kendra", "AWS", r"amazon kendra"),
    ("IBM watsonx Orchestrate", "IBM", r"watsonx orchestrate"),
    ("IBM watsonx Code Assistant", "IBM", r"watsonx code assistant"),
    ("IBM watsonx Assistant", "IBM", r"watsonx\W*assistant|watson\W*assistant"),
    ("IBM watsonx.ai", "IBM", r"watsonx\.ai"),
    ("IBM Watson Discovery", "IBM", r"watson\W*discovery"),
    ("IBM Watson Natural Language Understanding", "IBM", r"natural language understanding"),
    ("IBM Cloud Pak for Data", "IBM", r"cloud pak for data"),
    ("IBM Watson Advertising", "IBM", r"watson advertising"),
    ("IBM TRIRIGA", "IBM", r"tririga"),
    ("Azure OpenAI Service", "Microsoft", r"azure open\s?ai"),
    ("Microsoft 365 Copilot", "Microsoft", r"copilot for microsoft 365|microsoft 365 copilot"),
    ("Azure Machine Learning", "Microsoft", r"azure machine learning"),
    (
        "Google Workspace with Gemini",
        "Google",
        r"workspace|gemini in (?:docs|sheets|gmail|slides|meet)",
    ),
    ("Gemini Code Assist", "Google", r"\bcode assist\b"),
    ("Google Security Operations", "Google", r"secops|gemini in security"),
    ("Google Agentspace", "Google", r"agentspace"),
    ("Contact Center AI", "Google", r"contact center ai|dialogflow|customer engagement suite"),
    ("Vertex AI", "Google", r"vertex"),
    ("Gemini", "Google", r"\bgemini\b"),
    ("BigQuery", "Google", r"bigquery"),
]
COMPILED = [(name, vendor, re.compile(pattern, re.I)) for name, vendor, pattern in PRODUCTS]

# Names removed from need text (with the products' own patterns): vendors, their model
# families and product words that would name the label. Longest first.
VENDOR_WORDS = [
    r"Amazon Web Services",
    r"Amazon Nova models?",
    r"Amazon [A-Z][\w.]*(?: [A-Z][\w.]*)?",
    r"AWS",
    r"NVIDIA[’']?s?",
    r"IBM[’']?s?",
    r"watsonx(?:\.\w+)?",
    r"Watson",
    r"Granite",
    r"Anthropic[’']?s?",
    r"Claude(?: [0-9.]+)?(?: (?:Sonnet|Haiku|Opus))?",
    r"Fii Omniverse Digital Twin \(FODT\)",
    r"Omniverse",
    r"OpenUSD",
    r"Universal Scene Description",
    r"Isaac(?: Sim| Lab| for Healthcare)?",
    r"GR00T N1\.5",
    r"Riva(?: Speech AI SDK)?",
    r"NeMo",
    r"DGX(?: SuperPOD| Cloud| Station)?",
    r"Jetson(?: Nano| AGX| Orin)?",
    r"Triton(?: Inference Server)?",
    r"(?:A100|H100|H200|V100|P100|A10|T4|RTX)(?: Tensor Core)?",
    r"Tesla",
    r"CUDA",
    r"Microsoft(?: Azure)?[’']?s?",
    r"Azure(?: [A-Z][\w.]*){0,3}",
    r"OpenAI",
    r"GPT-[0-9.]+(?: family)?",
    r"Copilot",
    r"GitHub",
    r"Google(?: Cloud)?[’']?s?",
    r"Gemini(?: [0-9.]+)?(?: (?:Pro|Flash|Ultra|models?))*",
    r"Gemini (?:in|for) (?:Docs|Sheets|Gmail|Slides|Meet|Google Workspace)",
    r"Vertex AI(?: [A-Z][\w.]*){0,2}",
    r"BigQuery(?: ML)?",
    r"Imagen(?: [0-9])?",
    r"Veo(?: [0-9])?",
    r"Gemma",
    r"Looker(?: Studio)?",
    r"Dialogflow(?: CX)?",
    r"Agentspace",
    r"SecOps",
    r"Anthropic’s Claude models",
]
PLACEHOLDER = "the vendor's platform"


def norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def products_of(row: dict[str, Any]) -> list[str]:
    """Products named in the row's Tool/Technology column, in column order, without repeats."""
    found: list[str] = []
    for entry in re.split(r"[;,\n]", row["tools"]):
        for name, _, pattern in COMPILED:
            if pattern.search(entry):
                if name not in found:
                    found.append(name)
                break
    return found


def row_key(row: dict[str, Any]) -> str:
    return hashlib.md5(f"{SALT}|{row['case_id']}".encode()).hexdigest()


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


OUTCOME = re.compile(
    r"^(As a result|The impact|Ultimately|Overall|Consequently|This (transformation|initiative|"
    r"innovation|advancement|strategic|innovative)|The (successful|results?|outcome|integration|"
    r"implementation|platform's|collaboration))",
)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", norm_ws(text)) if s]


def strip_names(text: str, organization: str) -> str:
    org_names = {organization, organization.split(" (")[0]}
    first = organization.split()[0]
    if len(first) > 3:
        org_names.add(first)
    for org in sorted(org_names, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(org)}['’]s(?!\w)", "the company's", text)
        text = re.sub(rf"(?<!\w){re.escape(org)}(?!\w)", "the company", text)
    for pattern in sorted(VENDOR_WORDS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-])(?:{pattern})(?:™|®)?(?![\w-])", PLACEHOLDER, text)
    for pattern in sorted((p for _, _, p in PRODUCTS), key=len, reverse=True):
        text = re.sub(rf"(?i)(?<![\w-])(?:{pattern})(?:™|®)?(?![\w-])", PLACEHOLDER, text)
    text = re.sub(r"\bAmazon\b", PLACEHOLDER, text)
    text = re.sub(
        rf"{re.escape(PLACEHOLDER)}(?:(?:,| and| with| \(| on|)\s*{re.escape(PLACEHOLDER)}\)?)+",
        PLACEHOLDER,
        text,
    )
    text = re.sub(r"\b(the|a|an) the vendor's", "the vendor's", text)
    text = re.sub(r"\b(?:[Tt]he) the company", "the company", text)
    text = re.sub(r"(^|[.!?]\s+)the company", lambda m: m.group(1) + "The company", text)
    text = re.sub(r"(^|[.!?]\s+)the vendor's", lambda m: m.group(1) + "The vendor's", text)
    return norm_ws(text)


def need_text(row: dict[str, Any]) -> tuple[str, str]:
    """Title and description as the buyer would write them: the story's problem and approach
    (sentences before the first outcome sentence), product, vendor and company names removed."""
    kept: list[str] = []
    for sentence in sentences(row["description"]):
        if kept and OUTCOME.match(sentence):
            break
        kept.append(sentence)
    title = strip_names(row["title"], row["organization"])
    return title, strip_names(" ".join(kept), row["organization"])


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def near_copy(a: str, b: str) -> bool:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return False
    inter = len(ta & tb)
    return inter / len(ta | tb) >= 0.5 or inter / min(len(ta), len(tb)) >= 0.8


def counts(values: list[str]) -> str:
    return ", ".join(f"{v} ({n})" for v, n in Counter(values).most_common())


def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in RAW.read_text(encoding="utf-8").splitlines() if line]
    vendor_of = {name: vendor for name, vendor, _ in PRODUCTS}
    named = {r["case_id"]: products_of(r) for r in rows}
    usable = [r for r in rows if named[r["case_id"]]]
    by_product: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in usable:
        by_product[named[r["case_id"]][0]].append(r)

    eligible = [
        r
        for r in usable
        if (r["use_case_industry"] in INDUSTRIAL or r["org_industry"] in INDUSTRIAL)
        and r["organization"] not in VENDOR_ORGS
        and len(r["description"]) >= MIN_NEED_CHARS
    ]
    eligible.sort(key=row_key)

    chosen: list[dict[str, Any]] = []
    held_orgs: set[str] = set()
    per_product: Counter[str] = Counter()

    def remaining(product: str, extra: dict[str, Any]) -> int:
        orgs = held_orgs | {extra["organization"]}
        texts = [c["description"] for c in chosen + [extra]]
        return sum(
            1
            for r in by_product[product]
            if r["organization"] not in orgs
            and not any(near_copy(r["description"], t) for t in texts)
        )

    for r in eligible:
        product = named[r["case_id"]][0]
        if r["organization"] in held_orgs or per_product[product] >= MAX_NEEDS_PER_PRODUCT:
            continue
        if any(near_copy(r["description"], c["description"]) for c in chosen):
            continue
        labelled = {named[c["case_id"]][0] for c in chosen} | {product}
        if any(remaining(p, r) < MIN_PROFILE_CASES for p in labelled):
            continue
        chosen.append(r)
        held_orgs.add(r["organization"])
        per_product[product] += 1

    # Global hold-out: every chosen row, every row of a chosen row's organisation and every
    # near-copy of a chosen row's text is left out of all supplier profiles.
    chosen_texts = [c["description"] for c in chosen]
    profile_rows = [
        r
        for r in usable
        if r["organization"] not in held_orgs
        and not any(near_copy(r["description"], t) for t in chosen_texts)
    ]
    suppliers: list[dict[str, Any]] = []
    for product in sorted({named[r["case_id"]][0] for r in profile_rows}):
        own = sorted(
            (r for r in profile_rows if named[r["case_id"]][0] == product),
            key=lambda r: r["case_id"],
        )
        vendor = vendor_of[product]
        domains = [r["domain"] for r in own]
        industries = [r["use_case_industry"] for r in own]
        n = len(own)
        suppliers.append(
            {
                "external_id": f"cs-{slug(product)}",
                "name": product,
                "description": (
                    f"{product} ({vendor}): product named first in {n} published customer "
                    f"{'story' if n == 1 else 'stories'}. Use-case domains: {counts(domains)}. "
                    f"Industries: {counts(industries)}."
                ),
                "case_studies": [
                    {"title": norm_ws(r["title"]), "text": norm_ws(r["description"])} for r in own
                ],
                "specialties": [d for d, _ in Counter(domains).most_common()],
                "industries": [i for i, _ in Counter(industries).most_common()],
                "region": None,
                "language": "en",
            }
        )
    supplier_ids = {s["name"]: s["external_id"] for s in suppliers}

    needs: list[dict[str, Any]] = []
    for r in sorted(chosen, key=row_key):
        title, description = need_text(r)
        products = named[r["case_id"]]
        relevant = {supplier_ids[products[0]]: 2}
        for other in products[1:]:
            if other in supplier_ids:
                relevant[supplier_ids[other]] = 1
        needs.append(
            {
                "external_id": f"cs-need-{r['case_id'].removeprefix('aicase-')}",
                "title": title,
                "description": description,
                "language": "en",
                "relevant": dict(sorted(relevant.items())),
            }
        )
    check(needs, suppliers, {f"cs-need-{c['case_id'].removeprefix('aicase-')}": c for c in chosen})
    return needs, suppliers


def check(
    needs: list[dict[str, Any]], suppliers: list[dict[str, Any]], source: dict[str, dict[str, Any]]
) -> None:
    by_id = {s["external_id"]: s for s in suppliers}
    profile_text = {
        s["external_id"]: " ".join([s["description"]] + [c["text"] for c in s["case_studies"]])
        for s in suppliers
    }
    leak = re.compile(
        "|".join(
            [p for _, _, p in PRODUCTS]
            + [
                r"\bnvidia\b",
                r"\baws\b",
                r"\bamazon\b",
                r"\bibm\b",
                r"watson",
                r"\bmicrosoft\b",
                r"\bazure\b",
                r"\bgoogle\b",
                r"\bgemini\b",
            ]
        ),
        re.I,
    )
    for need in needs:
        text = f"{need['title']} {need['description']}"
        assert len(need["description"]) >= 80, need["external_id"]
        assert not leak.search(text), (need["external_id"], leak.search(text))
        assert list(need["relevant"].values()).count(2) == 1, need["external_id"]
        raw = source[need["external_id"]]["description"]
        for sid in need["relevant"]:
            assert sid in by_id, (need["external_id"], sid)
            assert len(by_id[sid]["case_studies"]) >= 1
            assert norm_ws(raw) not in profile_text[sid], (need["external_id"], sid)
        for supplier in suppliers:
            for case in supplier["case_studies"]:
                assert not near_copy(raw, case["text"]), (need["external_id"], supplier["name"])
        top = next(s for s, g in need["relevant"].items() if g == 2)
        assert len(by_id[top]["case_studies"]) >= MIN_PROFILE_CASES, (need["external_id"], top)


def main() -> None:
    needs, suppliers = build()
    for name, items in (("needs.jsonl", needs), ("suppliers.jsonl", suppliers)):
        with open(HERE / name, "w", encoding="utf-8", newline="\n") as f:
            for item in items:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
    labels = Counter(g for n in needs for g in n["relevant"].values())
    top = Counter(next(s for s, g in n["relevant"].items() if g == 2) for n in needs)
    print(
        f"{len(needs)} needs, {len(suppliers)} suppliers, "
        f"{sum(len(s['case_studies']) for s in suppliers)} case studies, "
        f"grade 2: {labels[2]}, grade 1: {labels[1]}, true suppliers: {len(top)}"
    )
    for sid, n in top.most_common():
        print(f"  {n:3d}  {sid}")


if __name__ == "__main__":
    main()
