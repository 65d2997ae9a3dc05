"""The customer-stories eval set (seed/eval/customer-stories) loads, is well formed, keeps
every need's text out of every supplier profile, and is what its builder makes."""

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from app.matches.commands import eval_sets
from matching.evaluate import load_eval_set

SET = Path(__file__).resolve().parents[2] / "seed" / "eval" / "customer-stories"


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SET / name).read_text(encoding="utf-8").splitlines()]


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location("customer_stories_build", SET / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_the_set_is_found_by_eval_all_and_loads() -> None:
    assert ("customer-stories", SET) in eval_sets()
    data = load_eval_set(SET / "suppliers.jsonl", SET / "needs.jsonl")
    assert len(data.needs) == len(_rows("needs.jsonl")) >= 30
    assert len(data.suppliers) == len(_rows("suppliers.jsonl")) >= 30
    assert data.relevant_grade == 2


def test_every_label_names_a_supplier_and_every_need_has_one_true_product() -> None:
    suppliers = {s["external_id"]: s for s in _rows("suppliers.jsonl")}
    needs = _rows("needs.jsonl")
    assert len({n["external_id"] for n in needs}) == len(needs)
    for need in needs:
        assert need["language"] == "en" and need["description"]
        assert set(need["relevant"]) <= set(suppliers), need["external_id"]
        assert list(need["relevant"].values()).count(2) == 1, need["external_id"]
        assert set(need["relevant"].values()) <= {1, 2}


def test_no_need_text_is_in_any_supplier_profile() -> None:
    """The story a need comes from is held out of every profile: not its text, and not a
    near-copy (no 12-word run of the story appears in a profile)."""
    raw = {r["case_id"].removeprefix("aicase-"): r for r in _rows("raw_use_cases.jsonl")}
    profiles = [
        " ".join(_words(" ".join([s["description"], *(c["text"] for c in s["case_studies"])])))
        for s in _rows("suppliers.jsonl")
    ]
    for need in _rows("needs.jsonl"):
        story = raw[need["external_id"].removeprefix("cs-need-")]
        words = _words(story["description"])
        runs = {" ".join(words[i : i + 12]) for i in range(len(words) - 11)}
        for profile in profiles:
            assert not any(run in profile for run in runs), need["external_id"]
        own = [p for p in profiles if story["organization"].lower() in p]
        assert not own or all(" ".join(words) not in p for p in own)


def test_needs_name_no_product_or_vendor() -> None:
    builder = _builder()
    names = re.compile(
        "|".join([p for _, _, p in builder.PRODUCTS] + [r"\bnvidia\b", r"\baws\b", r"\bibm\b"]),
        re.I,
    )
    for need in _rows("needs.jsonl"):
        assert not names.search(f"{need['title']} {need['description']}"), need["external_id"]


def test_the_builder_reproduces_the_committed_files() -> None:
    needs, suppliers = _builder().build()
    for name, items in (("needs.jsonl", needs), ("suppliers.jsonl", suppliers)):
        expected = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        assert (SET / name).read_text(encoding="utf-8") == expected, name
