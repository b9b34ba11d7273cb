"""outbox: refusal streak (set aside after XIETONG_SEND_GIVE_UP); when QQ last connected

Revision ID: c15a0d1e7e01
Revises: 71f581387683
Create Date: 2026-11-29 18:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401
import xietong.core.types  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = 'c15a0d1e7e01'
down_revision: Union[str, Sequence[str], None] = '71f581387683'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'qq_connection',
        sa.Column('self_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('connected_at', xietong.core.types.UTCDateTime(), nullable=False),
        sa.Column('seen_at', xietong.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('self_id'),
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refused_since', xietong.core.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('refused_since')
    op.drop_table('qq_connection')
