"""A short shortlist says why in words: the constraint that kept most candidates out, and
what to relax (the same msgids as templates/rounds/_labels.html)."""

from typing import Any

from app.i18n import gettext


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when rendered."""
    return message


KEPT_OUT = {
    "capacity": _("capacity"),
    "cap": _("per-supplier cap"),
    "conflict": _("conflict of interest"),
    "out_of_province": _("outside the province (the need asks for in-province)"),
    "below_required_sf_level": _("manufacturer below the supplier's required smart-factory level"),
    "missing_certification": _("missing a certification the need requires"),
    "excluded": _("removed by the coordinator"),
    "below_minimum_fit": _("below the minimum fit"),
    "shortlist": _("too few candidates for the shortlist size"),
}
OTHER = _("Other constraint")
RELAX = {
    "below_minimum_fit": _(
        "Only the suppliers shown reach the minimum fit; turn on “Fill empty places” to add "
        "weaker matches, or add a supplier by hand."
    ),
}


def shortfall_reason(shortfall: dict[str, Any] | None, locale: str) -> str | None:
    """E.g. "2 shortlist places left empty: below the minimum fit 5, capacity 1"."""
    if not shortfall:
        return None
    blocked = ", ".join(
        f"{gettext(locale, KEPT_OUT.get(code, OTHER))} {n}"
        for code, n in shortfall.get("blocked", {}).items()
    )
    head = gettext(locale, "%(n)s shortlist places left empty", n=shortfall["missing"])
    relax = RELAX.get(shortfall.get("relax", ""))
    text = f"{head}: {blocked}" if blocked else head
    return f"{text}. {gettext(locale, relax)}" if relax else f"{text}."
