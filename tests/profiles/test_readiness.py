from dataclasses import dataclass, field

import pytest

from app import vocab
from app.profiles.readiness import readiness


@dataclass
class Answers:
    sf_level: str = "none"
    systems: list[str] = field(default_factory=list)
    readiness_data: str = "none"
    readiness_staff: str = "none"
    readiness_budget: str = "none"


def points(answers: Answers) -> dict[str, tuple[int, int]]:
    return {p.key: (p.points, p.max_points) for p in readiness(answers).parts}


def test_nothing_in_place_scores_zero_out_of_100() -> None:
    result = readiness(Answers())
    assert result.score == 0 and result.max_score == 100
    assert [p.key for p in result.parts] == ["sf_level", "systems", "data", "staff", "budget"]


def test_everything_in_place_scores_100() -> None:
    full = Answers(
        "advanced", ["mes", "erp", "plc", "sensors"], "systematic", "dedicated", "secured"
    )
    assert readiness(full).score == 100


def test_a_typical_intermediate_factory_with_its_breakdown() -> None:
    answers = Answers("intermediate1", ["mes", "plc"], "partial", "some", "secured")
    assert points(answers) == {
        "sf_level": (12, 25),
        "systems": (10, 15),
        "data": (12, 25),
        "staff": (10, 20),
        "budget": (15, 15),
    }
    assert readiness(answers).score == 59


def test_systems_are_capped_and_counted_once() -> None:
    assert points(Answers(systems=list(vocab.SYSTEMS)))["systems"] == (15, 15)
    assert points(Answers(systems=["mes", "mes"]))["systems"] == (5, 15)


def test_higher_smart_factory_levels_never_score_lower() -> None:
    scores = [readiness(Answers(sf_level=code)).score for code in vocab.SF_LEVEL_ORDER]
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] == 25


@pytest.mark.parametrize(
    ("field_name", "answers"),
    [
        ("readiness_data", ["none", "partial", "systematic"]),
        ("readiness_staff", ["none", "some", "dedicated"]),
        ("readiness_budget", ["none", "partial", "secured"]),
    ],
)
def test_each_answer_scale_increases(field_name: str, answers: list[str]) -> None:
    scores = [readiness(Answers(**{field_name: a})).score for a in answers]
    assert scores[0] == 0 and scores[0] < scores[1] < scores[2]


def test_unknown_codes_score_zero_instead_of_failing() -> None:
    odd = Answers("legacy", None, "maybe", "?", "")  # type: ignore[arg-type]
    result = readiness(odd)
    assert result.score == 0 and result.max_score == 100
