"""Charts are drawn once per set of figures and locale, not on every request."""

import pytest
from sqlalchemy.orm import Session

from app.config import Settings
from app.dashboard import charts, report
from tests.builders import make_manufacturer, make_need


def test_the_same_figures_are_drawn_once(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_need(session, make_manufacturer(session))
    d = report.public_dashboard(session, settings)
    drawn: list[int] = []
    real = charts.funnel
    monkeypatch.setattr(charts, "funnel", lambda *a: drawn.append(1) or real(*a))
    charts._DRAWN.clear()

    first = charts.public_charts(d, "ko")
    again = charts.public_charts(d, "ko")
    assert again == first and len(drawn) == 1
    english = charts.public_charts(d, "en")
    assert english != first and len(drawn) == 2

    make_need(session, make_manufacturer(session, "둘째정밀"))
    changed = report.public_dashboard(session, settings)
    assert changed != d
    charts.public_charts(changed, "ko")
    assert len(drawn) == 3  # new figures are drawn anew
