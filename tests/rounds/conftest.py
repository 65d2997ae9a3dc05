"""A small world for rounds: two manufacturers, three open needs, five admitted suppliers."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app.matches.cache import IndexCache
from app.models import Role, SupplierProfile, User, utcnow
from app.rounds.schemas import RoundIn
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier

VISION = "프레스 찍힘 불량을 딥러닝 비전 검사로 자동 판정합니다. 카메라와 조명을 설계합니다."
NEED_TEXT = "프레스 공정에서 찍힘 불량을 사람이 검사합니다. 딥러닝 비전 검사로 자동화하고 싶습니다."


@dataclass
class World:
    coordinator: User
    makers: list[User]
    suppliers: dict[str, User]
    needs: list[int]

    def org(self, name: str) -> int:
        return self.suppliers[name].organization_id


def profile(session: Session, user: User) -> SupplierProfile:
    query = select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    return session.scalars(query).one()


def build_world(session: Session) -> World:
    texts = {
        "best": VISION,
        "good": "프레스 찍힘 불량 비전 검사와 카메라 설계를 합니다.",
        "fair": "딥러닝 비전 검사로 외관 불량을 판정합니다.",
        "weak": "비전 카메라 설치 업체입니다.",
        "newbie": "ERP 재고 관리와 생산 계획 소프트웨어.",
    }
    old = utcnow() - timedelta(days=900)
    suppliers = {
        name: make_supplier(session, name, description_ko=text, membership_changed_at=old)
        for name, text in texts.items()
    }
    profile(session, suppliers["newbie"]).membership_changed_at = utcnow() - timedelta(days=10)
    makers = [make_manufacturer(session, "창원정밀"), make_manufacturer(session, "김해단조")]
    needs = [
        make_need(session, makers[0], title="프레스 찍힘 비전 검사", description=NEED_TEXT),
        make_need(session, makers[0], title="브래킷 찍힘 검사", description=NEED_TEXT),
        make_need(session, makers[1], title="단조품 찍힘 검사", description=NEED_TEXT),
    ]
    world = World(make_staff(session), makers, suppliers, [n.id for n in needs])
    session.commit()  # embeds the texts (the write hooks run before commit)
    return world


@pytest.fixture
def world(session) -> World:
    return build_world(session)


@pytest.fixture
def cache(tmp_path: Path) -> IndexCache:
    return IndexCache(matching.FakeEmbedder(), tmp_path / "rounds-index", poll_seconds=0)


def round_in(**settings: object) -> RoundIn:
    values: dict[str, object] = {"name": "11월 라운드", "shortlist_size": 2, "alternates": 1}
    return RoundIn(**(values | settings))


def staff(session: Session, role: Role = Role.coordinator) -> User:
    return make_staff(session, role)
