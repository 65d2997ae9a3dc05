"""Readiness-path needs are matched only with readiness-path suppliers (a hard filter)."""

from pathlib import Path

import matching
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.needs import service as needs
from tests.builders import make_supplier
from tests.readiness.helpers import Landmarks, draft, high_readiness, low_readiness, suppliers


def new_cache(tmp_path: Path) -> IndexCache:
    return IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)


def published(session, owner):
    need = draft(session, owner)
    needs.publish_need(session, owner, need.id)
    session.commit()
    return need


def test_readiness_needs_get_only_readiness_path_suppliers(session, tmp_path) -> None:
    found = suppliers(session)
    owner = low_readiness(session)
    need = published(session, owner)
    items = matches.suggest_suppliers(session, new_cache(tmp_path), owner, need.id)
    ids = {i.id for i in items}
    assert ids == {found["mes"].organization_id, found["edge"].organization_id}
    assert all("readiness_path" in i.flags for i in items)


def test_ai_needs_get_ai_suppliers_first(session, tmp_path) -> None:
    found = suppliers(session)
    owner = high_readiness(session)
    need = published(session, owner)
    items = matches.suggest_suppliers(session, new_cache(tmp_path), owner, need.id)
    assert items[0].id == found["vision"].organization_id
    assert not any("readiness_path" in i.flags for i in items)


def test_readiness_suppliers_far_from_the_need_text_are_still_found(session, tmp_path) -> None:
    """The path's suppliers are looked up by what they offer, not only among the nearest
    text units: with many AI suppliers closer in text, the readiness ones still come back."""
    for n in range(12):
        make_supplier(session, f"비전{n}", description_ko=f"{n}번 라인 프레스 찍힘 불량 비전 검사")
    mes = make_supplier(session, "MES전문", description_ko="ERP 연동", specialties=["mes"])
    owner = low_readiness(session)
    need = published(session, owner)
    matches.CANDIDATE_UNITS, saved = 3, matches.CANDIDATE_UNITS
    try:
        items = matches.suggest_suppliers(session, new_cache(tmp_path), owner, need.id)
    finally:
        matches.CANDIDATE_UNITS = saved
    assert [i.id for i in items] == [mes.organization_id]


def test_suppliers_off_the_path_are_not_recommended_readiness_needs(session, tmp_path) -> None:
    found = suppliers(session)
    need = published(session, low_readiness(session))
    cache = new_cache(tmp_path)
    vision = [i.id for i in matches.recommend_needs(session, cache, found["vision"])]
    edge = [i.id for i in matches.recommend_needs(session, cache, found["edge"])]
    assert need.id not in vision and need.id in edge


def test_suggestions_api_and_page_show_the_path(browser, session) -> None:
    found = suppliers(session)
    owner = low_readiness(session)
    need = published(session, owner)
    body = browser.login(owner).api("GET", f"/api/needs/{need.id}/suggestions").json()
    assert {item["id"] for item in body} == {
        found["mes"].organization_id,
        found["edge"].organization_id,
    }
    assert all("readiness_path" in item["flags"] for item in body)
    page = Landmarks(browser.get(f"/needs/{need.id}/suggestions").text)
    assert "need-track" in page.ids and f"match-{found['vision'].organization_id}" not in page.ids
    assert page.reasons[0].startswith("귀사 공장은")


def test_the_library_filter_reads_specialties_and_techniques() -> None:
    need = matching.NeedProfile(1, "t", "d", requires_any=frozenset({"mes", "data_platform"}))
    mes = matching.SupplierProfile(1, "a", "d", specialties=frozenset({"mes"}))
    data = matching.SupplierProfile(2, "b", "d", ai_techniques=frozenset({"data_platform"}))
    vision = matching.SupplierProfile(3, "c", "d", specialties=frozenset({"machine_vision"}))
    assert [matching.passes_filters(need, s) for s in (mes, data, vision)] == [True, True, False]
    assert matching.passes_filters(matching.NeedProfile(2, "t", "d"), vision)


def test_a_round_does_not_shortlist_readiness_suppliers_below_the_minimum_fit(
    session, tmp_path
) -> None:
    """The path lists its suppliers for people to browse (at least low), but a round invites
    by itself: there the pair's own score must reach the minimum, unless it fills empty
    places."""
    from app.rounds import service as rounds
    from tests.builders import make_staff
    from tests.rounds.conftest import round_in

    found = suppliers(session)
    need = published(session, low_readiness(session))
    coordinator = make_staff(session)
    session.commit()
    cache = new_cache(tmp_path)
    listed = matches.suggest_suppliers(session, cache, coordinator, need.id)
    assert {i.id for i in listed} == {found["mes"].organization_id, found["edge"].organization_id}
    assert all(matching.fit_level(i.score) is None for i in listed)  # far apart in words
    strict = rounds.create_round(session, cache, coordinator, round_in())
    assert not [p for p in strict.pairs if p.need_id == need.id and p.kind == "shortlist"]
    filled = rounds.create_round(session, cache, coordinator, round_in(fill_empty=True))
    assert {p.supplier_org_id for p in filled.pairs if p.need_id == need.id} >= {
        found["mes"].organization_id
    }
