from typing import Annotated, Literal

from fastapi.responses import Response
from pydantic import BaseModel, Field, StringConstraints, TypeAdapter

import matching
from app.matches.service import Suggestion
from app.schemas import OneLine

Query = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500), OneLine
]
Limit = Annotated[int, Field(ge=1, le=50)]
Target = Literal["suppliers", "needs", "manufacturers"]


class EvidenceOut(BaseModel):
    source: str
    source_id: int
    title: str
    sentence: str
    similarity: float


class MatchOut(BaseModel):
    id: int
    name: str
    score: float
    parts: dict[str, float]
    evidence: list[EvidenceOut]
    flags: list[str]


class LeftOutOut(BaseModel):
    id: int = Field(description="The supplier's organisation id.")
    name: str
    missing: list[str] = Field(description="Certifications the need requires that it lacks.")


def match_out(item: Suggestion) -> MatchOut:
    return MatchOut(
        id=item.id,
        name=item.name,
        score=round(item.score, 4),
        parts={k: round(v, 4) for k, v in item.parts.items()},
        evidence=[_evidence(e) for e in item.evidence],
        flags=item.flags,
    )


def _evidence(e: matching.Evidence) -> EvidenceOut:
    return EvidenceOut(
        source=e.source,
        source_id=e.source_id,
        title=e.title,
        sentence=e.sentence,
        similarity=round(e.similarity, 4),
    )


MATCHES = TypeAdapter(list[MatchOut])


def matches_json(items: list[Suggestion]) -> Response:
    """The JSON body serialised once from the models built here (a route's `response_model`
    still documents it, but FastAPI would validate and serialise the list a second time)."""
    body = MATCHES.dump_json([match_out(s) for s in items])
    return Response(body, media_type="application/json")
