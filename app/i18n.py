"""Translations: gettext catalogs (Babel .po files) per locale, Korean by default.

Each feature keeps its own .po file under app/locales/<locale>/; they are merged at
start-up, so features never edit one shared catalogue.
"""

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

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


@runtime_checkable
class Label(Protocol):
    """A message parameter shown in the reader's language (a vocabulary term, a Msgid)."""

    def label(self, locale: str) -> str: ...


class Msgid(str):
    """A parameter that is itself an English msgid, translated along with its message."""

    def label(self, locale: str) -> str:
        return translations(locale).gettext(str(self))


@dataclass(frozen=True)
class Labels:
    """Several labelled parameters shown as one comma-separated list."""

    items: tuple[Label, ...]

    def label(self, locale: str) -> str:
        return ", ".join(item.label(locale) for item in self.items)


def gettext(locale: str, message: str, **params: Any) -> str:
    text = translations(locale).gettext(message)
    if not params:
        return text
    return text % {k: v.label(locale) if isinstance(v, Label) else v for k, v in params.items()}


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
