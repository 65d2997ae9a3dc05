from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.models import Membership, Need, NeedStatus, Role, utcnow
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.needs.helpers import Landmarks, audit_actions, count_needs, need_form, seoul_input


def test_manufacturer_posts_a_need_as_draft(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(owner)
    form = browser.get("/needs/new")
    assert form.status_code == 200 and "need-form" in Landmarks(form.text).ids
    response = browser.post("/needs/new", need_form())
    assert response.status_code == 303
    need = session.get(Need, int(response.headers["location"].rsplit("/", 1)[1]))
    assert need.status is NeedStatus.draft and need.organization_id == owner.organization_id
    assert need.must_have == ["현장 설치", "기존 MES 연동"]
    assert need.ai_techniques == ["vision_inspection", "quality_prediction"]
    assert [(k.metric, k.baseline, k.target) for k in need.kpis] == [("defect_rate", 2.5, 0.8)]
    assert need.deadline_at > utcnow() + timedelta(days=13)
    assert [e.action for e in audit_actions(session, need)] == ["need.created"]


def test_deadline_is_typed_in_seoul_time_and_stored_in_utc(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.post("/needs/new", need_form(deadline_at="2031-03-02T09:30"))
    need = session.get(Need, int(response.headers["location"].rsplit("/", 1)[1]))
    assert need.deadline_at == datetime(2031, 3, 2, 0, 30, tzinfo=UTC)
    page = browser.get(f"/needs/{need.id}")
    assert "2031.03.02(일) 09:30" in page.text
    edit = Landmarks(browser.get(f"/needs/{need.id}/edit").text)
    assert edit.values["deadline_at"] == "2031-03-02T09:30"


def test_new_form_defaults_industry_and_region_from_profile(browser, session) -> None:
    browser.login(make_manufacturer(session, industry="31", region="gn-geoje"))
    html = browser.get("/needs/new").text
    assert '<option value="31" selected>' in html and '<option value="gn-geoje" selected>' in html


def test_invalid_form_is_422_keeps_input_and_writes_nothing(browser, session) -> None:
    browser.login(make_manufacturer(session))
    before = count_needs(session)
    bad = need_form(
        title="",
        budget_min="9000",
        budget_max="100",
        deadline_at="not a date",
        **{"kpi-0-metric": "happiness", "kpi-1-unit": "건", "kpi-1-metric": ""},
    )
    response = browser.post("/needs/new", bad)
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert {"title-error", "budget_max-error", "deadline_at-error"} <= page.ids
    assert "kpis.0.metric-error" in page.ids and "kpis.1.metric-error" in page.ids
    assert page.values["budget_min"] == "9000" and page.values["deadline_at"] == "not a date"
    assert page.textareas["must_have"].strip() == "현장 설치\n기존 MES 연동"
    assert page.textareas["confidential_notes"] == "원청 품질감사 대응용, 예산 증액 가능"
    assert count_needs(session) == before


def test_too_many_requirement_lines_are_refused(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.post("/needs/new", need_form(must_have="\n".join("x" * 21)))
    assert response.status_code == 422 and "must_have-error" in Landmarks(response.text).ids


def test_owner_edits_with_version_and_audit_keeps_changed_fields(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.draft)
    browser.login(owner)
    form = Landmarks(browser.get(f"/needs/{need.id}/edit").text).values
    assert form["version"] == "1" and form["title"] == need.title
    data = need_form(title="프레스 찍힘 검사 고도화", version=form["version"])
    assert browser.post(f"/needs/{need.id}/edit", data).status_code == 303
    session.expire_all()
    assert need.title == "프레스 찍힘 검사 고도화" and need.version == 2
    entry = audit_actions(session, need)[-1]
    assert entry.action == "need.updated" and entry.actor_id == owner.id
    assert entry.before["title"] == "프레스 불량 검사 자동화"
    assert entry.after["title"] == "프레스 찍힘 검사 고도화"
    assert "organization_id" not in entry.after


def test_stale_edit_is_409_and_keeps_what_was_typed(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.draft)
    need.title = "다른 사람이 바꾼 제목"
    session.flush()
    browser.login(owner)
    response = browser.post(f"/needs/{need.id}/edit", need_form(title="내 수정", version="1"))
    assert response.status_code == 409
    assert Landmarks(response.text).values["title"] == "내 수정"
    session.expire_all()
    assert need.title == "다른 사람이 바꾼 제목"


def test_closed_need_is_read_only(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.closed)
    browser.login(owner)
    assert browser.get(f"/needs/{need.id}/edit").status_code == 409
    response = browser.post(f"/needs/{need.id}/edit", need_form(version=str(need.version)))
    assert response.status_code == 409
    assert "need-actions" not in Landmarks(browser.get(f"/needs/{need.id}").text).ids


def test_publish_needs_a_future_deadline(browser, session) -> None:
    owner = make_manufacturer(session)
    past = utcnow() - timedelta(hours=1)
    need = make_need(session, owner, status=NeedStatus.draft, deadline_at=past)
    browser.login(owner)
    refused = browser.post(f"/needs/{need.id}/publish", {"version": "1"})
    assert refused.status_code == 422 and "need-error" in Landmarks(refused.text).ids
    session.expire_all()
    assert need.status is NeedStatus.draft and audit_actions(session, need) == []
    data = need_form(deadline_at=seoul_input(3), version="1")
    assert browser.post(f"/needs/{need.id}/edit", data).status_code == 303
    assert browser.post(f"/needs/{need.id}/publish", {"version": "2"}).status_code == 303
    session.expire_all()
    assert need.status is NeedStatus.open and need.published_at is not None
    assert audit_actions(session, need)[-1].action == "need.published"


def test_open_need_edit_cannot_move_deadline_into_the_past(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(days=5))
    browser.login(owner)
    data = need_form(deadline_at=seoul_input(-1), version="1")
    response = browser.post(f"/needs/{need.id}/edit", data)
    assert response.status_code == 422 and "deadline_at-error" in Landmarks(response.text).ids


def test_close_with_reason_and_invalid_second_close(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(days=5))
    browser.login(owner)
    response = browser.confirm(f"/needs/{need.id}/close", {"reason": "자체 해결", "version": "1"})
    assert response.status_code == 303
    session.expire_all()
    assert need.status is NeedStatus.closed and need.closed_at is not None
    entry = audit_actions(session, need)[-1]
    assert (entry.action, entry.reason, entry.before, entry.after) == (
        "need.closed",
        "자체 해결",
        {"status": "open"},
        {"status": "closed"},
    )
    again = browser.confirm(f"/needs/{need.id}/close", {})
    assert again.status_code == 409 and "need-error" in Landmarks(again.text).ids


def test_my_needs_lists_own_needs_with_status_filter(browser, session) -> None:
    owner, other = make_manufacturer(session), make_manufacturer(session, name="남의회사")
    draft = make_need(session, owner, status=NeedStatus.draft, title="초안 수요")
    live = make_need(session, owner, title="공개 수요")
    foreign = make_need(session, other, title="남의 수요")
    browser.login(owner)
    rows = Landmarks(browser.get("/needs/mine").text).rows
    assert set(rows) == {f"need-{draft.id}", f"need-{live.id}"}
    assert Landmarks(browser.get("/needs/mine?status=draft").text).rows == [f"need-{draft.id}"]
    assert f"need-{foreign.id}" not in rows
    assert browser.get("/needs").headers["location"] == "/needs/mine"


def test_supplier_browses_open_needs_without_confidential_notes(browser, session) -> None:
    owner = make_manufacturer(session)
    live = make_need(session, owner, confidential_notes="극비: 원가 절감 목표 30%")
    draft = make_need(session, owner, status=NeedStatus.draft, title="초안")
    browser.login(make_supplier(session))
    listing = browser.get("/needs")
    assert Landmarks(listing.text).rows == [f"need-{live.id}"]
    detail = browser.get(f"/needs/{live.id}")
    assert detail.status_code == 200 and "극비" not in detail.text
    assert "confidential-notes" not in Landmarks(detail.text).ids
    assert browser.get(f"/needs/{draft.id}").status_code == 404
    assert Landmarks(browser.get("/needs?q=극비").text).rows == []


def test_owner_and_coordinator_see_confidential_notes_and_drafts(browser, session) -> None:
    owner = make_manufacturer(session)
    draft = make_need(session, owner, status=NeedStatus.draft, confidential_notes="내부 메모")
    for viewer in (owner, make_staff(session, Role.coordinator), make_staff(session, Role.admin)):
        page = browser.login(viewer).get(f"/needs/{draft.id}")
        assert page.status_code == 200 and "confidential-notes" in Landmarks(page.text).ids
        assert "내부 메모" in page.text


def test_coordinator_sees_every_need_and_filters_by_status(browser, session) -> None:
    owner = make_manufacturer(session)
    draft = make_need(session, owner, status=NeedStatus.draft)
    live = make_need(session, owner)
    browser.login(make_staff(session))
    assert set(Landmarks(browser.get("/needs").text).rows) >= {
        f"need-{draft.id}",
        f"need-{live.id}",
    }
    assert f"need-{live.id}" not in Landmarks(browser.get("/needs?status=draft").text).rows


def test_another_manufacturers_need_is_404(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    browser.login(make_manufacturer(session, name="경쟁사"))
    assert browser.get(f"/needs/{need.id}").status_code == 404
    assert browser.get(f"/needs/{need.id}/edit").status_code == 404
    assert browser.confirm(f"/needs/{need.id}/close", {}).status_code == 404
    assert browser.post(f"/needs/{need.id}/edit", need_form(version="1")).status_code == 404
    assert browser.get("/needs/999999").status_code == 404


def test_role_denials_and_login_redirect(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    assert browser.get("/needs").headers["location"].startswith("/login")
    browser.login(make_supplier(session))
    assert browser.get("/needs/new").status_code == 403
    assert browser.post("/needs/new", need_form()).status_code == 403
    assert browser.get("/needs/mine").status_code == 403
    assert browser.confirm(f"/needs/{need.id}/close", {}).status_code == 403
    browser.login(make_staff(session))
    assert browser.confirm(f"/needs/{need.id}/close", {}).status_code == 403


def test_supplier_not_admitted_sees_a_message(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    for membership in (Membership.applied, Membership.suspended):
        browser.login(make_supplier(session, membership=membership))
        response = browser.get("/needs")
        assert response.status_code == 403 and "not-admitted" in Landmarks(response.text).ids
        assert browser.get(f"/needs/{need.id}").status_code == 403


def test_search_page_filters_and_korean_text(browser, session) -> None:
    owner = make_manufacturer(session)
    weld = make_need(session, owner, title="용접 불량 예측", process="welding")
    press = make_need(session, owner, title="프레스 금형 예지보전", process="press")
    browser.login(make_supplier(session))
    assert Landmarks(browser.get("/needs?q=금형").text).rows == [f"need-{press.id}"]
    assert Landmarks(browser.get("/needs?process=welding").text).rows == [f"need-{weld.id}"]
    bad = browser.get("/needs?budget_min=abc&process=welding")
    assert bad.status_code == 200 and "budget_min-error" in Landmarks(bad.text).ids


def test_pages_are_paginated_by_20(browser, session) -> None:
    owner = make_manufacturer(session)
    for i in range(23):
        make_need(session, owner, title=f"수요 {i:02d}")
    browser.login(make_staff(session))
    first = Landmarks(browser.get("/needs").text)
    assert len(first.rows) == 20 and "next-page" in first.ids
    assert len(Landmarks(browser.get("/needs?page=2").text).rows) == 3


def test_english_labels(browser, session) -> None:
    owner = make_manufacturer(session)
    owner.locale = "en"
    need = make_need(session, owner)
    session.flush()
    page = browser.login(owner).get(f"/needs/{need.id}")
    assert "Problem description" in page.text and "Press" in page.text


def test_nothing_saved_when_publish_refused_for_draft_without_deadline(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.draft)
    browser.login(owner)
    assert browser.post(f"/needs/{need.id}/publish", {}).status_code == 422
    assert session.scalar(select(Need.status).where(Need.id == need.id)) is NeedStatus.draft


def test_a_title_with_a_line_break_is_refused_by_the_form(browser, session) -> None:
    browser.login(make_manufacturer(session))
    before = count_needs(session)
    response = browser.post("/needs/new", need_form(title="용접 비드 검사\r\nBcc: all@x.kr"))
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert "title-error" in page.ids
    assert count_needs(session) == before
    multi = need_form(description="용접 라인의 비드 불량을\r\n작업자가 육안으로 검사합니다.")
    created = browser.post("/needs/new", multi)
    assert created.status_code == 303
    need = session.get(Need, int(created.headers["location"].rsplit("/", 1)[1]))
    assert need.description == "용접 라인의 비드 불량을\n작업자가 육안으로 검사합니다."


def test_a_need_asks_for_specialty_fields_in_either_language(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(owner)
    form = Landmarks(browser.get("/needs/new").text)
    assert "specialties" in form.ids and form.labels["machine_vision"] == "식별시스템/머신비전"
    response = browser.post("/needs/new", need_form(specialties=["machine_vision", "mfg_ai"]))
    assert response.status_code == 303
    need = session.get(Need, int(response.headers["location"].rsplit("/", 1)[1]))
    assert need.specialties == ["machine_vision", "mfg_ai"]
    edit = Landmarks(browser.get(f"/needs/{need.id}/edit").text)
    assert {("specialties", "machine_vision"), ("specialties", "mfg_ai")} <= edit.checked
    page = Landmarks(browser.get(f"/needs/{need.id}").text)
    assert "식별시스템/머신비전" in page.texts["need-specialties"]
    owner.locale = "en"
    session.flush()
    page = Landmarks(browser.get(f"/needs/{need.id}").text)
    assert "Identification / machine vision" in page.texts["need-specialties"]


def test_an_unknown_specialty_is_422_and_writes_nothing(browser, session) -> None:
    browser.login(make_manufacturer(session))
    before = count_needs(session)
    response = browser.post("/needs/new", need_form(specialties=["alchemy"]))
    assert response.status_code == 422 and "has-error" in response.text
    assert count_needs(session) == before
