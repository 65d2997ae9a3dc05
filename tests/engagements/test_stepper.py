"""The engagement page's stepper, notes with their line breaks, the result form's phases and
verified results read as met or missed (issue 14 item 6)."""

from html.parser import HTMLParser

from app.engagements import outcomes
from app.engagements.detail import steps_of
from app.engagements.stages import move_stage
from app.models import EngagementNote, ResultPhase, Stage
from app.web import lines
from tests.builders import parse
from tests.engagements.helpers import advance, cast, verify_demonstration


def states(html: str) -> dict[str, str]:
    """Each step's data-state, by stage."""
    found: dict[str, str] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "li" and (a.get("id") or "").startswith("stage-"):
                found[str(a["id"])[6:]] = str(a.get("data-state"))

    Parser().feed(html)
    return found


def test_steps_follow_the_engagement(session) -> None:
    c = cast(session)
    assert [s.state for s in steps_of(c.engagement)] == ["current", *["upcoming"] * 3]
    advance(session, c, Stage.demonstration)
    steps = steps_of(c.engagement)
    assert [s.state for s in steps] == ["done", "done", "current", "upcoming"]
    assert steps[0].row and steps[0].row.actual_end and steps[0].row.signed_off_at
    done = cast(session)
    advance(session, done, Stage.closed)
    assert [s.state for s in steps_of(done.engagement)] == ["done"] * 4


def test_a_cancelled_engagement_stops_where_it_was(session) -> None:
    c = cast(session)
    advance(session, c, Stage.design)
    move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "예산 삭감")
    assert [s.state for s in steps_of(c.engagement)] == ["done", "stopped", "upcoming", "upcoming"]


def test_the_page_shows_a_stepper_without_empty_dates(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.demonstration)
    browser.login(c.manufacturer)
    html = browser.get(f"/engagements/{c.engagement.id}").text
    assert states(html) == {
        "consulting": "done",
        "design": "done",
        "demonstration": "current",
        "deployment": "upcoming",
    }
    page = parse(html)
    assert "—" not in page.texts["stepper"] and "완료" in page.texts["stage-consulting"]
    assert "진행 중" in page.texts["stage-demonstration"]
    assert "일정 미정" in page.texts["stage-deployment"]
    c.manufacturer.locale = "en"
    session.flush()
    english = parse(browser.get(f"/engagements/{c.engagement.id}").text)
    assert "In progress" in english.texts["stage-demonstration"]
    assert "Signed off" in english.texts["stage-design"]


def test_lines_escape_then_break() -> None:
    assert lines("<b>첫 줄</b>\r\n둘째 줄") == "&lt;b&gt;첫 줄&lt;/b&gt;<br>\n둘째 줄"
    assert lines(None) == ""


def test_notes_keep_their_line_breaks_and_stay_escaped(browser, session) -> None:
    c = cast(session)
    text = "첫 줄\n<script>alert(1)</script>\n셋째 줄"
    session.add(
        EngagementNote(
            engagement_id=c.engagement.id, organization_id=c.manufacturer.organization_id, text=text
        )
    )
    session.flush()
    browser.login(c.supplier)
    html = browser.get(f"/engagements/{c.engagement.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "첫 줄<br>\n&lt;script&gt;alert(1)&lt;/script&gt;<br>\n셋째 줄" in html


def test_the_form_offers_only_phases_not_yet_verified(session) -> None:
    c = cast(session)
    advance(session, c, Stage.deployment)  # the demonstration is verified on the way
    assert outcomes.recordable_phases(c.engagement) == [
        ResultPhase.demonstration,
        ResultPhase.deployment,
    ]
    assert outcomes.open_phases(c.engagement) == [ResultPhase.deployment]
    assert outcomes.open_kpis(c.engagement, []) == []


def test_form_page_lists_the_open_phases(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.deployment)
    browser.login(c.supplier)
    html = browser.get(f"/engagements/{c.engagement.id}").text
    form = html[html.index('id="f-phase"') : html.index("</select>", html.index('id="f-phase"'))]
    assert 'value="deployment"' in form and 'value="demonstration"' not in form


def test_verified_results_say_met_or_missed(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.demonstration)
    verify_demonstration(session, c, value=2.5)  # defect rate 3.0 → target 1.0: missed
    (result,) = c.engagement.kpis[0].results
    assert outcomes.target_met(result) is False
    result.value = 0.9
    assert outcomes.target_met(result) is True
    result.value = 2.5
    session.flush()
    browser.login(c.coordinator)
    page = parse(browser.get(f"/engagements/{c.engagement.id}").text)
    assert "미달" in page.texts[f"result-{result.id}"]
    assert "낮을수록 좋음" in page.texts[f"kpi-{c.engagement.kpis[0].id}"]
    body = browser.get(f"/api/engagements/{c.engagement.id}").json()
    (kpi,) = body["kpis"][:1]
    assert kpi["lower_is_better"] is True and kpi["results"][0]["target_met"] is False
