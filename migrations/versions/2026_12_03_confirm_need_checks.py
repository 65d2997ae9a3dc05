"""need checks: a new organisation's first need waits for a coordinator's check

- organizations.checked_at: when a coordinator first approved one of its needs; every
  organisation that exists now counts as checked (the rule is for newly registered ones);
- needs.status gains the value "awaiting_check" (a non-native enum: no schema change).

The downgrade sends waiting needs back to draft and drops the column.

Revision ID: 2026_12_03_confirm_need_checks
Revises: 2026_12_02_programme_integrity
Create Date: 2026-12-03 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_03_confirm_need_checks"
down_revision: str | None = "2026_12_02_programme_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE organizations SET checked_at = created_at")


def downgrade() -> None:
    op.execute("UPDATE needs SET status = 'draft' WHERE status = 'awaiting_check'")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("checked_at")
