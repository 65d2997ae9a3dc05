"""The real default model, loaded from its package: Korean and English meet across languages."""

import json
from pathlib import Path

import numpy as np
import pytest

from matching import DEFAULT_MODEL, Matcher, get_embedder
from matching.evaluate import load_eval_set

pytestmark = pytest.mark.model
DATA = Path(__file__).parent / "data"
# Three English-only and three Korean-only suppliers on unrelated manufacturing topics.
TOPICS = ["s-vision-press", "s-weld", "s-furnace-energy", "s-pdm-cnc", "s-safety", "s-chem-mix"]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    data = load_eval_set(DATA / "koen_suppliers.jsonl", DATA / "koen_needs.jsonl")
    wanted = {i for i, e in data.external.items() if e in TOPICS}
    return Matcher(get_embedder(DEFAULT_MODEL), [s for s in data.suppliers if s.id in wanted])


def _cross_lingual_needs() -> list[tuple[str, str, str]]:
    languages = {}
    for line in (DATA / "koen_suppliers.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        languages[row["external_id"]] = row["language"]
    needs = [
        json.loads(line) for line in (DATA / "koen_needs.jsonl").read_text("utf-8").splitlines()
    ]
    return [
        (n["language"], n["title"] + ". " + n["description"], target)
        for n in needs
        for target in n["relevant"]
        if target in TOPICS and languages[target] != n["language"]
    ]


def test_model_vectors_are_normalised_float32() -> None:
    embedder = get_embedder(DEFAULT_MODEL)
    vectors = embedder.encode(["프레스 불량 검사", "press defect inspection"], kind="query")
    assert vectors.dtype == np.float32 and vectors.shape == (2, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_need_finds_the_same_topic_supplier_written_in_the_other_language(
    matcher: Matcher, language: str
) -> None:
    cases = [c for c in _cross_lingual_needs() if c[0] == language]
    assert len(cases) == 3
    for _, text, target in cases:
        top = matcher.search(text, limit=1)[0]
        assert matcher.suppliers[top.id].name == _name(target), text


def _name(external_id: str) -> str:
    for line in (DATA / "koen_suppliers.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["external_id"] == external_id:
            return str(row["name"])
    raise KeyError(external_id)
