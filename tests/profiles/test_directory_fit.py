"""The directory sorted by fit (issue 14 item 6): a manufacturer with an open need sees the
suppliers the matching ranks best for it first, the unranked after them by name."""

from app.matches import service as matches
from app.profiles.fit import fit_order
from app.profiles.schemas import SupplierQuery
from app.profiles.service import search_suppliers
from tests.builders import make_supplier, parse
from tests.matches.test_service import ENERGY, arrange, new_cache


def test_fit_order_puts_the_best_fit_first(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    make_supplier(session, "가온에너지", description_ko="", description_en=ENERGY)
    session.commit()
    by_name = search_suppliers(session, owner, SupplierQuery())
    assert [p.organization.name for p in by_name.items][:2] == ["가온에너지", "비전AI"]
    filters = SupplierQuery(sort="fit", need=need.id)
    order = fit_order(session, new_cache(tmp_path), owner, filters)
    assert order.need is not None and order.need.id == need.id and order.scores
    by_fit = search_suppliers(session, owner, filters, order.scores)
    assert by_fit.items[0].organization.name == "비전AI" and by_fit.total == by_name.total
    scores = matches.supplier_fits(session, new_cache(tmp_path / "b"), owner, need.id)
    assert scores[vision.organization_id] > scores[energy.organization_id]


def test_no_fit_order_without_an_open_need_or_for_suppliers(session, tmp_path) -> None:
    vision, _, owner, need = arrange(session)
    filters = SupplierQuery(sort="fit")
    assert fit_order(session, new_cache(tmp_path), vision, filters).scores is None
    assert fit_order(session, new_cache(tmp_path), owner, SupplierQuery()).scores is None


def test_the_page_offers_and_applies_the_fit_order(browser, session) -> None:
    vision, _, owner, need = arrange(session)
    make_supplier(session, "가온에너지", description_ko="", description_en=ENERGY)
    session.commit()
    browser.login(owner)
    plain = parse(browser.get("/suppliers").text)
    assert "sort-field" in plain.texts and "sorted-by-fit" not in plain.texts
    html = browser.get(f"/suppliers?sort=fit&need={need.id}").text
    page = parse(html)
    assert "sorted-by-fit" in page.texts
    assert html.index(f'id="supplier-{vision.organization_id}"') < html.index("가온에너지")


def test_the_api_sorts_by_fit_too(browser, session) -> None:
    vision, _, owner, need = arrange(session)
    make_supplier(session, "가온에너지", description_ko="", description_en=ENERGY)
    session.commit()
    browser.login(owner)
    by_name = browser.get("/api/suppliers").json()["items"]
    by_fit = browser.get(f"/api/suppliers?sort=fit&need={need.id}").json()["items"]
    assert by_name[0]["name"] == "가온에너지"
    assert by_fit[0]["organization_id"] == vision.organization_id
