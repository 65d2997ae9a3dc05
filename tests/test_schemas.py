"""Text fields of every request model (API bodies, forms, query filters, import lines) refuse
control characters: one line where one line is meant, line breaks only in multi-line text."""

import importlib
import inspect
import pkgutil
import typing

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

import app
from app.matches import importer
from app.schemas import Input, LongText, MultiLine, OneLine, Title, one_line_of

SCHEMAS = [
    importlib.import_module(f"app.{m.name}.schemas")
    for m in pkgutil.iter_modules(app.__path__)
    if m.ispkg and importlib.util.find_spec(f"app.{m.name}.schemas")
] + [importer]


def request_models() -> list[type[BaseModel]]:
    """Request bodies (Input), import lines (importer.Row) and query filters (extra=forbid)."""
    found = []
    for module in SCHEMAS:
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and issubclass(cls, BaseModel)):
                continue
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, Input | importer.Row) or cls.model_config.get("extra") == "forbid":
                found.append(cls)
    return found


def _texts(annotation: object) -> list[object]:
    """The str-typed parts of an annotation, each with its Annotated metadata."""
    if annotation is str:
        return [()]
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return [(*meta, *m) if isinstance(m, tuple) else m for m in _texts(base)]
    return [m for arg in typing.get_args(annotation) for m in _texts(arg)]


def test_every_text_field_of_every_request_model_refuses_control_characters() -> None:
    models = request_models()
    assert len(models) > 50  # the walk found the features' models
    bare = []
    for model in models:
        for name, field in model.model_fields.items():
            for meta in _texts(field.rebuild_annotation()):
                if not any(m is OneLine or m is MultiLine for m in meta):
                    bare.append(f"{model.__module__}.{model.__name__}.{name}")
    assert not bare, "give these OneLine or MultiLine (app/schemas.py): " + ", ".join(bare)


@pytest.mark.parametrize("bad", ["a\r\nBcc: x@y.kr", "a\nb", "a\rb", "a\tb", "a\x1bb", "a\u2028b"])
def test_one_line_refuses_line_breaks_and_controls(bad: str) -> None:
    with pytest.raises(ValidationError, match="one line"):
        TypeAdapter(Title).validate_python(bad)


def test_multi_line_keeps_line_breaks_and_refuses_other_controls() -> None:
    text = TypeAdapter(LongText)
    assert text.validate_python(" 첫 줄\r\n둘째\t줄\r셋째 ") == "첫 줄\n둘째\t줄\n셋째"
    for bad in ["a\x1bb", "a\x07b", "a\x85b", "a\u2029b"]:
        with pytest.raises(ValidationError, match="control characters"):
            text.validate_python(bad)


def test_stored_text_is_made_one_line_for_headers() -> None:
    assert one_line_of("제목\r\nBcc: x@y.kr\u2028 끝\x00") == "제목 Bcc: x@y.kr 끝"
