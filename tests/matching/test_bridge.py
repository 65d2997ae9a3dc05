"""The word bridge: a query's words lent to documents of the other script (matching.bridge)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching import SupplierProfile, SupplierTable, WordBridge, shared_bridge
from matching.bridge import MIN_SIMILARITY, NEIGHBOURS
from matching.embedders import FakeEmbedder, Vectors, normalise
from matching.lexical import LexicalIndex
from matching.records import NeedProfile

# Words that mean the same thing share an axis; a near word leans towards it.
SENSES = {
    "검사": [1, 0, 0, 0],
    "inspection": [1, 0, 0, 0],
    "examination": [0.9, 0.44, 0, 0],
    "번역": [0, 1, 0, 0],
    "translation": [0, 1, 0, 0],
    "용접": [0, 0, 1, 0],
    "welding": [0, 0, 1, 0],
    "paint": [0.3, 0, 0, 0.95],  # cosine 0.3 to 검사: not lent
}


class SenseEmbedder:
    """Words of `SENSES` on their axes, every other text on an axis of its own; counts what
    it was asked."""

    name, version, dim = "senses", "1", 64

    def __init__(self) -> None:
        self.asked: list[str] = []
        self._own: dict[str, int] = {}

    def encode(self, texts: Sequence[str], *, kind: str = "passage") -> Vectors:
        self.asked += list(texts)
        rows = np.zeros((len(texts), self.dim), np.float32)
        for row, text in zip(rows, texts, strict=True):
            if text in SENSES:
                row[:4] = SENSES[text]
            else:
                row[4 + self._own.setdefault(text, len(self._own) % (self.dim - 4))] = 1
        return normalise(rows)


ENGLISH = [
    "Automated visual inspection of pressed parts.",
    "Translation of technical manuals.",
    "Robotic welding cells for shipyards.",
    "Spray paint booths and paint lines.",
]


def test_a_korean_query_finds_english_documents_through_lent_words() -> None:
    plain = LexicalIndex(ENGLISH).scores("프레스 부품 검사")
    assert plain.word is None  # no word of the query's script in any document

    bridged = LexicalIndex(ENGLISH, WordBridge(SenseEmbedder())).scores("프레스 부품 검사")
    assert bridged.word is not None
    assert int(np.argmax(bridged.word)) == 0 and bridged.word_applies.all()
    assert bridged.word[3] == 0  # "paint" is not close enough to 검사 to be lent


def test_an_english_query_finds_korean_documents() -> None:
    korean = ["용접 로봇 셀 구축", "기술 문서 번역", "도장 라인 자동화"]
    found = LexicalIndex(korean, WordBridge(SenseEmbedder())).scores("welding robots")
    assert found.word is not None and int(np.argmax(found.word)) == 0
    assert found.word[1] == found.word[2] == 0


def test_lent_words_weigh_their_closeness_and_own_words_weigh_one() -> None:
    bridge = WordBridge(SenseEmbedder())
    vocabulary = bridge.vocabulary(
        ["inspect", "examination", "paint"], ["inspection", "examination", "paint"]
    )
    lent = vocabulary.lend(["검사"])
    assert set(lent) == {"inspect", "examination"}  # the stem kept, embedded by its surface
    assert lent["inspect"] > lent["examination"] >= MIN_SIMILARITY
    assert len(vocabulary.lend(["검사", "번역", "용접"])) <= 3 * NEIGHBOURS


def test_each_word_is_embedded_once_per_process() -> None:
    embedder = SenseEmbedder()
    bridge = WordBridge(embedder)
    index = LexicalIndex(ENGLISH, bridge)
    index.scores("부품 검사")
    asked = len(embedder.asked)
    index.scores("부품 검사")
    LexicalIndex(ENGLISH, bridge).scores("검사 번역")  # a new pool: its words are cached
    assert embedder.asked[asked:] == ["번역"]


def test_the_cache_is_bounded() -> None:
    bridge = WordBridge(SenseEmbedder(), cache_words=2)
    vectors = bridge.vectors(["검사", "번역", "용접"])
    assert vectors.shape == (3, 64) and len(bridge._vectors) == 2


def test_a_supplier_table_lends_words_to_a_korean_need() -> None:
    suppliers = [
        SupplierProfile(id=1, name="Paint Co", description=ENGLISH[3]),
        SupplierProfile(id=2, name="Vision Co", description=ENGLISH[0]),
    ]
    need = NeedProfile(id=1, title="검사", description="부품 검사 자동화")
    found = SupplierTable(suppliers, WordBridge(SenseEmbedder())).lexical(need)
    assert found.word is not None and found.word[1] > found.word[0]
    assert SupplierTable(suppliers).lexical(need).word is None


def test_one_shared_bridge_per_embedder() -> None:
    embedder = FakeEmbedder()
    assert shared_bridge(embedder) is shared_bridge(embedder)
    assert shared_bridge(FakeEmbedder()) is not shared_bridge(embedder)
