"""The whole journey of issue 4 in Chromium, four people in four browser contexts: a
manufacturer posts a need and invites a suggested supplier, two suppliers bid (one invited,
one that found the need), the deadline passes, the manufacturer compares and selects, a
coordinator approves, the engagement goes through every stage gate with verified KPI results,
and the supplier's public profile shows the track record.

The bidding deadline is set a few seconds ahead through the need form (the server reads it in
Asia/Seoul and enforces it at each request); the test waits for it to pass.
"""

import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import ARTIFACTS, shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
SEOUL = ZoneInfo("Asia/Seoul")
# two bids and a question take about 6 s on a busy 2-core machine; more on a crowded one
BIDDING_SECONDS = int(os.environ.get("AXMATCH_TEST_BIDDING_SECONDS", "20"))
MANUFACTURER = "contact@daegwang-autotech.example.kr"
INVITED = ("info@nurivision.example.kr", "㈜누리비전")
FINDER = ("office@kmai.example.kr", "남부제조AI응용연구센터")
COORDINATOR = "coordinator@gn-ai.example.kr"
TITLE = "리어 시트 브래킷 프레스 찍힘·버 불량 카메라 검사"
PHASES = {"demonstration": "실증", "deployment": "도입"}


@pytest.fixture
def people(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[dict]:  # type: ignore[no-untyped-def]
    """One logged-in browser context per person; each page is kept as a picture on failure."""
    contexts, pages = [], {}
    for name, email in (
        ("manufacturer", MANUFACTURER),
        ("invited", INVITED[0]),
        ("finder", FINDER[0]),
        ("coordinator", COORDINATOR),
    ):
        context = chromium.new_context(base_url=live_server, locale="ko-KR")
        contexts.append(context)
        pages[name] = context.new_page()
        pages[name].set_default_timeout(15_000)
        log_in(pages[name], email)
    yield pages
    ARTIFACTS.mkdir(exist_ok=True)
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
    for context in contexts:
        context.close()


def press(page, target) -> None:  # type: ignore[no-untyped-def]
    """Click a submit button (a selector or a locator) and wait for the page it leads to."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def post_need(page, deadline: datetime) -> int:  # type: ignore[no-untyped-def]
    page.goto("/needs/new")
    page.fill("#f-title", TITLE)
    page.fill(
        "#f-description",
        "프레스로 성형한 리어 시트 브래킷의 찍힘과 버를 작업자 2명이 눈으로 선별합니다. "
        "야간 조에서 불량이 고객사로 유출되어 카메라 검사로 바꾸고 싶습니다.",
    )
    page.select_option("#f-process", "press")
    page.check("input[name=ai_techniques][value=vision_inspection]")
    for row, (metric, unit, baseline, target) in enumerate(
        [("defect_rate", "percent", "2.5", "0.5"), ("inspection_accuracy", "percent", "85", "98")]
    ):
        page.select_option(f"select[name=kpi-{row}-metric]", metric)
        page.select_option(f"select[name=kpi-{row}-unit]", unit)
        page.fill(f"input[name=kpi-{row}-baseline]", baseline)
        page.fill(f"input[name=kpi-{row}-target]", target)
    page.fill("#f-budget_min", "4000")
    page.fill("#f-budget_max", "7000")
    page.fill("#f-subsidy_share", "70")  # the programme pays 70%: bids split their price
    page.fill("#f-deadline_at", deadline.strftime("%Y-%m-%dT%H:%M:%S"))
    press(page, "#save-need")
    press(page, "#publish-form button[type=submit]")
    page.wait_for_selector("#suggested article.match")
    return int(re.search(r"/needs/(\d+)", page.url).group(1))


def invite(page, need_id: int, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/needs/{need_id}/invite")
    row = page.locator("#invite-list tr", has_text=name)
    press(page, row.locator("button"))
    assert row.locator(".invited").count() == 1


def fill_bid(page, approach: str, price: int, subsidy: int) -> None:  # type: ignore[no-untyped-def]
    page.fill("#f-approach", approach)
    page.fill("#f-team", "PM 1명, 비전 엔지니어 2명, 현장 설치 1명")
    for stage, weeks in (("consulting", 3), ("design", 5), ("demonstration", 8)):
        page.fill(f"#f-weeks-{stage}", str(weeks))
    page.fill("#f-price_total", str(price))
    page.fill("#f-price_subsidy", str(subsidy))
    page.fill("#f-price_copay", str(price - subsidy))
    if page.locator("#case-studies input").count():
        page.locator("#case-studies input").first.check()
    page.fill("#f-attachments", "제안서.pdf\n검사 정확도 시험 성적서.pdf")
    press(page, "#submit-bid")
    assert page.locator("#bid-state").inner_text() == "제출됨"


def invited_supplier_bids_and_asks(page, need_id: int) -> None:  # type: ignore[no-untyped-def]
    page.goto("/bids/invitations")
    press(page, page.locator("#invitations tr", has_text=TITLE).locator("button"))
    page.wait_for_url(f"**/needs/{need_id}/bid")
    fill_bid(page, "2D 카메라 2대와 돔 조명으로 찍힘·버를 딥러닝 분류합니다.", 5200, 3600)
    page.click("#questions-link")
    page.fill("#f-question", "야간 조 라인 속도는 분당 몇 개입니까?")
    press(page, "#ask-form button")


def finder_finds_and_bids(page, need_id: int) -> None:  # type: ignore[no-untyped-def]
    page.goto("/needs?process=press")
    page.click(f"a[href='/needs/{need_id}']")
    page.click("#bid-link")
    fill_bid(page, "라인 스캔 카메라와 이상 탐지 모델로 미학습 불량까지 잡아냅니다.", 6100, 4200)
    page.goto(f"/needs/{need_id}/questions")
    assert "분당 40개" in page.locator("main").inner_text()  # the answer, without the asker
    assert INVITED[1] not in page.locator("main").inner_text()


def answer_question(page, need_id: int, asker) -> None:  # type: ignore[no-untyped-def]
    """The manufacturer answers and attaches a drawing to the answer; the supplier who asked
    downloads it from the questions page."""
    from tests.browser.test_files import attach, downloaded
    from tests.files import samples

    page.goto(f"/needs/{need_id}/questions")
    page.fill(".answer-form textarea", "야간 조는 분당 40개입니다.")
    press(page, ".answer-form button")
    form = "form[action*='/questions/'][action$='/files']"
    attach(page, form, "야간 조 지그 도면.pdf", samples.PDF + b"% jig\n")
    asker.goto(f"/needs/{need_id}/questions")
    assert downloaded(asker, "야간 조 지그 도면.pdf") == samples.PDF + b"% jig\n"


def test_from_need_to_verified_track_record(people) -> None:  # type: ignore[no-untyped-def]
    m, coordinator = people["manufacturer"], people["coordinator"]
    deadline = datetime.now(SEOUL).replace(microsecond=0) + timedelta(seconds=BIDDING_SECONDS)
    deadline += timedelta(seconds=1) if deadline.second == 0 else timedelta()
    need_id = post_need(m, deadline)
    shot(m, "journey-1-need")
    invite(m, need_id, INVITED[1])
    invited_supplier_bids_and_asks(people["invited"], need_id)
    answer_question(m, need_id, people["invited"])
    finder_finds_and_bids(people["finder"], need_id)
    m.goto(f"/needs/{need_id}/bids")
    assert m.locator("#sealed").count() == 1 and m.locator("#bid-count").count() == 0
    coordinator.goto(f"/needs/{need_id}/bids")
    assert "2" in coordinator.locator("#bid-count").inner_text()
    time.sleep(max(0.0, (deadline - datetime.now(SEOUL)).total_seconds()) + 1)
    winner = select_bid(m, need_id)
    approve(coordinator, need_id)
    engagement = run_engagement(people, need_id)
    check_outcome_told(people, need_id)
    check_track_record(m, engagement, winner)


def select_bid(page, need_id: int) -> int:  # type: ignore[no-untyped-def]
    page.goto(f"/needs/{need_id}/bids")
    assert page.locator("#comparison th.bid-col").count() == 2
    row = page.locator("#comparison th.bid-col", has_text=INVITED[1])
    org_id = int(row.get_attribute("id").removeprefix("bid-"))
    press(page, f"#shortlist-{org_id}")
    assert page.locator(f"#bid-{org_id}.shortlisted").count() == 1
    page.select_option("#f-supplier_org_id", str(org_id))
    page.fill("#f-justification", "가격이 낮고 같은 프레스 공정의 검사 실적이 있습니다.")
    shot(page, "journey-2-bids-compare")
    press(page, "#select-bid")
    confirm(page)
    assert page.locator("#award-status").inner_text() == "승인 대기"
    return org_id


def approve(page, need_id: int) -> None:  # type: ignore[no-untyped-def]
    page.goto("/awards")
    page.locator("#award-queue a", has_text=TITLE).click()
    page.fill("#f-reason", "참여 요건과 예산 범위를 확인했습니다. 승인합니다.")
    shot(page, "journey-3-approve")
    press(page, "#approve")
    confirm(page)
    assert page.locator("#award-status").inner_text() == "승인됨"
    assert page.locator("#flash").count() == 1


def engagement_of(page) -> int:  # type: ignore[no-untyped-def]
    """From the approved selection to the engagement it started."""
    press(page, "#engagement-link")
    return int(re.search(r"/engagements/(\d+)", page.url).group(1))


def confirm(page) -> None:  # type: ignore[no-untyped-def]
    """The confirmation step of a binding action: it says who is told, then acts."""
    assert page.locator("#confirm-told").inner_text()
    press(page, "#confirm-button")


def try_move(page, target: str) -> None:  # type: ignore[no-untyped-def]
    """The stage form offers only the next stage; cancelling is a separate form. A move the
    gate refuses is refused at once, before any confirmation is asked."""
    assert page.locator("#move-form input[name=to]").get_attribute("value") == target
    press(page, "#move-next")


def move(page, target: str) -> None:  # type: ignore[no-untyped-def]
    try_move(page, target)
    confirm(page)
    assert page.locator("#engagement-error").count() == 0, page.locator("main").inner_text()
    assert page.locator("#flash").count() == 1


def run_engagement(people, need_id: int) -> int:  # type: ignore[no-untyped-def]
    supplier, m, c = people["invited"], people["manufacturer"], people["coordinator"]
    engagement = engagement_of(c)
    url = f"/engagements/{engagement}"
    c.goto(url)
    try_move(c, "design")
    assert "계획 시작일과 종료일" in c.locator("#engagement-error").inner_text()  # no plan
    plan_design(c, url)
    deliver_and_accept(supplier, m, url)
    for party in (supplier, m):  # consulting ends on an agreement both sides confirmed
        party.goto(f"{url}/agreement")
        press(party, "#confirm-agreement button")
        confirm(party)
    c.goto(url)
    move(c, "design")
    move(c, "demonstration")
    try_move(c, "deployment")
    assert "검증된 실증 결과" in c.locator("#engagement-error").inner_text()  # the KPI gate
    # 97.5% inspection accuracy against a 98% target: the demonstration fell short
    record_results(supplier, url, "demonstration", {"불량률": "0.4", "검사 정확도": "97.5"})
    evidence_opened_before_verifying(supplier, c, url)
    verify_all(c, url)
    c.goto(url)
    try_move(c, "deployment")
    assert "목표에 미달" in c.locator("#engagement-error").inner_text()
    before = overridden_on_dashboard(c)
    c.goto(url)
    override(c, "검사 정확도 0.5%p 미달이나 제조기업 요청으로 도입 후 재측정하기로 함")
    assert "목표 미달 승인" in c.locator("#gate-override").inner_text()
    assert overridden_on_dashboard(c) == before + 1  # counted apart, not as adopting
    shot(c, "journey-4-below-target-apart")
    c.goto(url)
    record_results(supplier, url, "deployment", {"불량률": "0.4", "검사 정확도": "98.2"})
    verify_all(c, url)
    move(c, "closed")
    for page, text in ((m, "일정을 잘 지켰습니다."), (supplier, "데이터 준비가 빨랐습니다.")):
        page.goto(url)
        page.fill("#f-rating", "5")
        page.fill("#review-form textarea", text)
        press(page, "#review-form button")
    m.goto(url)
    assert m.locator("#reviews blockquote").count() == 2  # shown once both sides wrote
    c.goto(url)
    assert c.locator("#stepper li[data-state=done]").count() == 4  # each with its sign-off
    assert c.locator("#stepper .step-signed").count() == 4
    shot(c, "journey-4-engagement")
    return engagement


def plan_design(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """The gate into design asks for a plan: the design stage's dates (and a milestone)."""
    page.goto(url)
    page.select_option("#f-plan-stage", "design")
    page.fill("#plan-form input[name=planned_start]", "2027-01-04")
    page.fill("#plan-form input[name=planned_end]", "2027-02-26")
    press(page, "#plan-form button")


def overridden_on_dashboard(page) -> int:  # type: ignore[no-untyped-def]
    page.goto("/coordinator/dashboard")
    return int(page.locator("#adopting-overridden strong").inner_text().replace(",", ""))


def override(page, reason: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#move-form input[name=reason]", reason)
    page.check("#override-field input[name=override]")
    press(page, "#move-next")
    confirm(page)
    assert page.locator("#engagement-error").count() == 0, page.locator("main").inner_text()


def deliver_and_accept(supplier, manufacturer, url: str) -> None:  # type: ignore[no-untyped-def]
    supplier.goto(url)
    supplier.select_option("#f-ms-stage", "design")
    supplier.fill("#milestone-form #f-title", "현장 진단 보고서")
    supplier.fill("#milestone-form textarea", "라인 촬영 조건과 불량 유형 정리")
    press(supplier, "#milestone-form button")
    # the deliverable itself, through upload.js, before the milestone is marked delivered
    from tests.browser.test_files import attach, downloaded
    from tests.files import samples

    attach(supplier, "#milestones form[action$='/files']", "현장 진단 보고서.pdf", samples.PDF)
    assert supplier.locator("#milestones li.file", has_text="현장 진단 보고서.pdf").count() == 1
    press(supplier, supplier.locator("#milestones form[action$='/deliver'] button").first)
    manufacturer.goto(url)
    assert downloaded(manufacturer, "현장 진단 보고서.pdf") == samples.PDF
    press(manufacturer, manufacturer.locator("#milestones form[action$='/accept'] button").first)
    confirm(manufacturer)
    assert "수락" in manufacturer.locator("#milestones tbody").inner_text()
    manufacturer.fill("#note-form textarea", "야간 조 촬영은 다음 주 화요일에 가능합니다.")
    press(manufacturer, "#note-form button")


def record_results(page, url: str, phase: str, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    for metric, value in values.items():
        page.select_option("#f-kpi", label=metric)
        page.select_option("#f-phase", phase)
        page.fill("#result-form #f-value", value)
        evidence = f"{PHASES[phase]} 기간 1만 개 검사 기록 (시험 성적서 첨부)"
        page.fill("#result-form #f-evidence", evidence)
        press(page, "#result-form button")


def evidence_opened_before_verifying(supplier, coordinator, url: str) -> None:  # type: ignore[no-untyped-def]
    """The supplier attaches the test report to a recorded result; the coordinator opens it
    from the KPI table before verifying."""
    from tests.browser.test_files import attach, downloaded
    from tests.files import samples

    supplier.goto(url)
    first = "#kpis form[action*='/results/'][action$='/files'] >> nth=0 >>"  # the first result's
    attach(supplier, first, "실증 시험 성적서.pdf", samples.PDF + b"% test report\n")
    coordinator.goto(url)
    assert downloaded(coordinator, "실증 시험 성적서.pdf") == samples.PDF + b"% test report\n"


def verify_all(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    pending = page.locator("#kpis form[action$='/verify'] button")
    while pending.count():
        press(page, pending.first)
        confirm(page)
    assert page.locator("#kpis .badge.draft").count() == 0


def check_outcome_told(people, need_id: int) -> None:  # type: ignore[no-untyped-def]
    people["invited"].goto(f"/needs/{need_id}/bid")
    assert people["invited"].locator("#bid-outcome").inner_text() == "선정"
    people["finder"].goto(f"/needs/{need_id}/bid")
    assert people["finder"].locator("#bid-outcome").inner_text() == "미선정"


def check_track_record(page, engagement: int, supplier_org: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/suppliers/{supplier_org}")
    record = page.locator("#track-record").inner_text()
    assert "불량률" in record and "0.4%" in record and "검사 정확도" in record
    page.locator("#track-record").scroll_into_view_if_needed()
    shot(page, "journey-5-track-record")
