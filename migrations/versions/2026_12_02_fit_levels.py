"""fit levels: saved searches keep a minimum level, rounds may fill empty places

Saved searches' numeric thresholds (a 0..1 similarity on which a near-identical need
scored about 0.4, so the old default 0.5 never fired) become levels: up to 0.5 -> low (the
minimum fit, the new default), up to 0.8 -> medium, above -> high. The downgrade maps low,
medium and high back to 0.5, 0.7 and 0.9.

Revision ID: 2026_12_02_fit_levels
Revises: 2026_12_02_need_specialties
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_02_fit_levels"
down_revision: str | None = "2026_12_02_need_specialties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVEL_OF = "CASE WHEN threshold > 0.8 THEN 'high' WHEN threshold > 0.5 THEN 'medium' ELSE 'low' END"
THRESHOLD_OF = "CASE min_level WHEN 'high' THEN 0.9 WHEN 'medium' THEN 0.7 ELSE 0.5 END"


def upgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fill_empty", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_level", sa.String(length=8), nullable=False, server_default="low")
        )
    op.execute(f"UPDATE saved_searches SET min_level = {LEVEL_OF}")
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.drop_column("threshold")
    _drop_server_defaults()


def _drop_server_defaults() -> None:
    """The models give the defaults; `alembic check` compares without server defaults."""
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.alter_column("fill_empty", server_default=None)
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.alter_column("min_level", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("threshold", sa.Double(), nullable=False, server_default="0.5")
        )
    op.execute(f"UPDATE saved_searches SET threshold = {THRESHOLD_OF}")
    with op.batch_alter_table("saved_searches", schema=None) as batch_op:
        batch_op.alter_column("threshold", server_default=None)
        batch_op.drop_column("min_level")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_column("fill_empty")
