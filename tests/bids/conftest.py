"""Builders for bidding tests."""

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.bids import service
from app.bids.schemas import BidIn
from app.models import Bid, Need, User, utcnow


def bid_body(**fields: Any) -> dict[str, Any]:
    return {
        "approach": "딥러닝 비전으로 찍힘 불량을 검사합니다.",
        "team": "PM 1, 비전 엔지니어 2",
        "timeline": [{"stage": "consulting", "weeks": 4}, {"stage": "demonstration", "weeks": 8}],
        "price_total": 5000,
        "price_subsidy": 3500,
        "price_copay": 1500,
        "case_study_ids": [],
        "attachments": ["제안서.pdf"],
        **fields,
    }


def make_bid(session: Session, supplier: User, need: Need, **fields: Any) -> Bid:
    return service.submit_bid(session, supplier, need.id, BidIn(**bid_body(**fields)))


def pass_deadline(session: Session, need: Need) -> None:
    need.deadline_at = utcnow() - timedelta(minutes=1)
    session.commit()


def future() -> Any:
    return utcnow() + timedelta(days=7)
