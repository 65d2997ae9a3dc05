"""GET /api/home: what needs the caller's action now (the home page's lists)."""

from fastapi import APIRouter, Request

from app.auth import CurrentUser, DbSession
from app.home.schemas import HomeItemOut, HomeOut, HomeSectionOut
from app.home.service import Home, load_home
from app.i18n import normalize_locale

router = APIRouter(prefix="/api", tags=["home"])


def home_out(home: Home, locale: str) -> HomeOut:
    sections = [
        HomeSectionOut(
            kind=s.kind,
            title=s.title.label(locale),
            href=s.href,
            action=s.action,
            count=s.count,
            items=[
                HomeItemOut(
                    title=i.title, href=i.href, note=i.text(locale), at=i.at, flags=list(i.flags)
                )  # type: ignore[arg-type]
                for i in s.items
            ],
        )
        for s in home.sections
    ]
    return HomeOut(role=home.role, total=home.total, sections=sections)


@router.get("/home")
def home(request: Request, session: DbSession, user: CurrentUser) -> HomeOut:
    """Every role's lists, most urgent first; a supplier's include open needs at high fit."""
    state = request.app.state
    found = load_home(session, user, state.settings, state.index_cache)
    return home_out(found, normalize_locale(user.locale))
