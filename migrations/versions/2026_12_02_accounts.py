"""accounts: password reset and e-mail verification tokens, consent, TOTP, 사업자등록번호

Users get e-mail verification, consent and second-factor columns; accounts that exist
before this revision (demo and seed users, invited users, staff) are marked verified, since
they proved their address by accepting an invitation or were made by an administrator.
Organisations get a unique business registration number (empty for the existing ones until
edited). Login attempts get a kind, so reset requests and second-factor codes are throttled
by the same table.

Revision ID: 2026_12_02_accounts
Revises: 2026_12_02_fit_levels
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_02_accounts"
down_revision: str | None = "2026_12_02_fit_levels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "reset",
                "verify",
                "second_factor",
                name="tokenpurpose",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_tokens_user_id_users"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    op.create_index(op.f("ix_account_tokens_user_id"), "account_tokens", ["user_id"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in ("email_verified_at", "consent_at", "password_changed_at", "totp_enabled_at"):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("consent_version", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("recovery_hashes", sa.JSON(), nullable=False, server_default="[]")
        )
    op.execute("UPDATE users SET email_verified_at = created_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("recovery_hashes", server_default=None)
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("business_number", sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_organizations_business_number"), ["business_number"]
        )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="login")
        )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_organizations_business_number"), type_="unique")
        batch_op.drop_column("business_number")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in (
            "recovery_hashes",
            "totp_last_step",
            "totp_secret",
            "consent_version",
            "totp_enabled_at",
            "password_changed_at",
            "consent_at",
            "email_verified_at",
        ):
            batch_op.drop_column(name)
    op.drop_index(op.f("ix_account_tokens_user_id"), table_name="account_tokens")
    op.drop_table("account_tokens")
