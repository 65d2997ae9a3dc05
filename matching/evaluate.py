"""Match quality on labelled data: the product ranking against two plain baselines.

Files are the JSON Lines import format (suppliers: external_id, name, description,
case_studies[{title, text}], specialties, industries, region, language; needs: external_id,
title, description, language, relevant{supplier external_id: grade}).

Scoring follows shared/eval/federal-dev/README.md: nDCG@10 with gain 2^grade - 1 and the
ideal ranking built from all labels; recall@10 and MRR@10 count only the top grade (grade 2;
in a set whose labels never exceed grade 1, grade 1). Every method ranks the whole corpus and
breaks exact ties by md5(need external id | supplier external id).

Methods: `axmatch` (the product), `bm25` (words, English stop words), `embedding` (best whole
unit's cosine) and `prior` (suppliers by how many case studies they have, need ignored).
`levels` gives each fit level's precision (share of its hits with grade >= 1) and coverage
(share of the product's top-10 hits in that level), over every need's top 10. `text_levels`
does the same on the text scale (`Scale.TEXT`) for plain-text probes scored as free-text
search and saved searches score them (`text_pairs`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching.embedders import Embedder, Vectors
from matching.levels import SCALES, Scale, precision_by_level
from matching.matcher import Matcher, Progress, encode_batched
from matching.ranking import rank_texts
from matching.records import CaseStudy, NeedProfile, SupplierProfile
from matching.units import need_text, supplier_text

K = 10
Labels = Mapping[int, int]  # supplier id -> grade
Ranking = list[int]  # supplier ids, best first


@dataclass(frozen=True)
class EvalSet:
    suppliers: list[SupplierProfile]
    needs: list[NeedProfile]
    labels: dict[int, dict[int, int]]  # need id -> supplier id -> grade
    external: dict[int, str]  # supplier id -> external id
    need_external: dict[int, str]
    need_language: dict[int, str] = field(default_factory=dict)

    @property
    def relevant_grade(self) -> int:
        return max((g for ls in self.labels.values() for g in ls.values()), default=1)


def _read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _supplier(id_: int, row: dict[str, Any], first_case_id: int) -> SupplierProfile:
    cases = tuple(
        CaseStudy(first_case_id + n, c.get("title", ""), c.get("text", ""))
        for n, c in enumerate(row.get("case_studies") or [])
    )
    return SupplierProfile(
        id=id_,
        name=row.get("name", ""),
        description=row.get("description") or "",
        case_studies=cases,
        specialties=frozenset(row.get("specialties") or ()),
        industries=frozenset(row.get("industries") or ()),
        region=row.get("region"),
        in_province=str(row.get("region") or "").startswith("gn-"),
    )


def load_eval_set(suppliers_path: str | Path, needs_path: str | Path) -> EvalSet:
    """Suppliers get ids 1..n in file order; labels naming unknown suppliers are dropped."""
    suppliers, external, case_id = [], {}, 1
    for n, row in enumerate(_read_jsonl(suppliers_path), start=1):
        suppliers.append(_supplier(n, row, case_id))
        case_id += len(row.get("case_studies") or [])
        external[n] = str(row["external_id"])
    by_external = {e: i for i, e in external.items()}
    needs, labels, need_external, language = [], {}, {}, {}
    for n, row in enumerate(_read_jsonl(needs_path), start=1):
        needs.append(NeedProfile(id=n, title=row.get("title", ""), description=row["description"]))
        relevant = row.get("relevant") or {}
        labels[n] = {by_external[e]: int(g) for e, g in relevant.items() if e in by_external}
        need_external[n] = str(row["external_id"])
        language[n] = str(row.get("language") or "")
    return EvalSet(suppliers, needs, labels, external, need_external, language)


def recall_at_k(ranking: Ranking, labels: Labels, relevant: int, k: int = K) -> float:
    wanted = {s for s, g in labels.items() if g >= relevant}
    return len(wanted.intersection(ranking[:k])) / len(wanted) if wanted else 0.0


def mrr_at_k(ranking: Ranking, labels: Labels, relevant: int, k: int = K) -> float:
    for rank, supplier in enumerate(ranking[:k], start=1):
        if labels.get(supplier, 0) >= relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranking: Ranking, labels: Labels, k: int = K) -> float:
    def dcg(grades: Sequence[int]) -> float:
        return sum(float(2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(labels.values(), reverse=True))
    return float(dcg([labels.get(s, 0) for s in ranking]) / ideal) if ideal else 0.0


def score_rankings(
    rankings: Mapping[int, Ranking], data: EvalSet, language: str | None = None
) -> dict[str, float]:
    """Mean metrics over needs that have at least one top-grade label (of one need
    `language`, when given)."""
    top = data.relevant_grade
    needs = [
        n
        for n, ls in data.labels.items()
        if any(g >= top for g in ls.values())
        and (language is None or data.need_language.get(n) == language)
    ]
    rows = [
        (
            recall_at_k(rankings[n], data.labels[n], top),
            ndcg_at_k(rankings[n], data.labels[n]),
            mrr_at_k(rankings[n], data.labels[n], top),
        )
        for n in needs
    ]
    means = np.mean(rows, axis=0) if rows else np.zeros(3)
    return {"recall@10": float(means[0]), "ndcg@10": float(means[1]), "mrr": float(means[2])}


def _order(scores: Mapping[int, float], need_id: int, data: EvalSet) -> Ranking:
    def tie(supplier: int) -> str:
        key = f"{data.need_external[need_id]}|{data.external[supplier]}"
        return hashlib.md5(key.encode("utf-8")).hexdigest()

    return sorted(scores, key=lambda s: (-scores[s], tie(s)))


Scored = dict[int, dict[int, float]]  # need id -> supplier id -> product score


def rank_axmatch(
    matcher: Matcher, data: EvalSet, vectors: Vectors, progress: Progress | None = None
) -> tuple[dict[int, Ranking], Scored]:
    """The product ranking and its scores; `vectors` are the needs' query vectors
    (`Matcher.encode_needs`)."""
    rankings, scored = {}, {}
    for n, (need, vector) in enumerate(zip(data.needs, vectors, strict=True), start=1):
        hits = matcher.suppliers_for(need, limit=None, vector=vector)
        scored[need.id] = {h.id: h.score for h in hits}
        rankings[need.id] = _order(scored[need.id], need.id, data)
        if progress:
            progress("rank axmatch", n, len(data.needs))
    return rankings, scored


def rank_prior(data: EvalSet) -> dict[int, Ranking]:
    """Suppliers by their number of case studies, whatever the need says."""
    counts = {s.id: float(len(s.case_studies)) for s in data.suppliers}
    return {need.id: _order(counts, need.id, data) for need in data.needs}


def top_pairs(
    rankings: Mapping[int, Ranking], scored: Scored, data: EvalSet, k: int = K
) -> list[tuple[float, bool]]:
    """(score, relevant) for every need's top-k hits; relevant = any grade >= 1."""
    return [
        (scored[n][s], data.labels.get(n, {}).get(s, 0) >= 1)
        for n, ranking in rankings.items()
        for s in ranking[:k]
    ]


def rank_embedding(matcher: Matcher, data: EvalSet, vectors: Vectors) -> dict[int, Ranking]:
    """Plain cosine: each supplier's best whole unit (profile or one case study)."""
    whole = [i for i, (_, key) in matcher.unit_of.items() if "#" not in key]
    owners = np.array([matcher.unit_of[i][0] for i in whole])
    sims = vectors @ matcher.unit_vectors[whole].T
    rankings = {}
    for need, row in zip(data.needs, sims, strict=True):
        best: dict[int, float] = {s.id: -1.0 for s in data.suppliers}
        for owner, sim in zip(owners.tolist(), row.tolist(), strict=True):
            best[owner] = max(best[owner], sim)
        rankings[need.id] = _order(best, need.id, data)
    return rankings


def supplier_document(supplier: SupplierProfile) -> str:
    cases = (f"{c.title}. {c.text}" for c in supplier.case_studies)
    return "\n".join([supplier.description, *cases])


def rank_bm25(data: EvalSet) -> dict[int, Ranking]:
    """BM25 (bm25s, English stop words) over description + all case studies."""
    import bm25s  # type: ignore[import-untyped]

    docs = [supplier_document(s) for s in data.suppliers]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(docs, stopwords="en", show_progress=False), show_progress=False)
    rankings = {}
    for need in data.needs:
        tokens = bm25s.tokenize(
            [need_text(need)], stopwords="en", return_ids=False, show_progress=False
        )
        scores = retriever.get_scores(tokens[0]) if tokens[0] else np.zeros(len(docs))
        by_id = {s.id: float(x) for s, x in zip(data.suppliers, scores, strict=True)}
        rankings[need.id] = _order(by_id, need.id, data)
    return rankings


Pairs = list[tuple[float, bool]]


def text_pairs(
    matcher: Matcher, data: EvalSet, vectors: Vectors, progress: Progress | None = None
) -> Pairs:
    """(score, relevant) of the top-10 hits of plain-text probes on the text scale
    (`rank_texts`, as free-text search and saved searches with text score), both ways: each
    need's title and description over the suppliers, each supplier one text (all its own
    words); and each labelled supplier's description over the needs. Every text is embedded
    as a query, as the app embeds needs and search texts."""
    calibration, relevant, bridge = matcher.calibration, _relevant(data), matcher.bridge
    texts = [supplier_text(s) for s in data.suppliers]
    documents = [NeedProfile(s.id, "", t) for s, t in zip(data.suppliers, texts, strict=True)]
    document_vectors = encode_batched(matcher.embedder, texts, "query", progress)
    pairs: Pairs = []
    for need, row in zip(data.needs, vectors @ document_vectors.T, strict=True):
        sims = {d.id: float(x) for d, x in zip(documents, row, strict=True)}
        hits = rank_texts(
            need_text(need), documents, sims, calibration=calibration, limit=K, bridge=bridge
        )
        pairs += [(h.score, (need.id, h.id) in relevant) for h in hits]
    labelled = {supplier for _, supplier in relevant}
    probes = [s for s in data.suppliers if s.id in labelled]
    probe_texts = [s.description or supplier_text(s) for s in probes]
    probe_vectors = encode_batched(matcher.embedder, probe_texts, "query", progress)
    for supplier, text, row in zip(probes, probe_texts, probe_vectors @ vectors.T, strict=True):
        sims = {n.id: float(x) for n, x in zip(data.needs, row, strict=True)}
        hits = rank_texts(text, data.needs, sims, calibration=calibration, limit=K, bridge=bridge)
        pairs += [(h.score, (h.id, supplier.id) in relevant) for h in hits]
    return pairs


def _relevant(data: EvalSet) -> set[tuple[int, int]]:
    """(need id, supplier id) of every pair labelled grade >= 1."""
    return {(n, s) for n, ls in data.labels.items() for s, g in ls.items() if g >= 1}


Figures = dict[str, Any]


def evaluate_with_pairs(
    suppliers_path: str | Path,
    needs_path: str | Path,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    matcher_factory: Callable[[Embedder, EvalSet, Progress | None], Matcher] | None = None,
) -> tuple[Figures, dict[Scale, Pairs]]:
    """`evaluate`'s figures and, per scale, the (score, relevant) pairs they were measured
    on: every need's top 10 (`Scale.PAIR`) and the text probes' (`Scale.TEXT`)."""
    data = load_eval_set(suppliers_path, needs_path)
    factory = matcher_factory or (lambda e, d, p: Matcher(e, d.suppliers, progress=p))
    matcher = factory(embedder, data, progress)
    vectors = matcher.encode_needs(data.needs, progress)
    rankings, scored = rank_axmatch(matcher, data, vectors, progress)
    pairs = {Scale.PAIR: top_pairs(rankings, scored, data)}
    pairs[Scale.TEXT] = text_pairs(matcher, data, vectors, progress)
    figures: Figures = {
        "axmatch": score_rankings(rankings, data),
        "bm25": score_rankings(rank_bm25(data), data),
        "embedding": score_rankings(rank_embedding(matcher, data, vectors), data),
        "prior": score_rankings(rank_prior(data), data),
        "levels": precision_by_level(pairs[Scale.PAIR], SCALES[Scale.PAIR]),
        "text_levels": precision_by_level(pairs[Scale.TEXT], SCALES[Scale.TEXT]),
    }
    languages = sorted({lang for lang in data.need_language.values() if lang})
    if len(languages) > 1:
        figures["axmatch_by_need_language"] = {
            lang: score_rankings(rankings, data, lang) for lang in languages
        }
    return figures, pairs


def evaluate(
    suppliers_path: str | Path,
    needs_path: str | Path,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    matcher_factory: Callable[[Embedder, EvalSet, Progress | None], Matcher] | None = None,
) -> Figures:
    """{"axmatch" | "bm25" | "embedding" | "prior": {"recall@10", "ndcg@10", "mrr"},
    "levels" | "text_levels": {"high" | "medium" | "low" | "none": {"precision", "coverage",
    "count"}}}, plus
    "axmatch_by_need_language" when the needs come in more than one language."""
    figures, _ = evaluate_with_pairs(
        suppliers_path, needs_path, embedder, progress=progress, matcher_factory=matcher_factory
    )
    return figures
