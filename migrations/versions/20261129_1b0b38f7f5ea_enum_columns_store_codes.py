"""enum columns store ASCII codes (the member names) instead of their Chinese words

Stages, payment methods, departments, task states, complaint status, web token kinds and field people's
kinds were stored as the
Chinese words people read; they become the enum members' names (codes), and the words stay in the code as the
members' values (labels). Existing rows are converted both ways.

PostgreSQL enforces VARCHAR lengths, so the columns are widened before the codes are written (and narrowed
after the words are back on downgrade). SQLite ignores the length; a batch rebuild of sales_order would drop a
table other rows reference (foreign keys are on during migrations), so on SQLite only the declared type text
is updated, with the procedure SQLite documents for changes that leave the stored data as it is
(https://sqlite.org/lang_altertable.html#otheralter, writable_schema + schema_version).

Revision ID: 1b0b38f7f5ea
Revises: ca7a392684ec
Create Date: 2026-11-29 19:40:00.000000

"""
import re
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '1b0b38f7f5ea'
down_revision: Union[str, Sequence[str], None] = 'ca7a392684ec'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# table, column, enum name, {word: code}, length with words, length with codes
COLUMNS = [
    ("sales_order", "payment", "paymentmethod", {"款到发货": "prepaid", "货到付款": "cod", "月结": "monthly"}, 8, 11),
    ("sales_order", "stage", "stage", {
        "处理中": "processing", "可开单": "ready", "已开单": "slipped", "已发货": "shipped", "已到货": "delivered",
        "已结清": "settled", "已取消": "cancelled"}, 7, 14),
    ("order_task", "department", "department", {"车间": "workshop", "财务": "finance", "物流": "logistics"}, 6, 13),
    ("order_task", "state", "taskstate", {"待回复": "pending", "已完成": "done", "有问题": "problem"}, 7, 11),
    ("complaint", "status", "complaintstatus", {"待处理": "open", "已处理": "closed"}, 7, 10),
    ("web_token", "kind", "tokenkind", {"链接": "link", "会话": "session"}, 6, 11),
    ("field_person", "kind", "personkind", {"业务员": "salesperson", "区域经理": "manager"}, 8, 15),
]


def _retype(table: str, column: str, values: list[str], name: str, old: int, new: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_length(table, column, new)
        return
    with op.batch_alter_table(table) as batch_op:
        batch_op.alter_column(column, existing_type=sa.VARCHAR(length=old), existing_nullable=False,
                              type_=sa.Enum(*values, name=name, native_enum=False, length=new))


def _sqlite_length(table: str, column: str, length: int) -> None:
    bind = op.get_bind()
    sql = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}).scalar()
    changed, count = re.subn(rf'(["`\[]?\b{column}\b["`\]]?\s+VARCHAR)\(\d+\)', rf"\g<1>({length})", sql, count=1)
    if not count:
        raise RuntimeError(f"{table}.{column}: VARCHAR column not found in {sql!r}")
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
                 {"sql": changed, "t": table})
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def _rename(table: str, column: str, pairs: dict[str, str]) -> None:
    for old, new in pairs.items():
        op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(new=new, old=old))


def upgrade() -> None:
    for table, column, name, words, old, new in COLUMNS:
        _retype(table, column, list(words.values()), name, old, new)
        _rename(table, column, words)


def downgrade() -> None:
    for table, column, name, words, old, new in COLUMNS:
        _rename(table, column, {code: word for word, code in words.items()})
        _retype(table, column, list(words), name, new, old)
