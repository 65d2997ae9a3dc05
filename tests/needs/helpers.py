"""Shared bits for the needs tests: an HTML landmark parser, form and JSON bodies, audit rows."""

from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Need, utcnow
from app.needs.schemas import SEOUL

BLOCKS = ("dd", "p", "li", "span", "div", "section", "article", "ul", "fieldset", "td", "tr")


class Landmarks(HTMLParser):
    """Ids, field errors, table rows and input values of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.values: dict[str, str] = {}
        self.rows: list[str] = []
        self.textareas: dict[str, str] = {}
        self.checked: set[tuple[str, str]] = set()  # (name, value) of ticked boxes
        self.labels: dict[str, str] = {}  # a checkbox's value -> its label text
        self.texts: dict[str, str] = {}  # text inside each element with an id (open ones)
        self._textarea: str | None = None
        self._open: list[str] = []  # the id (or "") of each open block element
        self._checkbox: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
            self.texts.setdefault(values["id"], "")
        if tag in BLOCKS:
            self._open.append(values.get("id", ""))
        if tag == "input" and values.get("type") == "checkbox":
            self._checkbox = values.get("value")
            if "checked" in values:
                self.checked.add((values.get("name", ""), values.get("value", "")))
        if "need-row" in values.get("class", "").split():
            self.rows.append(values["id"])
        if tag == "input" and values.get("name") and "value" in values:
            self.values[values["name"]] = values["value"]
        if tag == "textarea":
            self._textarea = values.get("name")
            self.textareas[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data
        for open_id in filter(None, self._open):
            self.texts[open_id] += data
        if self._checkbox is not None and data.strip():
            self.labels[self._checkbox] = data.strip()
            self._checkbox = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag in BLOCKS and self._open:
            self._open.pop()


def seoul_input(days: float) -> str:
    """A datetime-local value `days` from now, as a user in Korea types it."""
    return (utcnow() + timedelta(days=days)).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def need_form(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "용접 비드 외관 검사 AI",
        "description": "용접 라인에서 비드 불량을 작업자가 육안으로 검사하고 있습니다.",
        "industry": "30",
        "process": "welding",
        "ai_techniques": ["vision_inspection", "quality_prediction"],
        "region": "gn-gimhae",
        "kpi-0-metric": "defect_rate",
        "kpi-0-unit": "%",
        "kpi-0-baseline": "2.5",
        "kpi-0-target": "0.8",
        "budget_min": "3000",
        "budget_max": "6000",
        "timeline_months": "6",
        "deadline_at": seoul_input(14),
        "data_available": "비드 이미지 2만 장",
        "must_have": "현장 설치\n기존 MES 연동\n",
        "nice_to_have": "야간 자동 보고",
        "confidential_notes": "원청 품질감사 대응용, 예산 증액 가능",
        **overrides,
    }


def api_body(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Press line defect inspection",
        "description": "Dents on stamped panels are found by eye at the end of the press line.",
        "industry": "30",
        "process": "press",
        "ai_techniques": ["vision_inspection"],
        "region": "gn-changwon",
        "prefer_in_province": True,
        "kpis": [{"metric": "defect_rate", "unit": "%", "baseline": 3, "target": 1.0}],
        "budget_min": 2000,
        "budget_max": 5000,
        "timeline_months": 8,
        "deadline_at": (utcnow() + timedelta(days=10)).isoformat(),
        "data_available": "30k labelled images",
        "must_have": ["on-site deployment"],
        "nice_to_have": [],
        "confidential_notes": "Budget can stretch to 7000",
        **overrides,
    }


def audit_actions(session: Session, need: Need | int) -> list[AuditEntry]:
    need_id = need if isinstance(need, int) else need.id
    query = select(AuditEntry).where(
        AuditEntry.entity_type == "needs", AuditEntry.entity_id == need_id
    )
    return list(session.scalars(query.order_by(AuditEntry.id)))


def count_needs(session: Session) -> int:
    return len(session.scalars(select(Need.id)).all())
