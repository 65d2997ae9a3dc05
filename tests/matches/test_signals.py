"""Every signal a user expects counts: the need's specialty fields, must-have
certifications, and a supplier's availability (suspended, at capacity) on every path."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import matching
from app.errors import Conflict, Forbidden, NotFound
from app.matches import service
from app.matches.cache import IndexCache
from app.models import BidInvitation, Engagement, Membership, utcnow
from app.notifications import searches
from app.notifications.schemas import SavedSearchIn
from app.rounds import release
from app.rounds import service as rounds
from app.rounds.schemas import PairIn, VersionIn
from tests.builders import (
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)
from tests.needs.helpers import Landmarks
from tests.notifications.conftest import recipients
from tests.rounds.conftest import round_in

VISION = "프레스 공정 찍힘 불량을 딥러닝 비전 검사로 자동 판정합니다. 카메라와 조명을 설계합니다."
NEED_TEXT = "프레스 공정에서 찍힘 불량을 사람이 검사합니다. 비전 검사로 자동화하고 싶습니다."


def new_cache(tmp_path: Path) -> IndexCache:
    return IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)


def save(session, user, name: str, query: str) -> None:
    searches.create_search(session, user, SavedSearchIn(name=name, query=query, level="low"))


def by_name(items: list[service.Suggestion]) -> dict[str, service.Suggestion]:
    return {i.name: i for i in items}


def test_the_needs_specialty_fields_count_both_ways(session, tmp_path) -> None:
    vision = make_supplier(session, "비전AI", description_ko=VISION, specialties=["machine_vision"])
    make_supplier(session, "MES랩", description_ko=VISION, specialties=["mes"])
    owner = make_manufacturer(session)
    need = make_need(session, owner, description=NEED_TEXT, specialties=["machine_vision"])
    session.commit()
    cache = new_cache(tmp_path)
    found = by_name(service.suggest_suppliers(session, cache, owner, need.id))
    assert found["비전AI"].parts["specialty"] > 0 and found["MES랩"].parts["specialty"] == 0
    (hit,) = [h for h in service.recommend_needs(session, cache, vision) if h.id == need.id]
    assert hit.parts["specialty"] > 0


# --- must-have certifications -------------------------------------------------------------

ISO = "ISO/IEC 27001"


def certified_world(session):
    """Two suppliers with the same text; only one holds the certification the need names."""
    holder = make_supplier(session, "인증AI", description_ko=VISION, certifications=[ISO])
    lacking = make_supplier(session, "무인증AI", description_ko=VISION, certifications=["KC인증"])
    owner = make_manufacturer(session)
    need = make_need(
        session,
        owner,
        description=NEED_TEXT,
        deadline_at=utcnow() + timedelta(days=7),
        must_have=["폐쇄망 설치", f"{ISO} 인증 보유"],
    )
    session.commit()
    return holder, lacking, owner, need


def test_must_have_certifications_filter_suggestions_and_say_who_was_left_out(
    browser, session, tmp_path
) -> None:
    holder, lacking, owner, need = certified_world(session)
    cache = new_cache(tmp_path)
    names = [i.name for i in service.suggest_suppliers(session, cache, owner, need.id)]
    assert "인증AI" in names and "무인증AI" not in names
    (out,) = service.left_out(session, cache, owner, need.id)
    assert (out.id, out.missing) == (lacking.organization_id, [ISO])
    browser.login(owner)
    page = Landmarks(browser.get(f"/needs/{need.id}/suggestions").text)
    assert f"left-out-{lacking.organization_id}" in page.ids
    assert "필수 인증 없음" in page.texts[f"left-out-{lacking.organization_id}"]
    api = browser.api("GET", f"/api/needs/{need.id}/suggestions/left-out").json()
    assert api == [{"id": lacking.organization_id, "name": "무인증AI", "missing": [ISO]}]


def test_the_left_out_list_says_what_is_missing_in_words_in_both_languages(
    browser, session, tmp_path
) -> None:
    holder, lacking, owner, need = certified_world(session)
    for locale, words in (("ko", "필수 인증 없음"), ("en", "No required certification")):
        owner.locale = locale
        session.commit()
        browser.login(owner)
        page = Landmarks(browser.get(f"/needs/{need.id}/suggestions").text)
        text = page.texts[f"left-out-{lacking.organization_id}"]
        assert words in text and ISO in text and "missing_certification" not in text


def test_a_supplier_is_not_recommended_a_need_whose_certifications_it_lacks(
    session, tmp_path
) -> None:
    holder, lacking, owner, need = certified_world(session)
    cache = new_cache(tmp_path)
    assert need.id in [h.id for h in service.recommend_needs(session, cache, holder)]
    assert need.id not in [h.id for h in service.recommend_needs(session, cache, lacking)]


def test_saved_search_alerts_hold_the_certification_filter(session) -> None:
    holder, lacking, owner, need = certified_world(session)
    for supplier in (holder, lacking):
        save(session, supplier, "검사", "프레스 찍힘 불량 검사")
    searches.notify_matches(session, need)
    assert recipients(session, "need_matched") == {holder.id}


# --- availability: suspended and at-capacity suppliers, the same on every path ----------


def availability_world(session):
    """Three suppliers with the same text: one with room, one at capacity, one suspended
    (after saving a search while it was admitted)."""
    free = make_supplier(session, "여유AI", description_ko=VISION, capacity=2)
    full = make_supplier(session, "만석AI", description_ko=VISION, capacity=1)
    gone = make_supplier(session, "정지AI", description_ko=VISION, capacity=3)
    owner = make_manufacturer(session)
    make_engagement(session, make_manufacturer(session, name="다른공장"), full)
    for supplier in (free, full, gone):
        save(session, supplier, "검사", "프레스 찍힘 불량 검사")
    gone.organization.supplier.membership = Membership.suspended
    need = make_need(
        session, owner, description=NEED_TEXT, deadline_at=utcnow() + timedelta(days=7)
    )
    session.commit()
    return free, full, gone, owner, need


def test_suggestions_mark_and_rank_down_at_capacity_and_never_show_suspended(
    session, tmp_path
) -> None:
    free, full, gone, owner, need = availability_world(session)
    items = service.suggest_suppliers(session, new_cache(tmp_path), owner, need.id)
    names = [i.name for i in items]
    assert "정지AI" not in names and names.index("여유AI") < names.index("만석AI")
    assert "at_capacity" in by_name(items)["만석AI"].flags


def test_supplier_search_treats_them_the_same(session, tmp_path) -> None:
    free, full, gone, owner, need = availability_world(session)
    items = service.search(session, new_cache(tmp_path), owner, NEED_TEXT, "suppliers")
    names = [i.name for i in items]
    assert "정지AI" not in names and names.index("여유AI") < names.index("만석AI")
    assert "at_capacity" in by_name(items)["만석AI"].flags


def test_recommendations_are_marked_at_capacity_and_refused_when_suspended(
    session, tmp_path
) -> None:
    free, full, gone, owner, need = availability_world(session)
    cache = new_cache(tmp_path)
    (hit,) = [h for h in service.recommend_needs(session, cache, full) if h.id == need.id]
    assert "at_capacity" in hit.flags
    with pytest.raises(Forbidden):
        service.recommend_needs(session, cache, gone)


def test_saved_search_alerts_go_only_to_suppliers_with_room(session) -> None:
    free, full, gone, owner, need = availability_world(session)
    save(session, full, "내 프로필", "")  # "match my profile" too
    searches.notify_matches(session, need)
    assert recipients(session, "need_matched") == {free.id}


def test_rounds_never_shortlist_them_and_a_release_skips_one_full_since(session, tmp_path) -> None:
    free, full, gone, owner, need = availability_world(session)
    coordinator = make_staff(session)
    cache = new_cache(tmp_path)
    round_ = rounds.create_round(session, cache, coordinator, round_in(need_ids=[need.id]))
    listed = {p.supplier_org_id for p in round_.pairs if p.kind == "shortlist"}
    assert free.organization_id in listed
    assert not listed & {full.organization_id, gone.organization_id}
    for supplier, error in ((full, Conflict), (gone, NotFound)):
        pair = PairIn(need_id=need.id, supplier_org_id=supplier.organization_id, version=1)
        with pytest.raises(error):
            rounds.add_pair(
                session,
                cache,
                coordinator,
                round_.id,
                pair.model_copy(update={"version": round_.version}),
            )
    for n in range(2):  # the free supplier fills up before the release
        make_engagement(session, make_manufacturer(session, name=f"공장{n}"), free)
    released = release.release(session, coordinator, round_.id, VersionIn(version=round_.version))
    assert released.stats["released"]["at_capacity"] == 1
    invited = session.scalars(select(BidInvitation.supplier_org_id)).all()
    assert free.organization_id not in invited


def test_invitations_refuse_them_and_the_invite_page_shows_why(browser, session) -> None:
    free, full, gone, owner, need = availability_world(session)
    browser.login(owner)
    url = f"/api/needs/{need.id}/invitations"
    assert browser.api("POST", url, {"supplier_org_id": full.organization_id}).status_code == 409
    assert browser.api("POST", url, {"supplier_org_id": gone.organization_id}).status_code == 404
    assert session.scalars(select(BidInvitation)).all() == []
    assert browser.api("POST", url, {"supplier_org_id": free.organization_id}).status_code == 201
    page = Landmarks(browser.get(f"/needs/{need.id}/invite").text)
    assert f"full-{full.organization_id}" in page.ids
    assert f"invite-{full.organization_id}" not in page.ids


def test_proposals_refuse_them_when_made_and_when_accepted(browser, session) -> None:
    free, full, gone, owner, need = availability_world(session)
    browser.login(make_staff(session))
    url = f"/api/needs/{need.id}/proposals"
    assert browser.api("POST", url, {"supplier_org_id": full.organization_id}).status_code == 409
    assert browser.api("POST", url, {"supplier_org_id": gone.organization_id}).status_code == 404
    ended = {"end_bidding": True, "end_reason": "제안으로 진행하기로 하여 입찰을 마감합니다."}
    made = browser.api("POST", url, {"supplier_org_id": free.organization_id, **ended})
    assert made.status_code == 201, made.text
    for n in range(2):
        make_engagement(session, make_manufacturer(session, name=f"공장{n}"), free)
    session.commit()
    browser.login(owner)
    accept = f"{url}/{free.organization_id}/accept"
    assert browser.api("POST", accept, {"version": made.json()["version"]}).status_code == 409
    assert session.scalar(select(Engagement).where(Engagement.need_id == need.id)) is None


def test_demo_needs_ask_for_real_specialty_fields(session, tmp_path) -> None:
    from app import vocab
    from app.models import Need, NeedStatus
    from seed.loader import load_demo

    load_demo(session)
    needs = session.scalars(select(Need).where(Need.external_id.like("need-%"))).all()
    assert needs and all(
        n.specialties and set(n.specialties) <= set(vocab.SPECIALTIES) for n in needs
    )
    session.commit()
    bracket = next(n for n in needs if n.external_id == "need-press-bracket-visual-check")
    assert bracket.status is NeedStatus.open and "machine_vision" in bracket.specialties
    coordinator = make_staff(session)
    items = service.suggest_suppliers(session, new_cache(tmp_path), coordinator, bracket.id)
    assert any(i.parts["specialty"] > 0 for i in items)
