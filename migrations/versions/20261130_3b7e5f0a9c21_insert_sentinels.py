"""insert sentinels: several order items, tasks or outbox messages inserted by one statement on SQLite too

Revision ID: 3b7e5f0a9c21
Revises: 9c4e7a1d2f60
Create Date: 2026-11-30 02:40:00

The ORM inserts the rows of one table written by one flush by one ``INSERT … RETURNING id`` only when it can
tell which returned id belongs to which object. PostgreSQL can (ids drawn in the order of a sorted SELECT);
SQLite cannot, and SQLAlchemy falls back to one INSERT a row there unless the table has a sentinel column the
batch writes each row's place into (xietong.core.models.sentinel_column). A nullable column without a default:
an ALTER TABLE ADD COLUMN that neither database rewrites the table for.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3b7e5f0a9c21'
down_revision: Union[str, Sequence[str], None] = '9c4e7a1d2f60'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('order_item', 'order_task', 'outbox_message')


def upgrade() -> None:
    """Upgrade schema."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sentinel', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sentinel')
