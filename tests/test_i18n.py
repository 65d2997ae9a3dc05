"""Every message a user can read has a Korean translation (English msgids are the source)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from app.i18n import translations
from app.models import utcnow

ROOT = Path(__file__).resolve().parent.parent
ERRORS = (
    "AppError",
    "Unauthenticated",
    "Forbidden",
    "NotFound",
    "Conflict",
    "Invalid",
    "Throttled",
)
KEYWORDS = {
    "_": None,
    "gettext": (2,),
    "ValueError": None,
    "Msgid": None,
    **{name: None for name in ERRORS},
}


def extracted_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    py = [("config.py", "ignore"), ("models.py", "ignore"), ("**.py", "python")]
    sources = [("app", py), ("templates", [("**.html", "jinja2")])]
    for folder, method_map in sources:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map,
            keywords=KEYWORDS,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        ):
            if isinstance(message, str) and message.strip():
                found.setdefault(message, f"{folder}/{filename}:{lineno}")
    return found


def test_every_message_has_a_korean_translation() -> None:
    catalog = translations("ko")
    missing = {
        msg: where
        for msg, where in extracted_messages().items()
        if catalog.gettext(msg) == msg and not msg.isupper()
    }
    assert not missing, "add these to app/locales/ko/<feature>.po:\n" + "\n".join(
        f"{where}: {msg!r}" for msg, where in sorted(missing.items(), key=lambda kv: kv[1])
    )


def test_english_needs_no_catalog_and_korean_is_default() -> None:
    assert translations("en").gettext("Log in") == "Log in"
    assert translations("ko").gettext("Log in") == "로그인"


def test_features_agree_on_shared_messages() -> None:
    """The catalogues are merged, so one msgid translated two ways in two features would show
    whichever loads last: a msgid shared between features must carry one translation."""
    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po_path in sorted((ROOT / "app" / "locales" / "ko").glob("*.po")):
        with po_path.open("rb") as f:
            for message in read_po(f, locale="ko"):
                if not message.id or not message.string:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                text = message.string if isinstance(message.string, str) else message.string[0]
                if key in seen and seen[key][1] != text:
                    clashes.append(
                        f"{key!r}: {seen[key][0]} {seen[key][1]!r} / {po_path.name} {text!r}"
                    )
                seen.setdefault(key, (po_path.name, text))
    assert not clashes, "one translation per msgid across app/locales/ko:\n" + "\n".join(clashes)


# Rendered pages speak the formatting layer (app/formats.py): no "2026-12-02 15:40 KST" and,
# on the dashboards, no figure with more than two decimals ("25.8333" days).
RAW_KST = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?\s*KST")
LONG_DECIMAL = re.compile(r"\d\.\d{3,}")
KOREAN_MOMENT = re.compile(r"\d{4}\.\d\d\.\d\d\([월화수목금토일]\) \d\d:\d\d")
ENGLISH_MOMENT = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d"
)


def visible(html: str) -> str:
    """The page's text, not its attributes (chart data, ISO datetime attributes)."""
    from tests.dashboard.helpers import Page

    return " ".join(Page(html).text)


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_pages_show_dates_and_figures_the_readers_way(browser, session, locale) -> None:
    from tests.builders import make_need
    from tests.dashboard.helpers import arrange

    p = arrange(session)
    p.coordinator.locale = p.m1.locale = locale
    need = make_need(session, p.m1, deadline_at=utcnow() + timedelta(days=2, hours=3, minutes=5))
    browser.login(p.coordinator)
    dashboard = visible(browser.get("/coordinator/dashboard").text)
    assert not LONG_DECIMAL.findall(dashboard)
    assert not RAW_KST.findall(dashboard)
    page = visible(browser.login(p.m1).get(f"/needs/{need.id}").text)
    assert not RAW_KST.findall(page)
    moment = KOREAN_MOMENT if locale == "ko" else ENGLISH_MOMENT
    assert moment.search(page)
    assert ("마감까지 2일 3시간" if locale == "ko" else "2 days 3 hours left") in page
