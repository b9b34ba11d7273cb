"""ledger kinds as codes, refunds and transfers, cancelled_at; receivables start at the slip

Data moved to the new rules (issue 14):
* ledger kinds were stored as Chinese words; they become ASCII codes (words in finance/messages.py);
* a cancelled order's cancellation time comes from its 撤单 audit event (else its last update): the money it
  holds is the customer's balance from then on;
* a receivable starts at the slip: an unslipped order has no due date (款到发货 used to be due from intake),
  and a slipped 款到发货 order is due on its slip day.

Revision ID: 0eb1dbb1121c
Revises: c15a0d1e7e01
Create Date: 2026-11-29 18:21:56.759659

"""
from typing import Sequence, Union

from contextlib import contextmanager
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401
import xietong.core.types  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0eb1dbb1121c'
down_revision: Union[str, Sequence[str], None] = 'c15a0d1e7e01'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = {"收款": "payment", "代收入账": "cod", "冲销": "reversal"}


entries = sa.table("ledger_entry", sa.column("id", sa.Integer()), sa.column("reverses_id", sa.Integer()))


@contextmanager
def _self_references_lifted():
    """SQLite rebuilds ledger_entry (batch mode) and drops the old table: with foreign keys on, rows that
    reference each other (reverses_id) would fail that DROP. The references are lifted and put back after."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    pairs = bind.execute(sa.select(entries.c.id, entries.c.reverses_id).where(entries.c.reverses_id.is_not(None))).all()
    bind.execute(entries.update().values(reverses_id=None))
    yield
    for entry_id, reverses_id in pairs:
        bind.execute(entries.update().where(entries.c.id == entry_id).values(reverses_id=reverses_id))


def upgrade() -> None:
    with _self_references_lifted(), op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counterpart_id', sa.Integer(), nullable=True))
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=8),
               type_=sa.Enum('payment', 'cod', 'reversal', 'refund', 'transfer_out', 'transfer_in', name='entrykind', native_enum=False, length=16),
               existing_nullable=False)
        batch_op.create_foreign_key('fk_ledger_counterpart', 'ledger_entry', ['counterpart_id'], ['id'])

    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', xietong.core.types.UTCDateTime(timezone=True), nullable=True))

    for word, code in KINDS.items():
        op.execute(sa.text("UPDATE ledger_entry SET kind = :code WHERE kind = :word").bindparams(code=code, word=word))
    op.execute(sa.text(
        "UPDATE sales_order SET cancelled_at = COALESCE((SELECT MAX(a.at) FROM audit_event a "
        "WHERE a.subject = sales_order.number AND a.action = '撤单'), updated_at) WHERE stage = '已取消'"
    ))
    op.execute(sa.text("UPDATE sales_order SET receivable_due = NULL WHERE slip_at IS NULL"))
    orders = sa.table(
        "sales_order", sa.column("id", sa.Integer()), sa.column("payment", sa.String()),
        sa.column("slip_at", xietong.core.types.UTCDateTime(timezone=True)), sa.column("receivable_due", sa.Date()),
    )
    bind = op.get_bind()
    slipped = bind.execute(
        sa.select(orders.c.id, orders.c.slip_at).where(orders.c.payment == "款到发货", orders.c.slip_at.is_not(None))
    ).all()
    for order_id, slip_at in slipped:
        day = slip_at.astimezone(SHANGHAI).date()
        bind.execute(orders.update().where(orders.c.id == order_id).values(receivable_due=day))


def downgrade() -> None:
    for word, code in KINDS.items():
        op.execute(sa.text("UPDATE ledger_entry SET kind = :word WHERE kind = :code").bindparams(code=code, word=word))
    newer = op.get_bind().execute(sa.text(
        "SELECT COUNT(*) FROM ledger_entry WHERE kind NOT IN ('收款', '代收入账', '冲销')"
    )).scalar()
    if newer:  # refunds and transfers have no place in the old ledger: dropping them would lose money
        raise RuntimeError(f"{newer} refund/transfer ledger entries exist: this revision cannot be downgraded")
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')

    with _self_references_lifted(), op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_ledger_counterpart', type_='foreignkey')
        batch_op.alter_column('kind',
               existing_type=sa.Enum('payment', 'cod', 'reversal', 'refund', 'transfer_out', 'transfer_in', name='entrykind', native_enum=False, length=16),
               type_=sa.VARCHAR(length=8),
               existing_nullable=False)
        batch_op.drop_column('counterpart_id')
