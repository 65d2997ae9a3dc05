"""needs carry the specialty fields they want

Revision ID: 2026_12_02_need_specialties
Revises: 2026_11_25_workbench
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_02_need_specialties"
down_revision: str | None = "2026_11_25_workbench"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Specialty-field codes of app/vocab.py (SPECIALTIES); existing needs ask for none.
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("specialties", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("specialties")
