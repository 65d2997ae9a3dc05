"""The index-in-step rule: every change matching reads reaches the workers' caches through
the one hook (`app.matches.tracking`), with no call from the feature that made it."""

from pathlib import Path

import pytest

import matching
from app.engagements import outcomes
from app.engagements.stages import move_stage
from app.matches.cache import IndexCache
from app.models import Stage
from tests.builders import make_engagement, make_manufacturer, make_supplier
from tests.engagements.helpers import advance, cast


def cached(cache: IndexCache, session, supplier) -> matching.SupplierProfile:
    cache.ensure_fresh(session)
    profile = supplier.organization.supplier
    ((record, _),) = cache.supplier_records({profile.id})
    return record


def fresh_cache(tmp_path: Path, session) -> IndexCache:
    cache = IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)
    cache.ensure_fresh(session)
    return cache


def test_engagements_reach_the_cache_as_they_start_and_close(session, tmp_path) -> None:
    c = cast(session)
    session.commit()
    cache = fresh_cache(tmp_path, session)
    assert cached(cache, session, c.supplier).active_engagements == 1
    make_engagement(session, make_manufacturer(session, name="둘째공장"), c.supplier)
    session.commit()
    assert cached(cache, session, c.supplier).active_engagements == 2
    move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "중단")
    session.commit()
    assert cached(cache, session, c.supplier).active_engagements == 1


def test_verified_results_and_public_reviews_reach_the_cache(session, tmp_path) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    session.commit()
    cache = fresh_cache(tmp_path, session)
    assert cached(cache, session, c.supplier).track_record == pytest.approx(1 / 3)
    outcomes.write_review(session, c.manufacturer, c.engagement.id, 3, "보통")
    session.commit()
    assert cached(cache, session, c.supplier).track_record == pytest.approx(1 / 3)  # not public
    outcomes.write_review(session, c.supplier, c.engagement.id, 5, "협조적")
    session.commit()
    assert cached(cache, session, c.supplier).track_record == pytest.approx(0.5)


def test_membership_and_capacity_reach_the_cache(session, tmp_path) -> None:
    supplier = make_supplier(session, "정원AI", capacity=2)
    session.commit()
    cache = fresh_cache(tmp_path, session)
    profile = supplier.organization.supplier
    profile.capacity = 1
    session.commit()
    assert cached(cache, session, supplier).capacity == 1
