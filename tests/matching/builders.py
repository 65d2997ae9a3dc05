"""Record builders for matching tests: plain functions with sensible defaults."""

from typing import Any

from matching.records import CaseStudy, NeedProfile, SupplierProfile


def case(id: int, title: str, text: str, **fields: Any) -> CaseStudy:
    return CaseStudy(id=id, title=title, text=text, **fields)


def supplier(id: int, description: str, *cases: CaseStudy, **fields: Any) -> SupplierProfile:
    fields.setdefault("name", f"Supplier {id}")
    fields.setdefault("capacity", 3)
    return SupplierProfile(id=id, description=description, case_studies=tuple(cases), **fields)


def need(id: int, text: str, **fields: Any) -> NeedProfile:
    fields.setdefault("title", "")
    return NeedProfile(id=id, description=text, **fields)


def pool() -> list[SupplierProfile]:
    """Three suppliers on distinct topics, each with one two-sentence case study."""
    return [
        supplier(
            1,
            "Machine vision inspection of pressed metal parts.",
            case(
                11,
                "Press line camera",
                "We installed cameras on a press line. Crack defects fell by half.",
            ),
        ),
        supplier(
            2,
            "Predictive maintenance for CNC spindles from vibration data.",
            case(
                21,
                "Spindle bearings",
                "Vibration sensors on CNC machines. Bearing failures predicted a week ahead.",
            ),
        ),
        supplier(
            3,
            "Energy optimisation of forging furnaces.",
            case(
                31,
                "Furnace gas",
                "Burner control for reheating furnaces. Gas use fell by twelve percent.",
            ),
        ),
    ]
