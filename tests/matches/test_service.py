from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

import matching
from app.matches import service, store
from app.matches.cache import IndexCache
from app.models import (
    CaseStudy,
    Embedding,
    IndexChange,
    Membership,
    NeedStatus,
    SupplierProfile,
    utcnow,
)
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier

VISION = "프레스 공정 찍힘 불량을 딥러닝 비전 검사로 자동 판정합니다. 카메라와 조명을 설계합니다."
NEED_TEXT = "프레스 공정에서 찍힘 불량을 사람이 검사합니다. 비전 검사로 자동화하고 싶습니다."
ENERGY = "Forging furnace energy optimisation with gas consumption forecasting and control."


def profile_of(session, user) -> SupplierProfile:
    return session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )


def new_cache(tmp_path: Path) -> IndexCache:
    return IndexCache(matching.FakeEmbedder(), tmp_path, poll_seconds=0)


def arrange(session):
    vision = make_supplier(session, "비전AI", description_ko=VISION)
    energy = make_supplier(
        session,
        "FurnaceAI",
        description_ko="",
        description_en=ENERGY,
        ai_techniques=["energy_optimization"],
        specialties=["fems"],
    )
    owner = make_manufacturer(session)
    need = make_need(
        session,
        owner,
        title="프레스 찍힘 불량 비전 검사",
        description=NEED_TEXT,
    )
    session.commit()
    return vision, energy, owner, need


def test_saving_embeds_and_logs_changes_in_the_same_transaction(session) -> None:
    vision, *_ = arrange(session)
    profile = profile_of(session, vision)
    rows = session.scalar(
        select(func.count()).where(
            Embedding.owner_kind == "supplier", Embedding.owner_id == profile.id
        )
    )
    assert rows >= 2  # the whole profile and its sentences
    assert session.scalar(select(func.count()).where(IndexChange.owner_id == profile.id))


def test_only_changed_text_is_embedded_again(session) -> None:
    vision, *_ = arrange(session)
    profile = profile_of(session, vision)
    assert store.sync(session, matching.FakeEmbedder(), "supplier", [profile.id]) == 0
    profile.case_studies.append(
        CaseStudy(title="도장 불량", text="도장 라인의 흐름 불량을 검출했습니다.")
    )
    session.flush()
    assert store.sync(session, matching.FakeEmbedder(), "supplier", [profile.id]) == 1


def test_suggestions_rank_the_fitting_supplier_first_with_reasons(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)
    items = service.suggest_suppliers(session, cache, owner, need.id)
    assert [i.name for i in items] == ["비전AI"]  # the furnace supplier is below the minimum
    every = service.suggest_suppliers(session, cache, owner, need.id, below_minimum=True)
    assert [i.name for i in every] == ["비전AI", "FurnaceAI"] and every[1].level is None
    best = items[0]
    assert abs(best.score - sum(best.parts.values())) < 1e-6
    assert best.evidence and "비전" in best.evidence[0].sentence


def test_suspended_suppliers_are_never_suggested(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    profile_of(session, vision).membership = Membership.suspended
    session.commit()
    names = [
        i.name for i in service.suggest_suppliers(session, new_cache(tmp_path), owner, need.id)
    ]
    assert "비전AI" not in names


def test_recommendations_show_only_open_needs(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    closed = make_need(session, owner, status=NeedStatus.closed, title="프레스 비전 검사 (마감)")
    awaiting = make_need(  # open, but its deadline has passed: awaiting selection
        session,
        owner,
        title="프레스 비전 검사 (선정 대기)",
        deadline_at=utcnow() - timedelta(hours=1),
    )
    session.commit()
    ids = [i.id for i in service.recommend_needs(session, new_cache(tmp_path), vision)]
    assert need.id in ids and closed.id not in ids and awaiting.id not in ids
    found = service.search(session, new_cache(tmp_path), vision, "프레스 비전 검사", "needs")
    assert need.id in [i.id for i in found] and awaiting.id not in [i.id for i in found]


def test_another_worker_sees_an_edit_after_polling(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    worker_a, worker_b = new_cache(tmp_path / "a"), new_cache(tmp_path / "b")

    def semantic_of_furnace(worker: IndexCache) -> float:
        items = service.suggest_suppliers(session, worker, owner, need.id, below_minimum=True)
        # the fused text relevance: its semantic and lexical parts together
        item = next(i for i in items if i.name == "FurnaceAI")
        return item.parts["semantic"] + item.parts["lexical"]

    before = semantic_of_furnace(worker_b)
    assert semantic_of_furnace(worker_a) == before
    profile_of(session, energy).description_en = "프레스 찍힘 불량 비전 검사 자동화."
    session.commit()  # as if worker A saved the edit
    assert semantic_of_furnace(worker_b) > before + 0.2


def test_free_text_search_both_targets(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    staff = make_staff(session)
    cache = new_cache(tmp_path)
    suppliers = service.search(session, cache, staff, "forging furnace energy", "suppliers")
    assert suppliers[0].name == "FurnaceAI"
    needs = service.search(session, cache, vision, "찍힘 불량 비전", "needs")
    assert needs[0].id == need.id


def test_the_array_view_of_a_supplier_search_is_the_search(session, tmp_path) -> None:
    arrange(session)
    cache = new_cache(tmp_path)
    cache.ensure_fresh(session)
    vector = cache.embedder.encode([NEED_TEXT], kind="query")
    found = cache.search("supplier", vector, 50)[0]
    units = cache.supplier_hits(vector, 50)
    owners, keys = units.supplier.tolist(), units.keys.tolist()
    assert list(zip(owners, keys, units.similarity.tolist(), strict=True)) == found
    assert units.sentence.tolist() == ["#" in key for key in keys]
    assert len(found) == 4 and 0 < sum(units.sentence) < 4
    wholes = [(owner, key.split("#")[0]) for owner, key in zip(owners, keys, strict=True)]
    pairs = set(zip(units.parent.tolist(), wholes, strict=True))
    assert len(pairs) == len(set(wholes)) == len(set(units.parent.tolist()))


def test_a_worker_that_ranked_before_drops_a_suspended_supplier_after_polling(
    session, tmp_path
) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)

    def names() -> list[str]:
        return [i.name for i in service.suggest_suppliers(session, cache, owner, need.id)]

    assert "비전AI" in names()
    profile_of(session, vision).membership = Membership.suspended
    session.commit()
    assert "비전AI" not in names()


def test_a_worker_that_ranked_before_quotes_a_case_study_added_since(session, tmp_path) -> None:
    vision, energy, owner, need = arrange(session)
    cache = new_cache(tmp_path)

    def furnace() -> service.Suggestion:
        items = service.suggest_suppliers(session, cache, owner, need.id, below_minimum=True)
        return next(i for i in items if i.name == "FurnaceAI")

    assert all(e.source == "profile" for e in furnace().evidence)
    profile_of(session, energy).case_studies.append(CaseStudy(title="프레스", text=NEED_TEXT))
    session.commit()
    assert furnace().evidence[0].source == "case_study"
