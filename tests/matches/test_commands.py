"""The matching commands run end to end (tiny data, the fake embedder); figures are printed,
never asserted on."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEDERAL = ROOT.parent / "shared" / "eval" / "federal-dev"
KOREAN = ROOT / "seed" / "eval" / "crosslingual"


def axmatch(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AXMATCH_EMBEDDING_MODEL": "fake",
        "AXMATCH_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


METHODS = ("axmatch", "bm25", "embedding", "prior")


def test_eval_prints_one_json_line_with_every_method_and_level(tmp_path: Path) -> None:
    out = axmatch(
        "eval", str(KOREAN / "suppliers.jsonl"), str(KOREAN / "needs.jsonl"), tmp_path=tmp_path
    )
    (line,) = out.stdout.splitlines()
    figures = json.loads(line)
    assert figures["set"] == "crosslingual" and figures["model"] == "fake"
    assert all(set(figures[m]) == {"recall@10", "ndcg@10", "mrr"} for m in METHODS)
    assert set(figures["levels"]) == {"high", "medium", "low", "none"}
    assert set(figures["axmatch_by_need_language"]) == {"en", "ko"}


def test_import_reindex_and_bench_run(tmp_path: Path) -> None:
    axmatch("migrate", tmp_path=tmp_path)
    admin = ("--email", "ops@gn-ai.example.kr", "--name", "운영", "--password", "long-enough-pw")
    axmatch("create-admin", *admin, tmp_path=tmp_path)
    imported = axmatch(
        "import",
        "--operator",
        "ops@gn-ai.example.kr",
        "--drafts",  # evaluation needs have no deadline, budget or KPIs to publish with
        "--suppliers",
        str(KOREAN / "suppliers.jsonl"),
        "--needs",
        str(KOREAN / "needs.jsonl"),
        tmp_path=tmp_path,
    )
    assert "suppliers 76" in imported.stdout
    assert "44 needs" in axmatch("reindex", tmp_path=tmp_path).stdout
    bench = axmatch(
        "bench",
        "--suppliers",
        "20",
        "--manufacturers",
        "20",
        "--needs",
        "50",
        "--queries",
        "10",
        "--model",
        "fake",
        "--json",
        tmp_path=tmp_path,
    )
    figures = json.loads(bench.stdout)
    for key in (
        "raw_encode_per_s",
        "reindex_ratio",
        "raw_embed_search",
        "service_need_to_suppliers",
        "http_need_to_suppliers",
        "supplier_to_needs",
        "index_memory_mb",
        "edit_visible_in_other_worker_s",
    ):
        assert key in figures
    assert figures["edit_visible_in_other_worker_s"] == figures["edit_visible_in_other_worker_s"]
