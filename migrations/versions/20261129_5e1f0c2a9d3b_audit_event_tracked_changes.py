"""audit events carry tracked field changes

Revision ID: 5e1f0c2a9d3b
Revises: 1b0b38f7f5ea
Create Date: 2026-11-29 21:40:00

Field changes of a tracked model (xietong.core.tracking) are stored structured, old and new as shown; the
/订单 timeline words them. Older rows keep their words in ``detail`` and read as before.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5e1f0c2a9d3b'
down_revision: Union[str, Sequence[str], None] = '1b0b38f7f5ea'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Older versions read only ``detail``: the changes are folded into it, worded as the timeline words them."""
    from xietong.orders.messages import event_detail  # this version's timeline

    audit = sa.table('audit_event', sa.column('id'), sa.column('detail'), sa.column('changes', sa.JSON()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(audit.c.id, audit.c.detail, audit.c.changes).where(audit.c.changes.isnot(None)))
    for id_, detail, changes in rows.all():
        worded = event_detail(detail, changes)
        if worded != detail:
            connection.execute(audit.update().where(audit.c.id == id_).values(detail=worded))
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('changes')
