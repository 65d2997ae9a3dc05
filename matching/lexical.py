"""The lexical channel: words (Korean morphemes, stemmed English) and bilingual concepts.

Two bags per text, each scored with BM25 over a pool of documents:

- **words**: Korean through the kiwipiepy morphological analyser (nouns, verb and adjective
  stems, roots, foreign words), so 검사하는 matches 검사; English lower-cased, stop words
  dropped, plurals and -ing/-ed cut. Words only meet words of the same script, so this
  channel says nothing about a document written only in the other language.
- **concepts**: ids of `matching.concepts.CONCEPTS` found in the text in either language, so
  "비전 검사" and "vision inspection" both give `vision_inspection`.

`LexicalIndex.scores` returns both channels for one query text over the pool; fusion with
semantics (`fuse`) lives here too, because it is what decides when a channel counts.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.bridge import Vocabulary, WordBridge
from matching.concepts import CONCEPTS

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

# BM25's usual constants (Robertson & Zaragoza), not tuned here.
K1, B = 1.2, 0.75
# Share of the fused relevance given to lexical evidence when it has signal: lexical and
# semantic evidence count alike (a principle, not a fitted weight) where the evidence is
# lent (the bridge's words of the other script) or only concepts ...
LEXICAL_SHARE = 0.5
# ... and more where the query's own words meet the document in their own script: a query
# wholly in the document's script gets NATIVE_LEXICAL_SHARE, a mixed one (Korean with a few
# Latin words) in proportion to its words in that script. One value for every set, measured
# on all five (matching/MEASUREMENTS.md: 0.65-1.0 is a plateau on the English sets and leaves
# the Korean ones level; 0.8 is its middle).
NATIVE_LEXICAL_SHARE = 0.8

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_EN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPACE = re.compile(r"\s+")
_KO_TAGS = frozenset({"NNG", "NNP", "XR", "SH"})
_KO_STEMS = frozenset({"VV", "VA"})
EN_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "which",
        "who",
        "not",
        "no",
        "use",
        "used",
        "using",
        "also",
        "such",
        "they",
        "them",
        "these",
        "those",
        "than",
        "then",
        "there",
        "may",
        "more",
        "most",
        "other",
        "some",
        "any",
        "each",
        "all",
        "about",
        "over",
        "under",
        "between",
        "within",
        "without",
        "per",
        "via",
        "new",
        "based",
        "system",
        "systems",
        "tool",
        "tools",
        "data",
        "provide",
        "provides",
        "provided",
        "help",
        "helps",
        "include",
        "includes",
        "including",
    }
)


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing and -ed (enough for BM25 recall)."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def en_words(text: str) -> list[str]:
    """English (and any Latin-script) words of a text, stemmed, stop words kept."""
    return [stem(w) for w in _EN_WORD.findall(text.lower())]


_KIWI: Any = None
_KIWI_LOCK = threading.Lock()
_TOKENISE_LOCK = threading.Lock()


def _kiwi() -> Any:
    global _KIWI
    with _KIWI_LOCK:
        if _KIWI is None:
            from kiwipiepy import Kiwi  # type: ignore[import-untyped]

            _KIWI = Kiwi(num_workers=-1)
        return _KIWI


@functools.lru_cache(maxsize=65536)
def ko_words(text: str) -> tuple[str, ...]:
    """Korean content morphemes of a text (nouns, roots, verb/adjective stems + 다)."""
    kiwi = _kiwi()
    with _TOKENISE_LOCK:  # one analyser per process, shared by threads
        tokens = kiwi.tokenize(text)
    out: list[str] = []
    for token in tokens:
        if token.tag in _KO_TAGS:
            out.append(token.form)
        elif token.tag in _KO_STEMS:
            out.append(token.form + "다")
    return tuple(out)


def words(text: str) -> list[str]:
    """The word bag: Korean morphemes when the text has Hangul, plus its English words
    (stop words and bare numbers dropped)."""
    raw = _EN_WORD.findall(text.lower())
    english = [stem(w) for w in raw if w not in EN_STOP and not w.isdigit()]
    return [*ko_words(text), *english] if _HANGUL.search(text) else english


def languages(text: str) -> frozenset[str]:
    """The languages a text is written in: "ko" (Hangul), "en" (Latin words), or both.

    Latin words inside Korean text (X-ray, AOI, CNC) do not make it English: English needs
    at least 30% of the letters, counting a Hangul syllable as two letters."""
    hangul, latin = len(_HANGUL.findall(text)) * 2, len(_LATIN.findall(text))
    total = hangul + latin
    found = set()
    if total and hangul >= 0.3 * total:
        found.add("ko")
    if total and latin >= 0.3 * total:
        found.add("en")
    return frozenset(found)


@dataclass(frozen=True)
class _Forms:
    korean: tuple[tuple[str, str], ...]  # (form without spaces, concept id)
    english: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word -> (words, id)


@functools.lru_cache(maxsize=1)
def _forms() -> _Forms:
    korean: list[tuple[str, str]] = []
    english: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for concept, ko_forms, en_forms in CONCEPTS:
        for form in ko_forms:
            if _HANGUL.search(form):
                korean.append((_SPACE.sub("", form.lower()), concept))
            else:  # a Latin form listed under Korean (CNC, AOI) matches as English words
                en_forms = (*en_forms, form)
        for form in en_forms:
            tokens = tuple(en_words(form))
            if tokens:
                english.setdefault(tokens[0], []).append((tokens, concept))
    return _Forms(tuple(korean), {k: tuple(v) for k, v in english.items()})


@functools.lru_cache(maxsize=65536)
def concepts(text: str) -> tuple[str, ...]:
    """Concept ids named in a text, once per mention, in either language."""
    forms = _forms()
    found: list[str] = []
    if _HANGUL.search(text):
        squeezed = _SPACE.sub("", text.lower())
        found += [c for form, c in forms.korean for _ in range(squeezed.count(form))]
    tokens = en_words(text)
    for at, token in enumerate(tokens):
        for phrase, concept in forms.english.get(token, ()):
            if tuple(tokens[at : at + len(phrase)]) == phrase:
                found.append(concept)
    return tuple(found)


class BM25:
    """BM25 over a fixed list of bags; scores come back as one dense row per query."""

    def __init__(self, bags: Sequence[Iterable[str]]) -> None:
        counts = [Counter(bag) for bag in bags]
        self.size = len(counts)
        lengths = np.array([sum(c.values()) for c in counts], np.float64)
        mean = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, count in enumerate(counts):
            for term, freq in count.items():
                postings.setdefault(term, []).append((row, freq))
        self._terms: dict[str, tuple[npt.NDArray[np.intp], Floats]] = {}
        for term, rows_tfs in postings.items():
            rows = np.array([r for r, _ in rows_tfs], np.intp)
            tf = np.array([t for _, t in rows_tfs], np.float64)
            idf = math.log(1 + (self.size - len(rows) + 0.5) / (len(rows) + 0.5))
            norm = K1 * (1 - B + B * lengths[rows] / mean)
            self._terms[term] = (rows, idf * tf * (K1 + 1) / (tf + norm))

    def scores(self, query: Iterable[str]) -> Floats:
        """Each document's BM25 score for the distinct terms of `query`."""
        return self.weighted(dict.fromkeys(query, 1.0))

    def weighted(self, query: Mapping[str, float]) -> Floats:
        """BM25 with a weight per query term (1.0 = a term the query itself has)."""
        out = np.zeros(self.size)
        for term, weight in query.items():
            if term in self._terms:
                rows, weights = self._terms[term]
                out[rows] += weight * weights
        return out

    def terms(self) -> list[str]:
        return list(self._terms)


@dataclass(frozen=True)
class LexicalScores:
    """One query's lexical evidence over a pool: each channel normalised to 0..1 by its best
    document, or None when the channel has no signal for this query; `word_applies` marks
    the documents the word channel speaks for (written in a script the query's words are
    in, with a match somewhere in the pool): words say nothing about the others."""

    concept: Floats | None
    word: Floats | None
    word_applies: Flags
    # per document: the share of the query's words written in the document's own script
    native: Floats | None = None


class LexicalIndex:
    """Word and concept BM25 over documents, with each document's languages.

    With a `bridge` (`matching.bridge.WordBridge`), a query's words of one script are lent
    to the documents of the other as their nearest words of the documents' own vocabulary."""

    def __init__(self, documents: Sequence[str], bridge: WordBridge | None = None) -> None:
        self.words = BM25([words(d) for d in documents])
        self.concepts = BM25([concepts(d) for d in documents])
        self.languages = [languages(d) for d in documents]
        self.bridge = bridge
        self._surface = _surfaces(documents) if bridge is not None else {}
        self._vocabularies: dict[str, Vocabulary] = {}
        self._vocabulary_lock = threading.Lock()

    def vocabulary(self, script: str) -> Vocabulary | None:
        """The documents' words of one script ("ko" Hangul, "en" Latin), embedded once."""
        if self.bridge is None:
            return None
        with self._vocabulary_lock:
            if script not in self._vocabularies:
                korean = script == "ko"
                terms = [t for t in self.words.terms() if bool(_HANGUL.search(t)) == korean]
                forms = [self._surface.get(t, t) for t in terms]
                self._vocabularies[script] = self.bridge.vocabulary(terms, forms)
            return self._vocabularies[script]

    def __len__(self) -> int:
        return self.words.size

    def scores(self, query: str) -> LexicalScores:
        """The query's channels over every document, each normalised by its best document.

        Words are matched per script: the query's Korean morphemes against documents
        written in Korean, its Latin-script words (English, or AOI and X-ray inside Korean
        text) against documents written in English, and, with a bridge, each script's words
        lent to the documents of the other (weighted by closeness; a word the query has
        itself weighs 1); a document gets the mean of the script channels that apply to it
        and have signal."""
        terms = words(query)
        total, count = np.zeros(len(self)), np.zeros(len(self))
        by_script = {
            "ko": [t for t in terms if _HANGUL.search(t)],
            "en": [t for t in terms if not _HANGUL.search(t)],
        }
        for language, other in (("ko", "en"), ("en", "ko")):
            applies = np.array([language in langs for langs in self.languages], np.bool_)
            query_terms = self._lent(language, by_script[other], query) if applies.any() else {}
            query_terms.update(dict.fromkeys(by_script[language], 1.0))
            channel = _normalised(self.words.weighted(query_terms), applies)
            if channel is not None:
                total, count = total + np.where(applies, channel, 0.0), count + applies
        word = np.where(count > 0, total / np.maximum(count, 1), 0.0)
        concept = _normalised(self.concepts.scores(concepts(query)))
        own = {s: len(t) / max(1, len(terms)) for s, t in by_script.items()}
        native = np.array(
            [max((own[x] for x in langs if x in own), default=0.0) for langs in self.languages]
        )
        return LexicalScores(concept, word if count.any() else None, count > 0, native)

    def _lent(self, script: str, other_words: list[str], query: str) -> dict[str, float]:
        """This script's document words lent to the query's words of the other script
        (English stems embedded by the query's own surface words)."""
        vocabulary = self.vocabulary(script) if other_words else None
        if vocabulary is None:
            return {}
        surface = _surfaces([query]) if script == "ko" else {}
        return vocabulary.lend([surface.get(w, w) for w in other_words])


def _surfaces(documents: Sequence[str]) -> dict[str, str]:
    """Each English stem's most frequent surface word (what the bridge embeds: a model
    knows "translation", not the stem "translat")."""
    seen: dict[str, Counter[str]] = {}
    for document in documents:
        for word in _EN_WORD.findall(document.lower()):
            if word not in EN_STOP and not word.isdigit():
                seen.setdefault(stem(word), Counter())[word] += 1
    return {term: forms.most_common(1)[0][0] for term, forms in seen.items()}


def pick(found: LexicalScores, rows: npt.NDArray[np.intp]) -> LexicalScores:
    """The same scores for some documents only (their normalisation unchanged)."""
    return LexicalScores(
        None if found.concept is None else found.concept[rows],
        None if found.word is None else found.word[rows],
        found.word_applies[rows],
        None if found.native is None else found.native[rows],
    )


def _normalised(raw: Floats, among: Flags | None = None) -> Floats | None:
    """`raw` over its best value (among `among`), or None when there is no signal there."""
    considered = raw if among is None else raw[among]
    best = float(considered.max()) if len(considered) else 0.0
    return np.minimum(raw / best, 1.0) if best > 0 else None


def lexical_evidence(found: LexicalScores) -> tuple[Floats, Flags]:
    """Per document: the mean of the lexical channels that have signal and apply to it, and
    whether any did. A document in the other language gets the concept channel alone."""
    size = len(found.word_applies)
    total: Floats = np.zeros(size)
    count: Floats = np.zeros(size)
    if found.concept is not None:
        total, count = total + found.concept, count + 1
    if found.word is not None:
        total = total + np.where(found.word_applies, found.word, 0.0)
        count = count + found.word_applies
    has = count > 0
    return np.where(has, total / np.maximum(count, 1), 0.0), has


def fuse(semantic: Floats, found: LexicalScores) -> tuple[Floats, Floats]:
    """(semantic part, lexical part) of the fused relevance, per document, on the semantic
    scale: relevance = (1 - share) * semantic + share * best_semantic * lexical, where the
    lexical evidence is scaled so the best lexical match counts as the best semantic match
    of the pool, and the share grows from LEXICAL_SHARE to NATIVE_LEXICAL_SHARE with the
    share of the query's own words in the document's script. A document with no lexical
    channel that applies keeps its semantic score whole: a channel with no signal
    contributes nothing, and costs nothing."""
    lexical, has = lexical_evidence(found)
    native = np.zeros(len(has)) if found.native is None else found.native
    share = np.where(has, LEXICAL_SHARE + (NATIVE_LEXICAL_SHARE - LEXICAL_SHARE) * native, 0.0)
    top = float(semantic.max()) if len(semantic) else 0.0
    return (1 - share) * semantic, share * top * lexical
