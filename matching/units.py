"""Embeddable text units of suppliers and needs, with stable keys.

Key scheme (unique within one owner, stable while the owner's structure is unchanged):

- supplier: ``"profile"`` (the description), ``"case:<case id>"`` (title + text of one case
  study), and, for a unit of two or more sentences, one unit per sentence:
  ``"profile#<n>"`` and ``"case:<case id>#<n>"`` (n = 0-based sentence index);
- need: ``"need"`` (title + description) and, for a description of two or more sentences,
  ``"need#<n>"`` per sentence (quoted beside the supplier sentence it matched; ranking
  searches whole units only).

Store one vector per (owner, key, model) with `TextUnit.sha256`; re-embed only units whose
hash changed and drop stored keys that are no longer produced. Whole units drive the ranking;
sentence units let the explanation quote the sentence that matched.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from matching.records import NeedProfile, SupplierProfile

Source = Literal["profile", "case_study", "need"]

# Long case studies are cut to this many sentence units: later sentences are rarely the best
# evidence, and each one costs an embedding.
MAX_SENTENCES = 16
_SPLIT = re.compile(r"(?<=[.!?。])\s+|\n+")
_MIN_SENTENCE = 12  # shorter fragments ("Results:", "1.") are glued to their neighbour


@dataclass(frozen=True)
class TextUnit:
    key: str
    source: Source
    source_id: int
    title: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def parent_key(self) -> str:
        """The whole unit a sentence unit belongs to (itself for a whole unit)."""
        return self.key.split("#", 1)[0]

    @property
    def is_sentence(self) -> bool:
        return "#" in self.key


def split_sentences(text: str) -> list[str]:
    """Split on sentence-final punctuation and line breaks, gluing tiny fragments on."""
    out: list[str] = []
    for piece in (p.strip() for p in _SPLIT.split(text)):
        if not piece:
            continue
        if out and (len(out[-1]) < _MIN_SENTENCE or len(piece) < _MIN_SENTENCE):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _with_sentences(unit: TextUnit, body: str) -> list[TextUnit]:
    sentences = split_sentences(body)
    if len(sentences) < 2:
        return [unit]
    parts = [
        TextUnit(f"{unit.key}#{n}", unit.source, unit.source_id, unit.title, sentence)
        for n, sentence in enumerate(sentences[:MAX_SENTENCES])
    ]
    return [unit, *parts]


def _join(title: str, body: str) -> str:
    title, body = title.strip(), body.strip()
    if not title or not body:
        return title or body
    return f"{title}. {body}" if title[-1] not in ".!?" else f"{title} {body}"


def supplier_units(supplier: SupplierProfile, *, sentences: bool = True) -> list[TextUnit]:
    """Profile and case-study units (plus sentence units when `sentences`), in key order."""
    units: list[TextUnit] = []
    if supplier.description.strip():
        profile = TextUnit("profile", "profile", supplier.id, supplier.name, supplier.description)
        units += _with_sentences(profile, supplier.description) if sentences else [profile]
    for case in supplier.case_studies:
        text = _join(case.title, case.text)
        unit = TextUnit(f"case:{case.id}", "case_study", case.id, case.title, text)
        units += _with_sentences(unit, case.text) if sentences else [unit]
    return units


def supplier_text(supplier: SupplierProfile) -> str:
    """All of a supplier's own words: description, then each case study's title and text."""
    cases = (_join(c.title, c.text) for c in supplier.case_studies)
    return "\n".join([supplier.description, *cases])


def need_text(need: NeedProfile) -> str:
    return _join(need.title, need.description)


def need_units(need: NeedProfile, *, sentences: bool = True) -> list[TextUnit]:
    """The whole need first (what ranking compares: needs are short, and the whole need is
    what a supplier reads), then its description's sentences when `sentences`."""
    unit = TextUnit("need", "need", need.id, need.title, need_text(need))
    return _with_sentences(unit, need.description) if sentences else [unit]
