"""Build the axmatch demo data and the labelled evaluation sets.

Hand-written text lives in seed/data/source/*.py; this script adds the derived fields,
generates the bulk manufacturers from fixed seeds, validates everything against
app/vocab.py and writes JSONL. Standard library only; two runs give byte-identical files.

    python seed/build_data.py
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

Record = dict[str, Any]

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "data" / "source"
DATA_DIR = ROOT / "data"
EVAL_DIR = ROOT / "eval"
MANUFACTURER_COUNT = 300
SF_TARGET = {"none": 75, "basic": 105, "intermediate1": 75, "intermediate2": 36, "advanced": 9}
CERTS = {
    "V": "벤처기업",
    "R": "기업부설연구소",
    "G1": "GS인증 1등급",
    "G2": "GS인증 2등급",
    "I9": "ISO 9001",
    "I14": "ISO 14001",
    "I27": "ISO/IEC 27001",
    "IB": "이노비즈",
    "MB": "메인비즈",
    "KC": "KC인증",
    "AS": "AS9100",
}


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VOCAB = load_module(ROOT.parent / "app" / "vocab.py")
SRC = {
    name: load_module(SOURCE / f"{name}.py")
    for name in (
        "suppliers_a",
        "suppliers_b",
        "suppliers_c",
        "anchors",
        "mfr_parts",
        "needs_demo",
        "needs_eval_mfg",
        "needs_eval_xl",
    )
}
PARTS = SRC["mfr_parts"]


# ---------------------------------------------------------------- suppliers


def supplier_sources() -> list[Record]:
    parts = (
        ("suppliers_a", "SUPPLIERS_A"),
        ("suppliers_b", "SUPPLIERS_B"),
        ("suppliers_c", "SUPPLIERS_C"),
    )
    return [row for module, name in parts for row in getattr(SRC[module], name)]


def build_case(case: tuple[str, str, str, str, str, int]) -> Record:
    title, text, industry, process, outcome, year = case
    return {
        "title": title,
        "text": text,
        "industry": industry,
        "process": process,
        "outcome": outcome,
        "year": year,
    }


def merged(declared: str, extra: list[str]) -> list[str]:
    """Declared codes first; codes only seen in case studies are appended so profiles agree."""
    codes = declared.split()
    return codes + [code for code in dict.fromkeys(extra) if code not in codes]


def person(rng: random.Random) -> str:
    return str(rng.choice(PARTS.SURNAMES) + rng.choice(PARTS.GIVEN))


def build_supplier(src: Record) -> Record:
    team, capacity, price_min, price_max, min_sf, founded = src["meta"].split()
    cases = [build_case(case) for case in src["c"]]
    rng = random.Random("supplier:" + src["s"])
    return {
        "external_id": f"sup-{src['s']}",
        "name": src["n"],
        "description": src["d"].strip(),
        "language": src["l"],
        "case_studies": cases,
        "specialties": src["sp"].split(),
        "ai_techniques": src["t"].split(),
        "industries": merged(src["i"], [c["industry"] for c in cases]),
        "processes": merged(src["p"], [c["process"] for c in cases]),
        "region": src["r"],
        "team_size": int(team),
        "capacity": int(capacity),
        "price_min": int(price_min),
        "price_max": int(price_max),
        "min_sf_level": None if min_sf == "none" else min_sf,
        "certifications": [CERTS[key] for key in src["certs"].split()],
        "founded": int(founded),
        "membership": src.get("m", "admitted"),
        "contact_name": person(rng),
        "email": f"{rng.choice(PARTS.MAIL_LOCALS)}@{src['s']}.example.kr",
    }


# ------------------------------------------------------------ manufacturers


def anchor_record(row: tuple[Any, ...], number: int) -> Record:
    key, name, industry, region, employees, revenue, sf, systems, ready, text = row
    rng = random.Random("anchor:" + key)
    english = name.isascii()
    domain = SRC["anchors"].ANCHOR_DOMAINS[key]
    return {
        "external_id": f"mfr-{number:03d}",
        "name": name,
        "description": f"{text} {state_sentence(sf, english, rng)}",
        "industry": industry,
        "region": region,
        "employees": employees,
        "revenue_band": revenue,
        "sf_level": sf,
        "systems": systems.split(),
        "readiness": dict(zip(("data_collected", "staff", "budget"), ready, strict=True)),
        "contact_name": person(rng),
        "email": f"{rng.choice(PARTS.MAIL_LOCALS)}@{domain}.example.kr",
    }


def state_sentence(sf: str, english: bool, rng: random.Random) -> str:
    return str(rng.choice((PARTS.STATE_EN if english else PARTS.STATE_KO)[sf]))


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def sf_pool(anchors: list[Record], size: int, rng: random.Random) -> list[str]:
    """Levels left for generated firms so the whole population hits SF_TARGET exactly."""
    left = Counter(SF_TARGET) - Counter(a["sf_level"] for a in anchors)
    pool = [level for level in SF_TARGET for _ in range(left[level])]
    if len(pool) != size:
        raise ValueError(f"sf pool has {len(pool)} levels for {size} firms")
    rng.shuffle(pool)
    return pool


EMPLOYEES = {
    "none": (5, 40),
    "basic": (10, 120),
    "intermediate1": (30, 200),
    "intermediate2": (60, 300),
    "advanced": (120, 300),
}


def revenue_band(employees: int, rng: random.Random) -> str:
    per_head = rng.uniform(1.0, 3.0)  # 억 원 of sales per employee
    sales = employees * per_head
    for limit, band in (
        (10, "lt10"),
        (50, "10-50"),
        (100, "50-100"),
        (500, "100-500"),
        (1000, "500-1000"),
    ):
        if sales < limit:
            return band
    return "gte1000"


def systems_for(sf: str, rng: random.Random) -> list[str]:
    base = {
        "none": [],
        "basic": ["erp"],
        "intermediate1": ["mes", "erp", "plc"],
        "intermediate2": ["mes", "erp", "plc", "sensors", "qms"],
        "advanced": ["mes", "erp", "plc", "sensors", "scada", "qms"],
    }[sf]
    extra = {
        "none": ["erp"],
        "basic": ["plc", "sensors"],
        "intermediate1": ["sensors", "qms"],
        "intermediate2": ["scada"],
        "advanced": [],
    }[sf]
    picked = [code for code in extra if rng.random() < 0.35]
    return [code for code in VOCAB.SYSTEMS if code in base + picked]


READINESS = {
    "none": (("none", "none", "partial"), ("none", "none", "none")),
    "basic": (
        ("partial", "none", "partial"),
        ("none", "some", "partial"),
        ("partial", "some", "none"),
    ),
    "intermediate1": (
        ("partial", "some", "partial"),
        ("systematic", "some", "partial"),
        ("partial", "some", "secured"),
    ),
    "intermediate2": (("systematic", "some", "secured"), ("systematic", "dedicated", "partial")),
    "advanced": (("systematic", "dedicated", "secured"),),
}


def readiness_for(sf: str, rng: random.Random) -> Record:
    values = rng.choice(READINESS[sf])
    return dict(zip(("data_collected", "staff", "budget"), values, strict=True))


def company_name(industry: str, rng: random.Random, taken: set[str]) -> tuple[str, str, str]:
    """Returns (display name, romanised slug, english name) that is not taken yet."""
    while True:
        head_ko, head_en = rng.choice(PARTS.NAME_HEADS)
        tail_ko, tail_en = rng.choice(PARTS.NAME_TAILS[industry])
        slug = f"{head_en}-{tail_en.lower().replace(' ', '-')}"
        if slug not in taken:
            taken.add(slug)
            name = f"{head_ko}{tail_ko}"
            name = rng.choice([name, name, f"㈜{name}", f"{name}㈜"])
            return name, slug, f"{head_en.capitalize()} {tail_en}"


def variant(industry: str, region: str) -> str:
    """Industry 31 covers ships and aircraft; the region decides which one a firm builds."""
    return "31a" if industry == "31" and region in PARTS.AERO_REGIONS else industry


def concern_for(record: Record, process: str, rng: random.Random) -> str:
    key = "food" if record["industry"] in ("10", "11") else process
    concerns = PARTS.CONCERNS.get(key, PARTS.CONCERNS["assembly"])
    return str(rng.choice(concerns[1 if record["language"] == "en" else 0]))


def describe(
    record: Record, kind: str, process: str, product: tuple[str, str], rng: random.Random
) -> str:
    english = record["language"] == "en"
    region = VOCAB.REGIONS[record["region"]]
    staff = record["employees"]
    values = {
        "since": rng.randint(1979, 2018),
        "years": rng.randint(12, 40),
        "emp": staff,
        "city": region.en.split(",")[0] if english else region.ko.split()[-1],
        "product": product[1] if english else product[0],
        "customer": rng.choice(PARTS.CUSTOMERS[kind])[1 if english else 0],
        "equipment": PARTS.EQUIPMENT_KO.get(process, "생산 라인 {k}개").format(
            n=max(2, staff // rng.randint(3, 6)), k=1 + staff // 60
        ),
        "state": state_sentence(record["sf_level"], english, rng),
        "concern": concern_for(record, process, rng),
    }
    template: str = rng.choice(PARTS.TEMPLATES_EN if english else PARTS.TEMPLATES_KO)
    return template.format(**values)


def generated_manufacturer(number: int, sf: str, taken: set[str]) -> Record:
    rng = random.Random(f"manufacturer:{number}")
    industry = weighted(rng, PARTS.INDUSTRY_WEIGHTS)
    region = weighted(rng, PARTS.REGION_WEIGHTS_BY_INDUSTRY.get(industry, PARTS.REGION_WEIGHTS))
    kind = variant(industry, region)
    name, slug, name_en = company_name(kind, rng, taken)
    english = rng.random() < 0.12
    low, high = EMPLOYEES[sf]
    record: Record = {
        "external_id": f"mfr-{number:03d}",
        "name": name_en if english else name,
        "description": "",
        "industry": industry,
        "region": region,
        "employees": low + round((high - low) * rng.random() ** 2),
        "language": "en" if english else "ko",
        "sf_level": sf,
    }
    process, products_ko, products_en = rng.choice(PARTS.PRODUCTS[kind])
    index = rng.randrange(len(products_ko))
    product = (products_ko[index], products_en[min(index, len(products_en) - 1)])
    record["description"] = describe(record, kind, process, product, rng)
    return finish_manufacturer(record, slug, rng)


def finish_manufacturer(record: Record, slug: str, rng: random.Random) -> Record:
    sf = record.pop("sf_level")
    record.pop("language")
    record["revenue_band"] = revenue_band(record["employees"], rng)
    record["sf_level"] = sf
    record["systems"] = systems_for(sf, rng)
    record["readiness"] = readiness_for(sf, rng)
    record["contact_name"] = person(rng)
    record["email"] = f"{rng.choice(PARTS.MAIL_LOCALS)}@{slug}.example.kr"
    return record


def build_manufacturers() -> tuple[list[Record], dict[str, str]]:
    """All manufacturers, plus a map from anchor key to external id."""
    anchors = [anchor_record(row, i + 1) for i, row in enumerate(SRC["anchors"].ANCHORS)]
    keys = {row[0]: anchors[i]["external_id"] for i, row in enumerate(SRC["anchors"].ANCHORS)}
    size = MANUFACTURER_COUNT - len(anchors)
    pool = sf_pool(anchors, size, random.Random("sf-pool"))
    taken = set(SRC["anchors"].ANCHOR_DOMAINS.values())
    generated = [generated_manufacturer(len(anchors) + i + 1, pool[i], taken) for i in range(size)]
    return anchors + generated, keys


# -------------------------------------------------------------------- needs


def build_need(src: Record, anchors: dict[str, str], industries: dict[str, str]) -> Record:
    manufacturer = anchors[src["a"]]
    low, high = src["b"]
    return {
        "external_id": f"need-{src['k']}",
        "manufacturer": manufacturer,
        "title": src["title"],
        "description": src["d"].strip(),
        "language": src["l"],
        "industry": industries[manufacturer],
        "process": src["p"],
        "ai_techniques": src["t"].split(),
        "specialties": src["s"].split(),
        "kpis": [{"metric": m, "unit": u, "baseline": b, "target": t} for m, u, b, t in src["kpi"]],
        "budget_min": low,
        "budget_max": high,
        "timeline_months": src["mo"],
        "deadline_days": src["dl"],
        "data_available": src["data"],
        "must_have": src["must"],
        "nice_to_have": src["nice"],
        "confidential_notes": src["conf"],
        "prefer_in_province": src["prov"],
        "status": src["st"],
    }


# --------------------------------------------------------------------- eval


def eval_supplier(supplier: Record, prefix: str) -> Record:
    return {
        "external_id": prefix + supplier["external_id"].removeprefix("sup-"),
        "name": supplier["name"],
        "description": supplier["description"],
        "case_studies": [
            {"title": c["title"], "text": c["text"]} for c in supplier["case_studies"]
        ],
        "specialties": supplier["specialties"],
        "industries": supplier["industries"],
        "region": supplier["region"],
        "language": supplier["language"],
    }


NeedRow = tuple[str, str, str, str, dict[str, int]]


def eval_need(row: NeedRow, need_prefix: str, sup_prefix: str) -> Record:
    slug, lang, title, text, rel = row
    return {
        "external_id": need_prefix + slug.removeprefix("xl-"),
        "title": title,
        "description": text.strip(),
        "language": lang,
        "relevant": {sup_prefix + key: grade for key, grade in sorted(rel.items())},
    }


def build_mfg_eval(suppliers: list[Record]) -> tuple[list[Record], list[Record]]:
    sups = [eval_supplier(s, "eval-sup-") for s in suppliers]
    demo = [(n["k"], n["l"], n["title"], n["d"], n["rel"]) for n in SRC["needs_demo"].NEEDS_DEMO]
    rows = demo + list(SRC["needs_eval_mfg"].NEEDS_EVAL_MFG)
    needs = [eval_need(row, "eval-need-", "eval-sup-") for row in rows]
    return sups, needs


def build_xl_eval(suppliers: list[Record]) -> tuple[list[Record], list[Record]]:
    """Only single-language profiles, so every grade-2 pair really crosses languages."""
    mono = [s for s in suppliers if s["language"] in ("ko", "en")]
    sups = [eval_supplier(s, "xl-sup-") for s in mono]
    rows = SRC["needs_eval_xl"].NEEDS_EVAL_XL
    needs = [eval_need(row, "xl-need-", "xl-sup-") for row in rows]
    return sups, needs


# --------------------------------------------------------------- validation


class DataError(Exception):
    """Raised when generated data breaks a rule; the build stops with the message."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise DataError(message)


HANGUL = re.compile("[\uac00-\ud7a3]")


def words(text: str) -> float:
    """English-equivalent word count: a Korean eojeol (word plus particles) counts 1.5."""
    return sum(1.5 if HANGUL.search(token) else 1.0 for token in text.split())


def check_codes(where: str, codes: list[str], vocabulary: dict[str, Any]) -> None:
    unknown = [code for code in codes if code not in vocabulary]
    check(not unknown, f"{where}: unknown codes {unknown}")


def check_supplier(s: Record) -> None:
    where = s["external_id"]
    check_codes(where, s["specialties"], VOCAB.SPECIALTIES)
    check_codes(where, s["ai_techniques"], VOCAB.AI_TECHNIQUES)
    check_codes(where, s["industries"], VOCAB.INDUSTRIES)
    check_codes(where, s["processes"], VOCAB.PROCESSES)
    check_codes(where, [s["region"]], VOCAB.REGIONS)
    check(s["min_sf_level"] is None or s["min_sf_level"] in VOCAB.SF_LEVELS, f"{where}: sf")
    check(s["language"] in ("ko", "en", "ko+en"), f"{where}: language")
    check(s["language"] != "ko+en" or "\n\n" in s["description"], f"{where}: ko+en split")
    check(
        80 <= words(s["description"]) <= 250,
        f"{where}: description {words(s['description'])} words",
    )
    check(
        1 <= s["capacity"] <= 6 and 0 < s["price_min"] <= s["price_max"], f"{where}: capacity/price"
    )
    check(s["membership"] in ("admitted", "applied", "suspended"), f"{where}: membership")
    check(len(s["case_studies"]) <= 4, f"{where}: too many case studies")
    for case in s["case_studies"]:
        check_codes(where, [case["industry"]], VOCAB.INDUSTRIES)
        check_codes(where, [case["process"]], VOCAB.PROCESSES)
        check(
            40 <= words(case["text"]) <= 150,
            f"{where}: case '{case['title']}' {words(case['text'])} words",
        )
        check(2021 <= case["year"] <= 2026, f"{where}: case year")


def check_manufacturer(m: Record) -> None:
    where = m["external_id"]
    check_codes(where, [m["industry"]], VOCAB.INDUSTRIES)
    check_codes(where, [m["region"]], VOCAB.REGIONS)
    check_codes(where, [m["revenue_band"]], VOCAB.REVENUE_BANDS)
    check_codes(where, [m["sf_level"]], VOCAB.SF_LEVELS)
    check_codes(where, m["systems"], VOCAB.SYSTEMS)
    check(5 <= m["employees"] <= 300, f"{where}: employees")
    check(
        20 <= words(m["description"]) <= 80, f"{where}: description {words(m['description'])} words"
    )
    allowed = {
        "data_collected": ("none", "partial", "systematic"),
        "staff": ("none", "some", "dedicated"),
        "budget": ("none", "partial", "secured"),
    }
    for key, values in allowed.items():
        check(m["readiness"][key] in values, f"{where}: readiness {key}")


def check_need(n: Record, manufacturers: dict[str, Record]) -> None:
    where = n["external_id"]
    check(n["manufacturer"] in manufacturers, f"{where}: unknown manufacturer")
    check(n["industry"] == manufacturers[n["manufacturer"]]["industry"], f"{where}: industry")
    check_codes(where, [n["industry"]], VOCAB.INDUSTRIES)
    check_codes(where, [n["process"]], VOCAB.PROCESSES)
    check_codes(where, n["ai_techniques"], VOCAB.AI_TECHNIQUES)
    check_codes(where, n["specialties"], VOCAB.SPECIALTIES)
    check_codes(where, [k["metric"] for k in n["kpis"]], VOCAB.KPI_METRICS)
    check(
        60 <= words(n["description"]) <= 200,
        f"{where}: description {words(n['description'])} words",
    )
    check(0 < n["budget_min"] <= n["budget_max"], f"{where}: budget")
    check(n["status"] in ("draft", "open", "closed"), f"{where}: status")
    check((n["deadline_days"] < 0) == (n["status"] == "closed"), f"{where}: deadline vs status")
    check(all(len(k["unit"]) <= 20 for k in n["kpis"]), f"{where}: kpi unit too long")


def check_unique(records: list[Record], key: str) -> None:
    counts = Counter(r[key] for r in records)
    duplicated = [value for value, count in counts.items() if count > 1]
    check(not duplicated, f"duplicate {key}: {duplicated[:5]}")
    check(
        all(r[key].endswith((".example.kr", ".example.com")) for r in records if key == "email"),
        "e-mail outside .example domains",
    )


def check_demo(suppliers: list[Record], manufacturers: list[Record], needs: list[Record]) -> None:
    for supplier in suppliers:
        check_supplier(supplier)
    for manufacturer in manufacturers:
        check_manufacturer(manufacturer)
    by_id = {m["external_id"]: m for m in manufacturers}
    for need in needs:
        check_need(need, by_id)
    for records in (suppliers, manufacturers, needs):
        check_unique(records, "external_id")
    check_unique(suppliers + manufacturers, "email")
    check_counts(suppliers, manufacturers, needs)


def check_counts(suppliers: list[Record], manufacturers: list[Record], needs: list[Record]) -> None:
    member = Counter(s["membership"] for s in suppliers)
    check(len(suppliers) >= 90 and member["admitted"] >= 80, f"suppliers {len(suppliers)} {member}")
    check(5 <= member["applied"] <= 6 and 2 <= member["suspended"] <= 3, f"membership {member}")
    check(len(manufacturers) == MANUFACTURER_COUNT, "manufacturer count")
    check(Counter(m["sf_level"] for m in manufacturers) == Counter(SF_TARGET), "sf distribution")
    status = Counter(n["status"] for n in needs)
    check(len(needs) == 45 and status == Counter(draft=5, open=28, closed=12), f"needs {status}")


def trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def profile_text(supplier: Record) -> str:
    cases = " ".join(f"{c['title']} {c['text']}" for c in supplier["case_studies"])
    return f"{supplier['name']} {supplier['description']} {cases}"


def leakage(need: Record, supplier: Record) -> float:
    """Share of the need's word trigrams that also occur in the supplier's profile."""
    need_grams = trigrams(f"{need['title']} {need['description']}")
    return len(need_grams & trigrams(profile_text(supplier))) / max(1, len(need_grams))


MAX_LEAKAGE = 0.04


def check_eval(suppliers: list[Record], needs: list[Record], crosslingual: bool) -> float:
    """Validates one evaluation set and returns its worst need/grade-2 trigram overlap."""
    by_id = {s["external_id"]: s for s in suppliers}
    check_unique(suppliers, "external_id")
    check_unique(needs, "external_id")
    worst = 0.0
    for need in needs:
        where = need["external_id"]
        check(all(key in by_id for key in need["relevant"]), f"{where}: unknown supplier label")
        check(set(need["relevant"].values()) <= {1, 2}, f"{where}: grades")
        top = [by_id[key] for key, grade in need["relevant"].items() if grade == 2]
        check(bool(top), f"{where}: no grade-2 supplier")
        check(
            not crosslingual or all(s["language"] != need["language"] for s in top),
            f"{where}: grade-2 supplier shares the need's language",
        )
        worst = max([worst] + [leakage(need, s) for s in top])
    check(worst <= MAX_LEAKAGE, f"need text copies a relevant profile (overlap {worst:.3f})")
    return worst


# ------------------------------------------------------------------- output


def write_jsonl(path: Path, records: list[Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def summary(name: str, suppliers: list[Record], needs: list[Record], worst: float) -> str:
    grades = Counter(g for n in needs for g in n["relevant"].values())
    langs = Counter(n["language"] for n in needs)
    sup_langs = Counter(s["language"] for s in suppliers)
    return (
        f"{name}: {len(suppliers)} suppliers {dict(sup_langs)}, {len(needs)} needs "
        f"{dict(langs)}, grade-2 {grades[2]}, grade-1 {grades[1]}, max overlap {worst:.3f}"
    )


def main() -> int:
    suppliers = [build_supplier(src) for src in supplier_sources()]
    manufacturers, anchors = build_manufacturers()
    industries = {m["external_id"]: m["industry"] for m in manufacturers}
    needs = [build_need(src, anchors, industries) for src in SRC["needs_demo"].NEEDS_DEMO]
    check_demo(suppliers, manufacturers, needs)
    mfg_sups, mfg_needs = build_mfg_eval(suppliers)
    xl_sups, xl_needs = build_xl_eval(suppliers)
    mfg_worst = check_eval(mfg_sups, mfg_needs, crosslingual=False)
    xl_worst = check_eval(xl_sups, xl_needs, crosslingual=True)
    outputs = {
        DATA_DIR / "suppliers.jsonl": suppliers,
        DATA_DIR / "manufacturers.jsonl": manufacturers,
        DATA_DIR / "needs.jsonl": needs,
        EVAL_DIR / "gyeongnam-mfg" / "suppliers.jsonl": mfg_sups,
        EVAL_DIR / "gyeongnam-mfg" / "needs.jsonl": mfg_needs,
        EVAL_DIR / "crosslingual" / "suppliers.jsonl": xl_sups,
        EVAL_DIR / "crosslingual" / "needs.jsonl": xl_needs,
    }
    for path, records in outputs.items():
        write_jsonl(path, records)
    print(
        f"demo: {len(suppliers)} suppliers, {len(manufacturers)} manufacturers, {len(needs)} needs"
    )
    print(summary("gyeongnam-mfg", mfg_sups, mfg_needs, mfg_worst))
    print(summary("crosslingual", xl_sups, xl_needs, xl_worst))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DataError as error:
        sys.exit(f"seed data invalid: {error}")
