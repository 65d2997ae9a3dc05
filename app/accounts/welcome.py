"""The welcome page after sign-up: what to do next, per role, each step marked done once its
record is there (the page stays useful when it is opened again later)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.files.service import files_of
from app.i18n import Msgid
from app.models import (
    AttachmentOwner,
    ManufacturerProfile,
    Need,
    Role,
    SupplierProfile,
    User,
)


@dataclass(frozen=True)
class Step:
    key: str
    title: Msgid
    why: Msgid
    url: str
    done: bool


def welcome_steps(session: Session, user: User) -> list[Step]:
    verified = user.email_verified_at is not None
    first = Step(
        "verify",
        Msgid("Confirm your e-mail address"),
        Msgid("We sent you a link; confirmed addresses get notices and can reset a password."),
        "/account",
        verified,
    )
    if user.role is Role.manufacturer:
        return [first, *_manufacturer(session, user)]
    if user.role is Role.supplier:
        return [first, *_supplier(session, user)]
    home = Step(
        "home",
        Msgid("Open your home page"),
        Msgid("It lists what needs your action now, most urgent first."),
        "/",
        False,
    )
    return [first, home]


def _manufacturer(session: Session, user: User) -> list[Step]:
    profile = session.scalar(
        select(ManufacturerProfile).where(
            ManufacturerProfile.organization_id == user.organization_id
        )
    )
    needs = session.scalar(
        select(func.count(Need.id)).where(Need.organization_id == user.organization_id)
    )
    return [
        Step(
            "profile",
            Msgid("Complete your company profile"),
            Msgid(
                "Industry, region, smart-factory level, systems and the readiness "
                "self-assessment: suppliers read it and it gives your readiness score."
            ),
            "/profile/edit",
            bool(profile and profile.industry and profile.region),
        ),
        Step(
            "need",
            Msgid("Post your first need"),
            Msgid(
                "Describe the problem, the budget and a goal KPI; a coordinator checks a "
                "first need before it is published, then suppliers are suggested."
            ),
            "/needs/new",
            bool(needs),
        ),
        Step(
            "suppliers",
            Msgid("Look through the supplier directory"),
            Msgid("Admitted AI suppliers, with their specialties, case studies and results."),
            "/suppliers",
            False,
        ),
    ]


def _supplier(session: Session, user: User) -> list[Step]:
    profile = session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )
    described = bool(profile and profile.specialties and profile.region)
    cases = bool(profile and profile.case_studies)
    docs = bool(
        profile
        and files_of(session, AttachmentOwner.supplier_application, [profile.id])[profile.id]
    )
    return [
        Step(
            "profile",
            Msgid("Complete your capability profile"),
            Msgid(
                "Specialties, AI techniques, industries, region and a description: "
                "matching reads them to suggest you for needs."
            ),
            "/profile/edit",
            described,
        ),
        Step(
            "case_study",
            Msgid("Add a case study"),
            Msgid("A past project with its outcome: coordinators vet it, manufacturers read it."),
            "/profile/case-studies/new",
            cases,
        ),
        Step(
            "documents",
            Msgid("Attach your application documents"),
            Msgid("Business registration certificate and certifications, for the vetting."),
            "/profile#application-files",
            docs,
        ),
        Step(
            "recommendations",
            Msgid("Wait for admission, then see needs that fit you"),
            Msgid(
                "A coordinator reviews the application; once admitted you are matched with "
                "needs and may bid."
            ),
            "/recommendations",
            bool(profile and profile.membership.value == "admitted"),
        ),
    ]
