"""Cohorts: registration with the sponsor, member lists (picked or pasted), edits, removal."""

import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.schemas import AcceptInvite
from app.cohorts import service
from app.cohorts.schemas import CohortIn, CohortUpdate, MembersIn
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import AuditEntry, OrgKind, Role, Round
from tests.builders import make_staff, make_supplier
from tests.cohorts.helpers import make_cohort, make_sponsor, partner


def actions(session, cohort_id: int) -> list[str]:
    query = select(AuditEntry.action).where(
        AuditEntry.entity_type == "cohorts", AuditEntry.entity_id == cohort_id
    )
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_register_a_sponsor_with_its_cohort_and_invite_its_first_user(session) -> None:
    staff = make_staff(session)
    data = CohortIn(
        sponsor_name="경남터빈㈜", name="터빈 협력사", sponsor_email="kim@gn-turbine.example.kr"
    )
    cohort, secret = service.create_cohort(session, staff, data)
    assert cohort.sponsor.kind is OrgKind.sponsor and secret
    joined = accounts.accept_invitation(
        session, secret, AcceptInvite(name="김터빈", password="turbine-pass-1"), "ko"
    )
    assert joined.role is Role.sponsor and joined.organization_id == cohort.sponsor_org_id
    assert actions(session, cohort.id) == ["cohort.created"]
    again = service.create_cohort(
        session, staff, CohortIn(sponsor_org_id=cohort.sponsor_org_id, name="2차 협력사")
    )[0]
    assert again.sponsor_org_id == cohort.sponsor_org_id
    assert {c.id for c, _ in service.list_cohorts(session, staff)} >= {cohort.id, again.id}


def test_only_sponsors_can_back_a_cohort_and_only_staff_register(session) -> None:
    staff = make_staff(session)
    supplier = make_supplier(session)
    with pytest.raises(Invalid):
        service.create_cohort(
            session, staff, CohortIn(sponsor_org_id=supplier.organization_id, name="잘못")
        )
    with pytest.raises(ValueError):
        CohortIn(sponsor_org_id=1, sponsor_name="둘 다", name="잘못")
    with pytest.raises(Forbidden):
        service.create_cohort(session, supplier, CohortIn(sponsor_name="새 후원", name="새 코호트"))


def test_add_members_by_id_and_pasted_names_reporting_the_unknown(session) -> None:
    staff = make_staff(session)
    cohort = make_cohort(session, make_sponsor(session))
    first = partner(session, "㈜대광오토텍", "mfr-901")
    second = partner(session, "한결 단조", "mfr-902")
    twin_a, twin_b = partner(session, "동명정밀"), partner(session, "동명정밀")
    supplier = make_supplier(session, "비전AI")
    data = MembersIn(
        organization_ids=[first.organization_id, supplier.organization_id],
        lines=["대광오토텍", "(주)한결단조", "MFR-902", "없는회사", "동명정밀", "비전AI"],
    )
    report = service.add_members(session, staff, cohort.id, data)
    assert [o.id for o in report.added] == [first.organization_id, second.organization_id]
    assert report.unknown == [f"#{supplier.organization_id}", "없는회사", "비전AI"]
    assert report.ambiguous == ["동명정밀"]
    assert service.member_org_ids(session, cohort.id) == {
        first.organization_id,
        second.organization_id,
    }
    again = service.add_members(session, staff, cohort.id, MembersIn(lines=["mfr-901"]))
    assert again.added == [] and [o.id for o in again.already] == [first.organization_id]
    both = MembersIn(organization_ids=[twin_a.organization_id, twin_b.organization_id])
    assert len(service.add_members(session, staff, cohort.id, both).added) == 2
    assert actions(session, cohort.id) == ["cohort.members_added", "cohort.members_added"]


def test_remove_members_and_edit_with_version_checks(session) -> None:
    staff = make_staff(session)
    a, b = partner(session, "가공장"), partner(session, "나공장")
    cohort = make_cohort(session, make_sponsor(session), a, b)
    assert service.remove_members(session, staff, cohort.id, [a.organization_id, 999]) == 1
    assert service.member_org_ids(session, cohort.id) == {b.organization_id}
    version = cohort.version
    service.update_cohort(session, staff, cohort.id, CohortUpdate(name="새 이름", version=version))
    assert cohort.name == "새 이름" and cohort.version == version + 1
    with pytest.raises(Conflict):
        service.update_cohort(
            session, staff, cohort.id, CohortUpdate(name="옛 이름", version=version)
        )
    assert actions(session, cohort.id) == ["cohort.members_removed", "cohort.updated"]


def test_delete_is_refused_once_a_round_used_the_cohort(session) -> None:
    staff = make_staff(session)
    cohort = make_cohort(session, make_sponsor(session), partner(session, "가공장"))
    used = make_cohort(session, make_sponsor(session, "다른후원"), name="라운드용")
    session.add(Round(name="1차", cohort_id=used.id))
    session.flush()
    with pytest.raises(Conflict):
        service.delete_cohort(session, staff, used.id, used.version)
    with pytest.raises(Conflict):
        service.delete_cohort(session, staff, cohort.id, cohort.version + 1)
    cohort_id = cohort.id
    service.delete_cohort(session, staff, cohort_id, cohort.version)
    with pytest.raises(NotFound):
        service.get_cohort(session, staff, cohort_id)
    assert service.member_org_ids(session, cohort_id) == set()


def test_a_sponsor_sees_only_its_own_cohorts(session) -> None:
    mine, theirs = make_sponsor(session), make_sponsor(session, "남의후원")
    own = make_cohort(session, mine, partner(session, "가공장"))
    other = make_cohort(session, theirs, partner(session, "나공장"))
    assert [c.id for c, _ in service.list_cohorts(session, mine)] == [own.id]
    with pytest.raises(NotFound):
        service.get_cohort(session, mine, other.id)
    with pytest.raises(Forbidden):
        service.add_members(session, mine, own.id, MembersIn(lines=["가공장"]))
    with pytest.raises(Forbidden):
        service.list_cohorts(session, partner(session, "제조사"))
