"""money: agreements (versioned, confirmed by both parties) and payment tranches, in won

Revision ID: 2026_12_03_money_agreements
Revises: 2026_12_03_files_attachments
Create Date: 2026-12-03 14:00:00

Every existing engagement gets a first agreement version with its bid's price (the bid is in
만원, the agreement in won); none is confirmed, so engagements still in consulting wait for
both parties before the gate into design opens.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_03_money_agreements"
down_revision: str | None = "2026_12_03_files_attachments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
INSERT INTO agreements (engagement_id, number, scope, price_total, price_subsidy, price_copay,
    schedule, kpis, programme, reference, created_at)
SELECT e.id, 1, COALESCE(b.approach, ''), COALESCE(b.price_total, 0) * 10000,
    COALESCE(b.price_subsidy, 0) * 10000, COALESCE(b.price_copay, 0) * 10000,
    '[]', '[]', '', '', e.created_at
FROM engagements e
LEFT JOIN awards a ON a.id = e.award_id
LEFT JOIN bids b ON b.id = a.bid_id
"""


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("price_total", sa.BigInteger(), nullable=False),
        sa.Column("price_subsidy", sa.BigInteger(), nullable=False),
        sa.Column("price_copay", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("programme", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supplier_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supplier_confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("manufacturer_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manufacturer_confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_agreements_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_agreements_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_agreements_supplier_confirmed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["manufacturer_confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_agreements_manufacturer_confirmed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("engagement_id", "number", name=op.f("uq_agreements_engagement_id")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreements_engagement_id"), ["engagement_id"], unique=False
        )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("subsidy", "copay", name="paymentkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_payments_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestones.id"], name=op.f("fk_payments_milestone_id_milestones")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_payments_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payments_engagement_id"), ["engagement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payments_milestone_id"), ["milestone_id"], unique=False
        )
    op.execute(sa.text(BACKFILL))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM attachments WHERE owner_kind IN ('agreement', 'payment')"))
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_payments_engagement_id"))
    op.drop_table("payments")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_engagement_id"))
    op.drop_table("agreements")
