"""Both sides quoted: which need sentence and which supplier sentence matched each other.

In: the need's sentences and the supplier's quotable sentences, each with its vector (rows
L2-normalised, as the store keeps them), and the reader's language. Out: at most `count`
`Quote`s, best pair first. Rules, so a reader never sees the same thing twice:

- each supplier sentence and each need sentence is quoted at most once (a need with one
  sentence may back every quote);
- within one text (a profile holding its Korean and English descriptions, one case study, the
  need), sentences of one language only: the reader's when the text has any, else its own.
  A bilingual profile's two halves say the same thing, so one half is never quoted beside
  the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from matching.records import SupplierProfile
from matching.units import TextUnit, split_sentences, supplier_units

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTER = re.compile(r"[^\W\d_]")
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Quote:
    """A result's sentence (`source`, `source_id` and `title` say where it is from) and the
    viewer-side sentence it `matched`."""

    source: str
    source_id: int
    title: str
    sentence: str
    matched: str
    similarity: float


@dataclass(frozen=True)
class Sentence:
    """One quotable sentence: `unit` is the key of the text it belongs to."""

    unit: str
    text: str
    source: str = "need"
    source_id: int = 0
    title: str = ""

    @cached_property
    def language(self) -> str:
        """`language(text)`, worked out once per sentence (a supplier's are kept)."""
        return language(self.text)


def language(text: str) -> str:
    """ "ko" when at least a third of the letters are Hangul, else "en"."""
    letters = len(_LETTER.findall(text))
    return "ko" if letters and 3 * len(_HANGUL.findall(text)) >= letters else "en"


def supplier_sentences(supplier: SupplierProfile) -> dict[str, Sentence]:
    """By unit key: every sentence unit, and each whole unit that has no sentence units (it
    is one sentence, or its first sentence stands for it)."""
    units = supplier_units(supplier)
    split = {u.parent_key for u in units if u.is_sentence}
    return {
        u.key: _sentence(u, u.text if u.is_sentence else _first(u))
        for u in units
        if u.is_sentence or u.key not in split
    }


def need_sentences(units: Sequence[TextUnit]) -> dict[str, Sentence]:
    """The need's sentence units, or the whole need when it is one sentence."""
    sentences = [u for u in units if u.is_sentence]
    return {u.key: _sentence(u, u.text) for u in (sentences or list(units[:1]))}


def _sentence(unit: TextUnit, text: str) -> Sentence:
    return Sentence(unit.parent_key, text, unit.source, unit.source_id, unit.title)


def _first(unit: TextUnit) -> str:
    sentences = split_sentences(unit.text)
    return sentences[0] if sentences else unit.text


def one_language(sentences: Sequence[Sentence], locale: str) -> list[int]:
    """Positions of the sentences kept: per text, the reader's language if it has any."""
    languages = [s.language for s in sentences]
    has = {(s.unit, lang) for s, lang in zip(sentences, languages, strict=True)}
    keep = []
    for n, (s, lang) in enumerate(zip(sentences, languages, strict=True)):
        wanted = locale if (s.unit, locale) in has else lang
        if lang == wanted:
            keep.append(n)
    return keep


def pair_quotes(
    viewer: Sequence[Sentence],
    viewer_vectors: Vectors,
    result: Sequence[Sentence],
    result_vectors: Vectors,
    locale: str,
    count: int = 2,
) -> list[Quote]:
    """The best (result sentence, viewer sentence) pairs by cosine, under the module's rules:
    a need's suggested supplier quotes the supplier beside the need, a supplier's recommended
    need quotes the need beside the supplier."""
    rows, cols = one_language(result, locale), one_language(viewer, locale)
    if not rows or not cols:
        return []
    sims = result_vectors[rows] @ viewer_vectors[cols].T
    order = np.dstack(np.unravel_index(np.argsort(-sims, axis=None), sims.shape))[0]
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    quotes: list[Quote] = []
    for r, c in order.tolist():
        if r in used_rows or (c in used_cols and len(cols) > len(used_cols)):
            continue
        used_rows.add(r)
        used_cols.add(c)
        s, n = result[rows[r]], viewer[cols[c]]
        quotes.append(Quote(s.source, s.source_id, s.title, s.text, n.text, float(sims[r, c])))
        if len(quotes) == count:
            break
    return quotes
