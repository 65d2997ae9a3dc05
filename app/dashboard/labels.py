"""Names of the dashboard's steps and warnings, shared by pages, charts and CSV files.

`_` only marks a msgid for extraction (tests/test_i18n.py); `gettext` translates at use.
"""

from app import vocab
from app.i18n import gettext


def _(msgid: str) -> str:
    return msgid


STEPS = {
    "posted": _("Needs posted"),
    "shortlisted": _("Shortlisted"),
    "bid": _("Bid received"),
    "approved": _("Match approved"),
    "consulting": _("Consulting"),
    "design": _("On-site design"),
    "demonstration": _("Demonstration"),
    "deployment": _("Deployment"),
    "closed": _("Closed out"),
}
WARNINGS = {
    "too_few": _(
        "Too few engagements to judge concentration (fewer than %(n)s); the figures are shown "
        "but raise no warning."
    ),
    "hhi_high": _("The Herfindahl index is at or above the warning level of %(n)s."),
    "top_share_high": _(
        "The top 15%% of suppliers hold at least %(n)s%% of the engagements (in 2014-17, 15%% "
        "of smart-factory suppliers built two thirds of the factories)."
    ),
    "rising": _(
        "Concentration is rising: the Herfindahl index of engagements started in this period "
        "is at least %(n)s points above the previous period's."
    ),
}


def step_label(code: str, locale: str) -> str:
    return gettext(locale, STEPS[code]) if code in STEPS else code


def label_of(terms: dict[str, vocab.Term], code: str | None, locale: str) -> str:
    if code is None:
        return gettext(locale, "Not stated")
    return terms[code].label(locale) if code in terms else code
