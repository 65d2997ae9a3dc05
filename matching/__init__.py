"""axmatch's matching library: embeddings, a FAISS index, explained ranking, evaluation.

A library: it imports neither `app` nor SQLAlchemy, and never loads a model (or torch)
until `get_embedder` is called with a real model name. `matching.evaluate` is imported on
its own.
"""

from matching.bridge import WordBridge, shared_bridge
from matching.embedders import (
    DEFAULT_MODEL,
    Calibration,
    Embedder,
    FakeEmbedder,
    calibration_for,
    get_embedder,
)
from matching.fit import Weights
from matching.index import VectorIndex
from matching.levels import FitLevel, Scale, fit_level
from matching.matcher import Matcher
from matching.ranking import (
    Evidence,
    Hit,
    UnitSim,
    exclusion,
    need_sims,
    passes_filters,
    rank_needs,
    rank_supplier_units,
    rank_suppliers,
    rank_texts,
    supplier_sims,
    unit_hits,
)
from matching.records import CaseStudy, NeedProfile, SupplierProfile, is_in_province
from matching.scoring import SupplierTable, UnitHits
from matching.units import TextUnit, need_units, supplier_units

__all__ = [
    "DEFAULT_MODEL",
    "Calibration",
    "CaseStudy",
    "Embedder",
    "Evidence",
    "FakeEmbedder",
    "FitLevel",
    "Hit",
    "Matcher",
    "NeedProfile",
    "Scale",
    "SupplierProfile",
    "SupplierTable",
    "TextUnit",
    "UnitHits",
    "UnitSim",
    "VectorIndex",
    "WordBridge",
    "Weights",
    "calibration_for",
    "exclusion",
    "fit_level",
    "get_embedder",
    "is_in_province",
    "need_sims",
    "need_units",
    "passes_filters",
    "rank_needs",
    "rank_supplier_units",
    "rank_suppliers",
    "rank_texts",
    "shared_bridge",
    "supplier_sims",
    "supplier_units",
    "unit_hits",
]
