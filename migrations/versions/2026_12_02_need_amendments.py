"""need amendments: published needs change by numbered addenda; bids record the addendum
they were made or confirmed against

`needs.amendment` is the latest addendum's number (0: as published) and `needs.confirm_from`
the number of the latest one that changed budget, deadline, KPIs or requirements; a bid whose
`need_amendment` is below it was made against an older version and waits for confirmation.

Revision ID: 2026_12_02_need_amendments
Revises: 2026_12_02_accounts
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_02_need_amendments"
down_revision: str | None = "2026_12_02_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (("needs", "amendment"), ("needs", "confirm_from"), ("bids", "need_amendment"))


def upgrade() -> None:
    op.create_table(
        "need_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reopens", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_need_amendments_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_need_amendments_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_amendments")),
        sa.UniqueConstraint("need_id", "number", name=op.f("uq_need_amendments_need_id")),
    )
    for table, column in COUNTERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    for table, column in COUNTERS:  # the models give the default
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    for table, column in reversed(COUNTERS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    op.drop_table("need_amendments")
