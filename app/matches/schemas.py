from datetime import datetime
from typing import Annotated, Literal

from fastapi.responses import Response
from pydantic import BaseModel, Field, StringConstraints, TypeAdapter

from app.matches.service import Suggestion
from app.schemas import OneLine
from matching.levels import FitLevel
from matching.reasons import Quote

Query = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500), OneLine
]
Limit = Annotated[int, Field(ge=1, le=50)]
Target = Literal["suppliers", "needs", "manufacturers"]


class EvidenceOut(BaseModel):
    source: str = Field(description="profile, case_study or need: where `sentence` is from")
    source_id: int
    title: str
    sentence: str = Field(description="the result's sentence")
    matched: str = Field(
        description="the sentence it matched: the need's (suggestions), the supplier's "
        "(recommendations) or the search text"
    )
    similarity: float


class ReasonOut(BaseModel):
    code: str
    label: str = Field(description="in the reader's language")
    ok: bool = Field(description="true: a matched facet; false: a flag")


class FactsOut(BaseModel):
    manufacturer: str
    deadline_at: datetime | None
    budget_min: int | None = Field(description="만원")
    budget_max: int | None
    region: str
    bid_status: Literal["none", "invited", "submitted", "withdrawn"]
    bid_label: str


class MatchOut(BaseModel):
    id: int
    name: str
    level: FitLevel | None = Field(description="high, medium or low (null: below minimum)")
    level_label: str
    score: float
    parts: dict[str, float]
    reasons: list[ReasonOut]
    evidence: list[EvidenceOut]
    flags: list[str] = Field(description="codes; their words are in `reasons`")
    facts: FactsOut | None = Field(description="for needs recommended to a supplier")


class LeftOutOut(BaseModel):
    id: int = Field(description="The supplier's organisation id.")
    name: str
    missing: list[str] = Field(description="Certifications the need requires that it lacks.")


def match_out(item: Suggestion) -> MatchOut:
    return MatchOut(
        id=item.id,
        name=item.name,
        level=item.level,
        level_label=item.level_label,
        score=round(item.score, 4),
        parts={k: round(v, 4) for k, v in item.parts.items()},
        reasons=[ReasonOut(code=r.code, label=r.label, ok=r.ok) for r in item.reasons],
        evidence=[_evidence(e) for e in item.evidence],
        flags=item.flags,
        facts=FactsOut(**vars(item.facts)) if item.facts else None,
    )


def _evidence(e: Quote) -> EvidenceOut:
    return EvidenceOut(
        source=e.source,
        source_id=e.source_id,
        title=e.title,
        sentence=e.sentence,
        matched=e.matched,
        similarity=round(e.similarity, 4),
    )


MATCHES = TypeAdapter(list[MatchOut])


def matches_json(items: list[Suggestion]) -> Response:
    """The JSON body serialised once from the models built here (a route's `response_model`
    still documents it, but FastAPI would validate and serialise the list a second time)."""
    body = MATCHES.dump_json([match_out(s) for s in items])
    return Response(body, media_type="application/json")
