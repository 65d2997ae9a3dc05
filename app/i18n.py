"""Translations: gettext catalogs (Babel .po files) per locale, Korean by default.

Each feature keeps its own .po file under app/locales/<locale>/; they are merged at
start-up, so features never edit one shared catalogue.
"""

from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup, escape

LOCALES = ("ko", "en")
DEFAULT_LOCALE = "ko"
LOCALE_DIR = Path(__file__).parent / "locales"


@lru_cache
def translations(locale: str) -> Translations:
    merged = Translations()
    for po_path in sorted((LOCALE_DIR / locale).glob("*.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        merged.merge(Translations(fp=buffer))
    return merged


def gettext(locale: str, message: str, **params: Any) -> str:
    text = translations(locale).gettext(message)
    return text % params if params else text


def template_gettext(locale: str):  # type: ignore[no-untyped-def]
    """`_()` for templates: translates, then formats with escaped parameters."""

    def _(message: str, **params: Any) -> Markup:
        text = translations(locale).gettext(message)
        if params:
            return Markup(escape(text)) % {k: escape(v) for k, v in params.items()}
        return Markup(escape(text))

    return _


def normalize_locale(value: str | None) -> str:
    return value if value in LOCALES else DEFAULT_LOCALE
