"""bidding and engagements

Revision ID: 2026_11_25_engagements
Revises: 2026_11_25_matching
Create Date: 2026-11-25 15:30:14.346946
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_11_25_engagements"
down_revision: str | None = "2026_11_25_matching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=50), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idempotency_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id")),
    )
    op.create_table(
        "bid_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("supplier_org_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name=op.f("fk_bid_invitations_invited_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_bid_invitations_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_org_id"],
            ["organizations.id"],
            name=op.f("fk_bid_invitations_supplier_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bid_invitations")),
        sa.UniqueConstraint("need_id", "supplier_org_id", name=op.f("uq_bid_invitations_need_id")),
    )
    with op.batch_alter_table("bid_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bid_invitations_need_id"), ["need_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bid_invitations_supplier_org_id"), ["supplier_org_id"], unique=False
        )

    op.create_table(
        "bids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("supplier_org_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("submitted", "withdrawn", name="bidstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("approach", sa.Text(), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("timeline", sa.JSON(), nullable=False),
        sa.Column("price_total", sa.Integer(), nullable=False),
        sa.Column("price_subsidy", sa.Integer(), nullable=False),
        sa.Column("price_copay", sa.Integer(), nullable=False),
        sa.Column("case_study_ids", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("shortlisted", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_bids_need_id_needs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_org_id"],
            ["organizations.id"],
            name=op.f("fk_bids_supplier_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bids")),
        sa.UniqueConstraint("need_id", "supplier_org_id", name=op.f("uq_bids_need_id")),
    )
    with op.batch_alter_table("bids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bids_need_id"), ["need_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_bids_supplier_org_id"), ["supplier_org_id"], unique=False
        )

    op.create_table(
        "clarifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_org_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_clarifications_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_id"], ["users.id"], name=op.f("fk_clarifications_asked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_org_id"],
            ["organizations.id"],
            name=op.f("fk_clarifications_asked_by_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_clarifications_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clarifications")),
    )
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clarifications_need_id"), ["need_id"], unique=False)

    op.create_table(
        "match_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("supplier_org_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "accepted",
                "declined",
                name="proposalstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_match_proposals_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_match_proposals_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_match_proposals_proposed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_org_id"],
            ["organizations.id"],
            name=op.f("fk_match_proposals_supplier_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposals")),
        sa.UniqueConstraint("need_id", "supplier_org_id", name=op.f("uq_match_proposals_need_id")),
    )
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_proposals_need_id"), ["need_id"], unique=False)

    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("supplier_org_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "approved", "rejected", name="awardstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("selected_by_id", sa.Integer(), nullable=True),
        sa.Column("selected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bid_id"], ["bids.id"], name=op.f("fk_awards_bid_id_bids")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_awards_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_awards_need_id_needs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["selected_by_id"], ["users.id"], name=op.f("fk_awards_selected_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_org_id"],
            ["organizations.id"],
            name=op.f("fk_awards_supplier_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awards")),
    )
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awards_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_awards_status"), ["status"], unique=False)

    op.create_table(
        "bid_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["bids.id"], name=op.f("fk_bid_versions_bid_id_bids"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_bid_versions_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bid_versions")),
        sa.UniqueConstraint("bid_id", "number", name=op.f("uq_bid_versions_bid_id")),
    )
    with op.batch_alter_table("bid_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bid_versions_bid_id"), ["bid_id"], unique=False)

    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("supplier_org_id", sa.Integer(), nullable=False),
        sa.Column("manufacturer_org_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "consulting",
                "design",
                "demonstration",
                "deployment",
                "closed",
                "cancelled",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_engagements_award_id_awards")
        ),
        sa.ForeignKeyConstraint(
            ["manufacturer_org_id"],
            ["organizations.id"],
            name=op.f("fk_engagements_manufacturer_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_engagements_need_id_needs")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["match_proposals.id"],
            name=op.f("fk_engagements_proposal_id_match_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_org_id"],
            ["organizations.id"],
            name=op.f("fk_engagements_supplier_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint("need_id", name=op.f("uq_engagements_need_id")),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagements_manufacturer_org_id"), ["manufacturer_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_engagements_stage"), ["stage"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_engagements_supplier_org_id"), ["supplier_org_id"], unique=False
        )

    op.create_table(
        "engagement_kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("baseline", sa.Double(), nullable=True),
        sa.Column("target", sa.Double(), nullable=True),
        sa.Column("acceptance", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_kpis_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_kpis")),
    )
    with op.batch_alter_table("engagement_kpis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_kpis_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "engagement_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_engagement_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_notes_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_engagement_notes_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_notes")),
    )
    with op.batch_alter_table("engagement_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_notes_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "engagement_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "consulting",
                "design",
                "demonstration",
                "deployment",
                "closed",
                "cancelled",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_stages_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_stages_signed_off_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_stages")),
        sa.UniqueConstraint(
            "engagement_id", "stage", name=op.f("uq_engagement_stages_engagement_id")
        ),
    )
    with op.batch_alter_table("engagement_stages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_stages_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "consulting",
                "design",
                "demonstration",
                "deployment",
                "closed",
                "cancelled",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("deliverable", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"], ["users.id"], name=op.f("fk_milestones_accepted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_milestones_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestones_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("author_org_id", sa.Integer(), nullable=False),
        sa.Column("subject_org_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_org_id"],
            ["organizations.id"],
            name=op.f("fk_reviews_author_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_reviews_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_org_id"],
            ["organizations.id"],
            name=op.f("fk_reviews_subject_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint(
            "engagement_id", "author_org_id", name=op.f("uq_reviews_engagement_id")
        ),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reviews_engagement_id"), ["engagement_id"], unique=False
        )

    op.create_table(
        "kpi_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(
                "demonstration",
                "deployment",
                "follow_up",
                name="resultphase",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kpi_id"],
            ["engagement_kpis.id"],
            name=op.f("fk_kpi_results_kpi_id_engagement_kpis"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_kpi_results_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_kpi_results_verified_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_results")),
        sa.UniqueConstraint("kpi_id", "phase", name=op.f("uq_kpi_results_kpi_id")),
    )
    with op.batch_alter_table("kpi_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_results_kpi_id"), ["kpi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kpi_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_results_kpi_id"))

    op.drop_table("kpi_results")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_engagement_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_engagement_id"))

    op.drop_table("milestones")
    with op.batch_alter_table("engagement_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_stages_engagement_id"))

    op.drop_table("engagement_stages")
    with op.batch_alter_table("engagement_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_notes_engagement_id"))

    op.drop_table("engagement_notes")
    with op.batch_alter_table("engagement_kpis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_kpis_engagement_id"))

    op.drop_table("engagement_kpis")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagements_supplier_org_id"))
        batch_op.drop_index(batch_op.f("ix_engagements_stage"))
        batch_op.drop_index(batch_op.f("ix_engagements_manufacturer_org_id"))

    op.drop_table("engagements")
    with op.batch_alter_table("bid_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bid_versions_bid_id"))

    op.drop_table("bid_versions")
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awards_status"))
        batch_op.drop_index(batch_op.f("ix_awards_need_id"))

    op.drop_table("awards")
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_proposals_need_id"))

    op.drop_table("match_proposals")
    with op.batch_alter_table("clarifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clarifications_need_id"))

    op.drop_table("clarifications")
    with op.batch_alter_table("bids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bids_supplier_org_id"))
        batch_op.drop_index(batch_op.f("ix_bids_need_id"))

    op.drop_table("bids")
    with op.batch_alter_table("bid_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bid_invitations_supplier_org_id"))
        batch_op.drop_index(batch_op.f("ix_bid_invitations_need_id"))

    op.drop_table("bid_invitations")
    op.drop_table("idempotency_keys")
