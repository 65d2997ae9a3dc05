"""Shared bits for the profile tests: an HTML landmark parser, form bodies, audit rows."""

from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry


class Landmarks(HTMLParser):
    """Ids, checked boxes, selected options and the page language of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.checked: dict[str, set[str]] = {}
        self.lang = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "input" and "checked" in values:
            self.checked.setdefault(values.get("name", ""), set()).add(values.get("value", ""))

    def rows(self, prefix: str) -> set[str]:
        return {i for i in self.ids if i.startswith(prefix)}


def supplier_form(**overrides: Any) -> dict[str, Any]:
    return {
        "version": "1",
        "name": "창원비전AI",
        "description_ko": "프레스·용접 공정 비전 검사 전문 기업입니다.",
        "description_en": "",
        "specialties": ["machine_vision", "mfg_ai"],
        "ai_techniques": ["vision_inspection", "predictive_maintenance"],
        "industries": ["30", "29"],
        "processes": ["press", "welding"],
        "region": "gn-changwon",
        "team_size": "12",
        "capacity": "4",
        "price_min": "3000",
        "price_max": "9000",
        "min_sf_level": "basic",
        "certifications": "ISO 9001\n기업부설연구소\n",
        "founded_year": "2016",
        "website": "https://vision.example.kr",
        **overrides,
    }


def manufacturer_form(**overrides: Any) -> dict[str, Any]:
    return {
        "version": "1",
        "name": "김해정밀",
        "description": "자동차 부품 프레스 가공",
        "industry": "30",
        "region": "gn-gimhae",
        "employees": "85",
        "revenue_band": "50-100",
        "sf_level": "intermediate1",
        "systems": ["mes", "plc"],
        "readiness_data": "partial",
        "readiness_staff": "some",
        "readiness_budget": "secured",
        **overrides,
    }


def supplier_body(version: int, **overrides: Any) -> dict[str, Any]:
    body = supplier_form(**overrides)
    body |= {
        "kind": "supplier",
        "version": version,
        "team_size": 12,
        "capacity": 4,
        "price_min": 3000,
        "price_max": 9000,
        "founded_year": 2016,
        "certifications": ["ISO 9001", "기업부설연구소"],
    }
    return body | overrides


def manufacturer_body(version: int, **overrides: Any) -> dict[str, Any]:
    body = manufacturer_form() | {"kind": "manufacturer", "version": version, "employees": 85}
    return body | overrides


def audits(session: Session, action: str) -> list[AuditEntry]:
    session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(session.scalars(query))
