"""A cohort of manufacturers, for the cohort filter."""

from sqlalchemy.orm import Session

from app.models import Cohort, CohortMember, Organization, OrgKind, User


def cohort_of(session: Session, *makers: User) -> Cohort:
    sponsor = Organization(kind=OrgKind.sponsor, name="두산터빈")
    cohort = Cohort(sponsor=sponsor, name="협력사 코호트")
    cohort.members = [CohortMember(manufacturer_org_id=m.organization_id) for m in makers]
    session.add(cohort)
    session.flush()
    return cohort
