"""programme integrity: gate overrides, membership review dates, bidding ended early

- engagements: the coordinator's written reason for moving to deployment although the
  demonstration missed its targets (who, when), shown and counted apart;
- supplier_profiles: the date after which an admitted supplier is re-checked; rejected
  applications, stored until now as "suspended", become "rejected" (the state the audit log
  says they are in: their last membership entry is "membership.rejected");
- needs: when and why a coordinator ended the bidding early to propose a supplier.

The downgrade drops the columns and stores rejected and expired suppliers as suspended again.

Revision ID: 2026_12_02_programme_integrity
Revises: 2026_12_02_need_amendments
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_02_programme_integrity"
down_revision: str | None = "2026_12_02_need_amendments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LAST_MEMBERSHIP_ENTRY = """
    SELECT a.action FROM audit_log a
    WHERE a.entity_type = 'supplier_profiles' AND a.entity_id = supplier_profiles.id
      AND a.action LIKE 'membership.%'
    ORDER BY a.created_at DESC, a.id DESC LIMIT 1
"""


def upgrade() -> None:
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gate_override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("gate_override_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("gate_override_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_engagements_gate_override_by_id_users"),
            "users",
            ["gate_override_by_id"],
            ["id"],
        )
    with op.batch_alter_table("supplier_profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("membership_review_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bidding_ended_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("bidding_end_reason", sa.String(length=1000), nullable=True))
    op.execute(
        "UPDATE supplier_profiles SET membership = 'rejected' WHERE membership = 'suspended' "
        f"AND ({LAST_MEMBERSHIP_ENTRY}) = 'membership.rejected'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE supplier_profiles SET membership = 'suspended' "
        "WHERE membership IN ('rejected', 'expired')"
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("bidding_end_reason")
        batch_op.drop_column("bidding_ended_at")
    with op.batch_alter_table("supplier_profiles", schema=None) as batch_op:
        batch_op.drop_column("membership_review_at")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_engagements_gate_override_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("gate_override_at")
        batch_op.drop_column("gate_override_by_id")
        batch_op.drop_column("gate_override_reason")
