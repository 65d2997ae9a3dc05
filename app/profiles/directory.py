"""The supplier directory: filters, text search and paging, scoped to what the viewer may see."""

from sqlalchemy import ColumnElement, Select, String, case, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app import vocab
from app.db import Page, by_code_point, paginate
from app.i18n import normalize_locale
from app.models import CaseStudy, Membership, Organization, Role, SupplierProfile, User
from app.profiles.schemas import SupplierQuery

STAFF_ROLES = (Role.coordinator, Role.admin)
GYEONGNAM = [code for code, term in vocab.REGIONS.items() if term.group == "gyeongnam"]
MAX_SEARCH_WORDS = 5
HANGUL = ("가", "힣")  # the Hangul syllables block, U+AC00 to U+D7A3


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_code(column: ColumnElement[list[str]], code: str) -> ColumnElement[bool]:
    """JSON list membership that works alike on SQLite and PostgreSQL (codes are vocabulary)."""
    return cast(column, String).like(_like(f'"{code}"'), escape="\\")


def _word_matches(word: str) -> ColumnElement[bool]:
    pattern = _like(word)
    in_case_studies = select(CaseStudy.supplier_id).where(
        or_(
            CaseStudy.title.ilike(pattern, escape="\\"),
            CaseStudy.text.ilike(pattern, escape="\\"),
            CaseStudy.outcome.ilike(pattern, escape="\\"),
        )
    )
    return or_(
        Organization.name.ilike(pattern, escape="\\"),
        SupplierProfile.description_ko.ilike(pattern, escape="\\"),
        SupplierProfile.description_en.ilike(pattern, escape="\\"),
        SupplierProfile.id.in_(in_case_studies),
    )


def _visibility(viewer: User, wanted: str | None) -> list[ColumnElement[bool]]:
    """Only staff see applied or suspended suppliers (and may filter by membership)."""
    if viewer.role not in STAFF_ROLES:
        return [SupplierProfile.membership == Membership.admitted]
    return [SupplierProfile.membership == Membership(wanted)] if wanted else []


def _conditions(viewer: User, filters: SupplierQuery) -> list[ColumnElement[bool]]:
    conditions = _visibility(viewer, filters.membership)
    lists = (
        (SupplierProfile.specialties, filters.specialty),
        (SupplierProfile.ai_techniques, filters.ai_technique),
        (SupplierProfile.industries, filters.industry),
        (SupplierProfile.processes, filters.process),
    )
    conditions += [_has_code(column, code) for column, code in lists if code]
    if filters.region:
        conditions.append(SupplierProfile.region == filters.region)
    if filters.in_province:
        conditions.append(SupplierProfile.region.in_(GYEONGNAM))
    words = (filters.q or "").split()[:MAX_SEARCH_WORDS]
    return conditions + [_word_matches(word) for word in words]


def search_suppliers(
    session: Session, viewer: User, filters: SupplierQuery, fits: dict[int, float] | None = None
) -> Page[SupplierProfile]:
    """Suppliers `viewer` may see that match every filter, ordered by name (`name_order`), or
    by `fits` (fit scores by organisation id; the unranked follow, in name order)."""
    query = suppliers_query(viewer, filters)
    if fits is None:
        return paginate(session, query, filters.page, filters.per_page)
    found = list(session.scalars(query))  # already in name order: the sort below keeps it
    found.sort(key=lambda p: -fits.get(p.organization_id, float("-inf")))
    start = (filters.page - 1) * filters.per_page
    return Page(found[start : start + filters.per_page], len(found), filters.page, filters.per_page)


def suppliers_query(viewer: User, filters: SupplierQuery) -> Select[tuple[SupplierProfile]]:
    query = select(SupplierProfile).join(SupplierProfile.organization)
    query = query.where(*_conditions(viewer, filters))
    query = query.options(selectinload(SupplierProfile.organization))
    return query.order_by(*name_order(viewer.locale), SupplierProfile.id)


def name_order(locale: str) -> list[ColumnElement[object]]:
    """In Korean, names that start with Hangul first, in 가나다 order (their code points), then
    the others; in English, by name without regard to case. No collation library needed."""
    name = by_code_point(func.lower(Organization.name))
    if normalize_locale(locale) != "ko":
        return [name]
    first = by_code_point(func.substr(Organization.name, 1, 1))
    return [case((first.between(HANGUL[0], HANGUL[1]), 0), else_=1), name]
