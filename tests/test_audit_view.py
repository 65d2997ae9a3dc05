"""The audit log in words (app/audit_view.py, app/audit_labels.py).

A class fix: the first tests walk every `record(...)` call site in app/ (AST) and fail when an
action or a field key the code can record has no label in English and Korean; tests/conftest.py
checks the same for every entry any test records. The rest render entries.
"""

import ast
import re
from pathlib import Path

from sqlalchemy.orm import Session

from app import audit_labels, audit_view
from app.audit import readable
from app.coordinator.service import MOVES
from app.engagements.service import timeline
from app.engagements.work import MARKS
from app.i18n import Msgid, translations
from app.models import ProposalStatus
from app.needs.schemas import NeedIn
from app.needs.service import ACTIONS as NEED_ACTIONS
from tests.builders import make_engagement, make_manufacturer, make_staff, make_supplier, parse

APP = Path(__file__).resolve().parent.parent / "app"
# Call sites whose action is built at run time, and what it can be (read off the code).
BUILT = {
    ("bids/selection.py", "decide_proposal"): {
        f"proposal.{s.value}" for s in ProposalStatus if s is not ProposalStatus.proposed
    },
    ("engagements/work.py", "_mark"): {f"engagement.milestone_{m}" for m in MARKS},
}
# Field keys recorded through a table rather than a dict literal at the call site.
TABLE_KEYS = (
    set(NeedIn.model_fields)
    | {"sessions_revoked", "tokens_revoked"}  # app.accounts.recovery.revoke_sessions
    | {"industry", "region", "cohort_id", "posted_from", "posted_to"}  # a round's filters
    | {"objective", "quality_lost_share", "seconds"}  # a solved round's summary
    | {"invited", "closed", "not_admitted", "at_capacity", "conflict", "already_invited"}
)


def _is_record(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "record" and len(call.args) >= 4
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "record"
        and isinstance(func.value, ast.Name)
        and func.value.id == "audit"
    )


def _call_sites() -> list[tuple[str, ast.FunctionDef, ast.Call]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                calls = [c for c in ast.walk(fn) if isinstance(c, ast.Call) and _is_record(c)]
                found += [(str(path.relative_to(APP)), fn, c) for c in calls]
    return found


def recorded_actions() -> set[str]:
    """Literal actions at the call sites, the built ones above, and every string in app/ that
    looks like an action of a namespace the call sites use (what variables hold)."""
    actions: set[str] = set()
    for path, fn, call in _call_sites():
        action = call.args[2]
        if isinstance(action, ast.Constant):
            actions.add(action.value)
        elif isinstance(action, ast.JoinedStr):
            assert (path, fn.name) in BUILT, f"{path}:{fn.name} builds its action: add to BUILT"
            actions |= BUILT[(path, fn.name)]
    spaces = "|".join(sorted({a.split(".")[0] for a in actions}))
    looks = re.compile(rf"^({spaces})\.[a-z_]*[a-z]$")  # not a prefix
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                actions |= {node.value} if looks.match(node.value) else set()
    return actions | set(MOVES.values()) | set(NEED_ACTIONS.values())


def recorded_keys() -> set[str]:
    """Keys of the dict literals in every function that records, and in the snapshot helpers
    of those modules, and the field tables they copy."""
    keys = set(TABLE_KEYS)
    modules = {path for path, _, _ in _call_sites()}
    functions = [fn for _, fn, _ in _call_sites()]
    for path in modules:
        tree = ast.parse((APP / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and re.search("snapshot|facts", node.name):
                functions.append(node)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id.endswith("FIELDS"):
                    keys |= {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    for fn in functions:
        for node in ast.walk(fn):
            if isinstance(node, ast.Dict):
                keys |= {k.value for k in node.keys if isinstance(k, ast.Constant)}
    return {k for k in keys if isinstance(k, str)}


def _unlabelled(codes: set[str], table: dict[str, Msgid]) -> list[str]:
    ko = translations("ko")
    missing = [c for c in codes if c not in table]
    untranslated = [
        c
        for c in codes
        if c in table and ko.gettext(table[c]) == table[c] and not table[c].isupper()
    ]
    return sorted(missing + untranslated)


def test_every_action_the_code_can_record_has_a_label_in_both_languages() -> None:
    actions = recorded_actions()
    assert {"engagement.milestone_delivered", "membership.renewed", "bid.edited"} <= actions
    assert not _unlabelled(actions, audit_labels.ACTIONS), "label these in app/audit_labels.py"


def test_every_field_key_the_code_can_record_has_a_label_in_both_languages() -> None:
    keys = recorded_keys()
    assert {"supplier_org_id", "kpis", "price_total", "filename", "track"} <= keys
    assert not _unlabelled(keys, audit_labels.FIELDS), "label these in app/audit_labels.py"


def test_coded_values_have_korean_labels() -> None:
    ko = translations("ko")
    tables = [*audit_labels.CODES.values(), *audit_labels.BY_ENTITY.values()]
    msgids = [m for t in tables for m in t.values()] + list(audit_labels.ENTITIES.values())
    assert [m for m in msgids if ko.gettext(m) == m] == []


def test_an_id_field_renders_as_the_name_with_a_link(session: Session) -> None:
    maker, supplier = make_manufacturer(session), make_supplier(session, name="누리비전")
    engagement = make_engagement(session, maker, supplier, title="도장 불량 검사")
    staff = make_staff(session)
    entries = readable(session, staff, timeline(session, engagement))
    [line] = [
        x
        for x in audit_view.describe(session, staff, entries)
        if x.entry.action == "engagement.started"
    ]
    changes = {c.key: c for c in line.changes}
    sid = supplier.organization_id
    assert changes["supplier_org_id"].after == (
        audit_view.Shown("누리비전", f"/coordinator/organizations/{sid}"),
    )
    assert changes["supplier_org_id"].label == "공급기업"
    assert changes["need_id"].after == (
        audit_view.Shown("도장 불량 검사", f"/needs/{engagement.need_id}"),
    )
    assert changes["stage"].after == (audit_view.Shown("컨설팅"),)
    assert line.subject == audit_view.Shown("도장 불량 검사", f"/engagements/{engagement.id}")
    assert line.action == "프로젝트 시작"


def test_a_party_gets_profile_links_and_english_when_it_reads_english(session: Session) -> None:
    maker, supplier = make_manufacturer(session), make_supplier(session, name="누리비전")
    engagement = make_engagement(session, maker, supplier)
    maker.locale = "en"
    entries = readable(session, maker, timeline(session, engagement))
    [line] = audit_view.describe(session, maker, entries)
    org = {c.key: c for c in line.changes}["supplier_org_id"]
    assert (org.label, org.after) == (
        "Supplier",
        (audit_view.Shown("누리비전", f"/suppliers/{supplier.organization_id}"),),
    )
    assert line.action == "Engagement started"


def test_the_engagement_history_uses_the_same_words(browser, session: Session) -> None:
    maker, supplier = make_manufacturer(session), make_supplier(session, name="누리비전")
    engagement = make_engagement(session, maker, supplier)
    [entry] = timeline(session, engagement)
    page = parse(browser.login(maker).get(f"/engagements/{engagement.id}").text)
    event = page.texts[f"event-{entry.id}"]
    assert "프로젝트 시작" in event and "누리비전" in event and "컨설팅" in event
    assert "supplier_org_id" not in event and f"/suppliers/{supplier.organization_id}" in page.hrefs
