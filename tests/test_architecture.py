"""House rules about where features meet (STYLE.md, "Seams"), read off the source (AST):

1. `app/db.py` and `app/audit.py` are the ground floor: they import no feature, not even
   inside a function (hooks are registered by `app.hooks`, called by the app factory and
   the CLI).
2. One front door for matching: outside `app/matches/`, nobody imports the `matching`
   library (except its assignment solver, `matching.assignment`, which rounds drive) and
   nobody reads or writes stored vectors or the index change log (`Embedding`,
   `IndexChange`); other features reach matching through `app.matches.service` (plus the
   cache type and the page dependency that hands it out).
3. The index-in-step rule lives in one file: within `app/matches/`, only the store (which
   writes vectors and logs), the cache (which follows the log) and `tracking` (which decides
   what a change touches) name `IndexChange`.
4. One front door for documents: outside `app/files/`, nobody imports the blob storage or the
   file-kind sniffing (`app.files.storage`, `app.files.s3`, `app.files.kinds`); features attach,
   list and serve files through `app.files.service` (and its page and download helpers).

The composition root (`app/main.py`, `app/cli.py`, `app/hooks.py`) may import anything.
`KNOWN` lists violations that another branch is removing; each entry must still be a real
violation (a stale entry fails too), so the list can only shrink.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
FEATURES = sorted(p.name for p in APP.iterdir() if (p / "__init__.py").exists())
GROUND_FLOOR = ("app/db.py", "app/audit.py")
COMPOSITION_ROOT = ("app/main.py", "app/cli.py", "app/hooks.py")
FRONT_DOOR = {
    "app.matches.service",
    "app.matches.eligibility",
    "app.matches.cache",
    "app.matches.pages",
    "app.matches.alerts",
    "app.matches.reasons",
}
SOLVER = "matching.assignment"
STORED = {"Embedding", "IndexChange"}
LOG_KEEPERS = {
    "app/matches/store.py",
    "app/matches/cache.py",
    "app/matches/changelog.py",
    "app/matches/tracking.py",
}

FILES_INSIDE = {"app.files.storage", "app.files.s3", "app.files.kinds"}

KNOWN: set[tuple[str, str]] = set()


def modules(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """(module, names) of every import statement, nested ones too; `from app import bids`
    and `import app.bids` both name the module `app.bids`."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [alias.name for alias in node.names]
            found.append((node.module, names))
            if node.module in ("app", "app.matches", "matching"):
                found += [(f"{node.module}.{n}", []) for n in names]
    return found


def sources() -> dict[str, ast.AST]:
    files = sorted(APP.rglob("*.py")) + sorted((ROOT / "seed").rglob("*.py"))
    return {str(f.relative_to(ROOT)): ast.parse(f.read_text(encoding="utf-8")) for f in files}


def is_feature(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 2 and parts[0] == "app" and parts[1] in FEATURES


def ground_floor_violations(path: str, tree: ast.AST) -> set[tuple[str, str]]:
    if path not in GROUND_FLOOR:
        return set()
    return {(path, f"imports {m}") for m, _ in modules(tree) if is_feature(m)}


def _uses_matching(module: str, names: list[str]) -> bool:
    if module == "matching":
        return names != ["assignment"]
    return module.startswith("matching.") and not module.startswith(SOLVER)


def _matches_module(module: str) -> str | None:
    """`app.matches.X` for an import of X from app.matches, else None."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["app", "matches"] and len(parts) > 2 else None


def front_door_violations(path: str, tree: ast.AST) -> set[tuple[str, str]]:
    if path.startswith("app/matches/") or path in COMPOSITION_ROOT:
        return set()
    found = set()
    for module, names in modules(tree):
        if _uses_matching(module, names):
            found.add((path, "imports matching"))
        inner = _matches_module(module)
        if inner is not None and inner not in FRONT_DOOR:
            found.add((path, f"imports {inner}"))
        if module == "app.models":
            found |= {(path, f"names {n}") for n in names if n in STORED}
    return found


def log_keeper_violations(path: str, tree: ast.AST) -> set[tuple[str, str]]:
    if not path.startswith("app/matches/") or path in LOG_KEEPERS:
        return set()
    return {
        (path, "names IndexChange")
        for module, names in modules(tree)
        if module == "app.models" and "IndexChange" in names
    }


def files_door_violations(path: str, tree: ast.AST) -> set[tuple[str, str]]:
    if path.startswith("app/files/"):
        return set()
    found = set()
    for module, names in modules(tree):
        inner = {module} | ({f"{module}.{n}" for n in names} if module == "app.files" else set())
        found |= {(path, f"imports {m}") for m in inner & FILES_INSIDE}
    return found


RULES = (
    ground_floor_violations,
    front_door_violations,
    log_keeper_violations,
    files_door_violations,
)


def violations() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path, tree in sources().items():
        for rule in RULES:
            found |= rule(path, tree)
    return found


def test_the_rules_hold_apart_from_the_known_violations() -> None:
    assert violations() - KNOWN == set()


def test_every_known_violation_is_still_real() -> None:
    """Strict: once a known violation is fixed, its entry must go."""
    assert KNOWN - violations() == set()


def test_the_rules_catch_what_they_describe() -> None:
    """Each rule fires on a module that breaks it (so the checks above can fail)."""
    bad = ast.parse(
        "from app.notifications.events import on_audit\n"
        "def f():\n    from app.matches import tracking\n"
    )
    assert ground_floor_violations("app/audit.py", bad) == {
        ("app/audit.py", "imports app.notifications.events"),
        ("app/audit.py", "imports app.matches"),
        ("app/audit.py", "imports app.matches.tracking"),
    }
    reader = ast.parse(
        "import matching\nfrom matching import assignment\n"
        "from app.models import Embedding, Need\nfrom app.matches.store import sync\n"
        "from app.matches import service\n"
    )
    assert front_door_violations("app/bids/service.py", reader) == {
        ("app/bids/service.py", "imports matching"),
        ("app/bids/service.py", "names Embedding"),
        ("app/bids/service.py", "imports app.matches.store"),
    }
    logger = ast.parse("from app.models import IndexChange\n")
    assert log_keeper_violations("app/matches/service.py", logger)
    assert not log_keeper_violations("app/matches/tracking.py", logger)
    storage = ast.parse("from app.files import storage\nfrom app.files.kinds import detect\n")
    assert files_door_violations("app/needs/pages.py", storage) == {
        ("app/needs/pages.py", "imports app.files.storage"),
        ("app/needs/pages.py", "imports app.files.kinds"),
    }
    assert not files_door_violations("app/files/service.py", storage)
