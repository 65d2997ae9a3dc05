"""`axmatch bench`: matching speed at the scale in DESIGN.md, each figure beside its raw ceiling.

It builds its own database (a SQLite file in a temporary folder unless --database-url names
one), generates suppliers, manufacturers and needs, embeds and indexes them through the
product's own code, then times the raw model and FAISS against the service and HTTP paths.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import insert, select

from app import vocab
from app.models import (
    CaseStudy,
    ManufacturerProfile,
    Membership,
    Need,
    NeedStatus,
    Organization,
    OrgKind,
    SupplierProfile,
    utcnow,
)

PHRASES = {
    "vision_inspection": (
        "딥러닝 비전 검사로 표면 결함을 검출",
        "camera-based surface defect inspection",
    ),
    "predictive_maintenance": (
        "진동·전류 데이터로 설비 고장을 예측",
        "predicting machine failures from vibration",
    ),
    "process_optimization": (
        "공정 조건을 최적화해 수율을 개선",
        "optimising process settings to raise yield",
    ),
    "quality_prediction": (
        "공정 데이터로 품질 불량을 사전 예측",
        "predicting quality defects from process data",
    ),
    "demand_forecasting": (
        "수요를 예측해 재고와 발주를 최적화",
        "forecasting demand to cut inventory",
    ),
    "energy_optimization": (
        "가열로 에너지 사용량을 줄이는 제어",
        "reducing furnace energy use with control",
    ),
    "safety_monitoring": (
        "작업자 위험 행동을 영상으로 감지",
        "detecting unsafe worker behaviour on video",
    ),
    "genai_document": (
        "작업 표준서와 도면을 생성형 AI로 검색",
        "searching work standards with generative AI",
    ),
    "digital_twin": (
        "라인 디지털 트윈으로 병목을 시뮬레이션",
        "simulating line bottlenecks in a digital twin",
    ),
    "scheduling": ("생산 계획과 설비 배정을 자동화", "automating production scheduling"),
}


@dataclass
class Scale:
    suppliers: int = 500
    manufacturers: int = 160_000
    needs: int = 50_000


def _text(rng: random.Random, technique: str, process: str, korean: bool) -> str:
    ko, en = PHRASES[technique]
    proc = vocab.PROCESSES[process]
    if korean:
        return f"{proc.ko} 공정에서 {ko}합니다. 현장 데이터 {rng.randint(2, 40)}종을 활용합니다."
    return f"{en} for {proc.en.lower()} lines, using {rng.randint(2, 40)} plant data sources."


def _supplier_rows(rng: random.Random, n: int) -> tuple[list[dict], list[dict], list[dict]]:
    orgs, profiles, cases = [], [], []
    regions, processes = list(vocab.REGIONS), list(vocab.PROCESSES)
    for i in range(1, n + 1):
        technique, process = rng.choice(list(PHRASES)), rng.choice(processes)
        korean = rng.random() < 0.6
        orgs.append(
            {
                "id": i,
                "kind": OrgKind.supplier,
                "name": f"Bench AI {i}",
                "external_id": f"bench-sup-{i}",
                "created_at": utcnow(),
                "version": 1,
            }
        )
        profiles.append(
            {
                "id": i,
                "organization_id": i,
                "membership": Membership.admitted,
                "description_ko" if korean else "description_en": _text(
                    rng, technique, process, korean
                ),
                "ai_techniques": [technique],
                "processes": [process],
                "industries": [rng.choice(list(vocab.INDUSTRIES))],
                "region": rng.choice(regions),
                "capacity": rng.randint(1, 5),
                "price_min": 2000,
                "price_max": rng.randint(3000, 30000),
                "version": 1,
                "specialties": [],
                "certifications": [],
                "updated_at": utcnow(),
            }
        )
        for j in range(3):
            t, p = rng.choice(list(PHRASES)), rng.choice(processes)
            cases.append(
                {
                    "supplier_id": i,
                    "position": j,
                    "title": f"사례 {j + 1}",
                    "text": _text(rng, t, p, rng.random() < 0.6),
                    "process": p,
                }
            )
    return orgs, profiles, cases


def generate(session, scale: Scale, seed: int = 7) -> None:  # type: ignore[no-untyped-def]
    """Bulk rows through Core inserts (the ORM path is measured separately, by reindex)."""
    rng = random.Random(seed)
    orgs, profiles, cases = _supplier_rows(rng, scale.suppliers)
    first = scale.suppliers + 1
    mfr_orgs = [
        {
            "id": first + i,
            "kind": OrgKind.manufacturer,
            "name": f"Bench 제조 {i}",
            "created_at": utcnow(),
            "version": 1,
        }
        for i in range(scale.manufacturers)
    ]
    mfrs = [_manufacturer_row(rng, o["id"]) for o in mfr_orgs]
    for model, rows in (
        (Organization, orgs + mfr_orgs),
        (SupplierProfile, profiles),
        (CaseStudy, cases),
        (ManufacturerProfile, mfrs),
        (Need, _need_rows(rng, scale, first)),
    ):
        for start in range(0, len(rows), 5000):
            session.execute(insert(model), rows[start : start + 5000])


def _manufacturer_row(rng: random.Random, org_id: int) -> dict:
    region, industry = rng.choice(list(vocab.REGIONS)), rng.choice(list(vocab.INDUSTRIES))
    return {
        "organization_id": org_id,
        "region": region,
        "industry": industry,
        "sf_level": rng.choice(list(vocab.SF_LEVELS)),
        "systems": [],
        "description": manufacturer_description(rng, region, industry),
        "version": 1,
        "updated_at": utcnow(),
        "readiness_data": "none",
        "readiness_staff": "none",
        "readiness_budget": "none",
    }


def manufacturer_description(rng: random.Random, region: str, industry: str) -> str:
    """A Korean company profile as the programme's records read: where, what, how, and what
    it wants from AI (so a coordinator's search has something to find)."""
    processes = rng.sample(list(vocab.PROCESSES), 2)
    wish = PHRASES[rng.choice(list(PHRASES))][0]
    return (
        f"{vocab.REGIONS[region].ko} 소재 {vocab.INDUSTRIES[industry].ko} 기업입니다. "
        f"{vocab.PROCESSES[processes[0]].ko}·{vocab.PROCESSES[processes[1]].ko} 공정을 운영하며 "
        f"종업원 {rng.randint(5, 300)}명입니다. {wish}하는 방안을 찾고 있습니다."
    )


def _need_rows(rng: random.Random, scale: Scale, first_mfr: int) -> list[dict]:
    rows, deadline = [], utcnow().replace(year=utcnow().year + 1)
    for _ in range(scale.needs):
        technique, process = rng.choice(list(PHRASES)), rng.choice(list(vocab.PROCESSES))
        rows.append(
            {
                "organization_id": first_mfr + rng.randrange(scale.manufacturers),
                "title": f"{vocab.PROCESSES[process].ko} {vocab.AI_TECHNIQUES[technique].ko} 도입",
                "description": _text(rng, technique, process, rng.random() < 0.8),
                "process": process,
                "ai_techniques": [technique],
                "status": NeedStatus.open,
                "deadline_at": deadline,
                "must_have": [],
                "nice_to_have": [],
                "data_available": "",
                "confidential_notes": "",
                "version": 1,
                "created_at": utcnow(),
                "updated_at": utcnow(),
                "prefer_in_province": False,
            }
        )
    return rows


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.asarray(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
    }


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def supplier_ids(session) -> list[int]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(SupplierProfile.organization_id)))
