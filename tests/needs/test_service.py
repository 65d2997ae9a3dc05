from datetime import timedelta

import pytest

from app.errors import Conflict, Forbidden, Invalid
from app.models import Membership, NeedStatus, utcnow
from app.needs import service
from app.needs.schemas import NeedFilters
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.needs.helpers import audit_actions


def titles(session, viewer, **filters) -> list[str]:
    page = service.search_needs(session, viewer, NeedFilters(**filters))
    return [need.title for need in page.items]


@pytest.fixture
def market(session):
    owner = make_manufacturer(session)
    soon = utcnow() + timedelta(days=2)
    later = utcnow() + timedelta(days=20)
    make_need(session, owner, title="Press DENT inspection", process="press", deadline_at=later)
    make_need(
        session,
        owner,
        title="용접 비드 품질 예측",
        description="용접 전류 로그로 불량을 예측합니다. 100% 전수 검사",
        process="welding",
        ai_techniques=["quality_prediction"],
        region="busan",
        budget_min=9000,
        budget_max=12000,
        deadline_at=soon,
    )
    make_need(
        session,
        owner,
        title="사출 에너지 절감",
        process="injection_molding",
        industry="22",
        ai_techniques=["energy_optimization"],
        region="gyeonggi",
        prefer_in_province=True,
        budget_min=None,
        budget_max=None,
        deadline_at=utcnow() + timedelta(hours=1),
        confidential_notes="사장님 비밀 프로젝트",
    )
    make_need(session, owner, title="마감 지난 수요", deadline_at=utcnow() - timedelta(days=1))
    make_need(session, owner, status=NeedStatus.draft, title="초안 수요")
    return make_supplier(session)


def test_text_search_is_case_insensitive_and_korean(session, market) -> None:
    assert titles(session, market, q="press dent") == ["Press DENT inspection"]
    assert titles(session, market, q="전류 로그") == ["용접 비드 품질 예측"]
    assert titles(session, market, q="100%") == ["용접 비드 품질 예측"]
    assert titles(session, market, q="_") == []


def test_confidential_notes_and_drafts_are_not_searchable_by_suppliers(session, market) -> None:
    assert titles(session, market, q="비밀") == []
    assert titles(session, market, q="초안") == []


def test_structured_filters(session, market) -> None:
    assert titles(session, market, process="welding") == ["용접 비드 품질 예측"]
    assert titles(session, market, industry="22") == ["사출 에너지 절감"]
    assert titles(session, market, ai_technique="energy_optimization") == ["사출 에너지 절감"]
    assert titles(session, market, region="busan") == ["용접 비드 품질 예측"]
    assert set(titles(session, market, in_province=True)) == {
        "Press DENT inspection",
        "사출 에너지 절감",
    }


def test_budget_filter_matches_overlapping_ranges(session, market) -> None:
    assert titles(session, market, budget_min=8500) == ["용접 비드 품질 예측"]
    assert titles(session, market, budget_max=2000) == []
    assert set(titles(session, market, budget_min=7000, budget_max=9500)) == {
        "Press DENT inspection",
        "용접 비드 품질 예측",
    }


def test_deadline_filter_and_sort(session, market) -> None:
    staff = make_staff(session)
    assert "마감 지난 수요" in titles(session, staff)
    assert "마감 지난 수요" not in titles(session, staff, upcoming=True)
    assert titles(session, market, sort="deadline") == [
        "사출 에너지 절감",
        "용접 비드 품질 예측",
        "Press DENT inspection",
    ]


def test_pagination(session, market) -> None:
    page = service.search_needs(session, market, NeedFilters(per_page=2, page=2))
    assert (page.total, page.pages, len(page.items)) == (3, 2, 1)


def test_staff_see_all_statuses(session, market) -> None:
    staff = make_staff(session)
    assert len(titles(session, staff)) == 5
    assert titles(session, staff, status="draft") == ["초안 수요"]


def test_past_deadline_needs_are_awaiting_selection_and_leave_suppliers_lists(
    session, market
) -> None:
    """Statuses derive from time: the stored "open" of a need past its deadline shows as
    awaiting selection, is filtered as such, and is no longer in a supplier's open list."""
    staff = make_staff(session)
    assert "마감 지난 수요" not in titles(session, market)
    assert "마감 지난 수요" not in titles(session, market, status="awaiting_selection")
    assert titles(session, staff, status="awaiting_selection") == ["마감 지난 수요"]
    assert "마감 지난 수요" not in titles(session, staff, status="open")
    phases = {n.title: n.phase() for n in service.search_needs(session, staff, NeedFilters()).items}
    assert phases["마감 지난 수요"] == "awaiting_selection"
    assert phases["사출 에너지 절감"] == "open" and phases["초안 수요"] == "draft"


def test_non_admitted_supplier_is_refused(session, market) -> None:
    applied = make_supplier(session, membership=Membership.suspended)
    with pytest.raises(Forbidden):
        service.search_needs(session, applied, NeedFilters())


def test_state_machine_table_and_move(session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.draft)
    with pytest.raises(Invalid):
        service.move(session, need, NeedStatus.open, owner)
    need.deadline_at = utcnow() + timedelta(days=1)
    with pytest.raises(Conflict):
        service.move(session, need, NeedStatus.closed, owner)
    service.move(session, need, NeedStatus.open, owner)
    service.move(session, need, NeedStatus.closed, owner, "예산 미확보")
    for target in NeedStatus:
        with pytest.raises(Conflict):
            service.move(session, need, target, owner)
    entries = audit_actions(session, need)
    assert [(e.action, e.actor_id, e.reason) for e in entries] == [
        ("need.published", owner.id, None),
        ("need.closed", owner.id, "예산 미확보"),
    ]
    assert service.MOVES[NeedStatus.closed] == frozenset()
