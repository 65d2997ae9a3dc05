"""Pages built for size: the conflict form's organisation pickers are searched (the no-script
search fills the selects, the JSON source feeds the typeahead) and the new-round form shows a
page of the open needs while the round may take all of them."""

from sqlalchemy import select

from app.models import Organization, OrgKind, Round
from app.rounds import pages
from tests.builders import parse
from tests.rounds.test_pages import FORM


def choices(html: str, name: str) -> str:
    return parse(html).texts[f"f-{name}"]


def test_without_a_search_the_pickers_hold_no_organisation(browser, world) -> None:
    browser.login(world.coordinator)
    page = browser.get("/coordinator/conflicts").text
    assert "best" not in choices(page, "supplier_org_id")
    assert "창원정밀" not in choices(page, "manufacturer_org_id")


def test_the_no_script_search_fills_each_picker(browser, world) -> None:
    browser.login(world.coordinator)
    page = browser.get("/coordinator/conflicts?supplier_q=bes&manufacturer_q=김해").text
    assert "best" in choices(page, "supplier_org_id")
    assert "good" not in choices(page, "supplier_org_id")
    assert "김해단조" in choices(page, "manufacturer_org_id")
    assert "창원정밀" not in choices(page, "manufacturer_org_id")


def test_a_re_shown_form_keeps_the_chosen_organisation(browser, world) -> None:
    browser.login(world.coordinator)
    form = {"supplier_org_id": str(world.org("good")), "reason": "x"}
    again = browser.post("/coordinator/conflicts", form)
    assert again.status_code == 422
    assert "good" in choices(again.text, "supplier_org_id")


def test_the_typeahead_source_is_limited_and_by_kind(browser, session, world) -> None:
    session.add_all(Organization(kind=OrgKind.supplier, name=f"비전랩{i:02}") for i in range(30))
    session.flush()
    browser.login(world.coordinator)
    url = "/api/coordinator/organizations/choices"
    found = browser.api("GET", f"{url}?kind=supplier&q=비전랩").json()
    assert len(found) == 20 and found[0]["name"] == "비전랩00"
    assert browser.api("GET", f"{url}?kind=manufacturer&q=비전랩").json() == []
    assert browser.api("GET", f"{url}?kind=supplier").json() == []
    assert browser.api("GET", f"{url}?kind=nobody&q=x").status_code == 422


def test_the_typeahead_source_is_for_staff(browser, world) -> None:
    browser.login(world.makers[0])
    url = "/api/coordinator/organizations/choices?kind=supplier&q=be"
    assert browser.api("GET", url).status_code == 403


def test_the_new_round_form_shows_a_page_of_needs(browser, session, world, monkeypatch) -> None:
    monkeypatch.setattr(pages, "NEEDS_SHOWN", 2)
    browser.login(world.coordinator)
    first = parse(browser.get("/coordinator/rounds/new").text)
    shown = {i for i in first.checked if i.startswith("need-")}
    assert len(shown) == 2 and "scope-all" in first.checked
    assert "/coordinator/rounds/new?page=2" in first.hrefs
    ticked = next(iter(shown))[len("need-") :]
    browser.post("/coordinator/rounds", FORM | {"scope": "all", "need_ids": [ticked]})
    browser.post("/coordinator/rounds", FORM | {"scope": "ticked", "need_ids": [ticked]})
    rounds = session.scalars(select(Round).order_by(Round.id)).all()
    assert [len(r.needs) for r in rounds] == [len(world.needs), 1]
