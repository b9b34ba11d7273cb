"""roster version: changed with every change of member_role

Revision ID: 9c4e7a1d2f60
Revises: 5e1f0c2a9d3b
Create Date: 2026-11-29 23:49:44

Each process keeps the roster in memory for the access gate (xietong.core.roster_cache) and checks it against
this one row, read with every message's dedupe check. Triggers set it to a new random number in the same
transaction as any insert, update or delete of member_role (the bot's /设岗 and /撤岗, the console, manage.py,
hand-written SQL alike): another process sees the change as soon as it commits, never before. Random rather
than counted, so a restored backup or an emptied table can never bring back a number a cache was read at.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '9c4e7a1d2f60'
down_revision: Union[str, Sequence[str], None] = '5e1f0c2a9d3b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The row is written back if it was deleted (an emptied database), so a change is never lost.
_SQLITE_BUMP = ("INSERT INTO roster_version (id, version) VALUES (1, random()) "
                "ON CONFLICT (id) DO UPDATE SET version = excluded.version")
_POSTGRES_FUNCTION = """
CREATE FUNCTION roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_version (id, version) VALUES (1, (random() * 9.2e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
    RETURN NULL;
END
$$"""


def upgrade() -> None:
    op.create_table('roster_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO roster_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":  # row triggers only, one per kind of change
        for change in ("insert", "update", "delete"):
            op.execute(f"CREATE TRIGGER roster_changed_on_{change} AFTER {change.upper()} ON member_role "
                       f"BEGIN {_SQLITE_BUMP}; END")
    else:
        op.execute(_POSTGRES_FUNCTION)
        op.execute("CREATE TRIGGER roster_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON member_role "
                   "FOR EACH STATEMENT EXECUTE FUNCTION roster_changed()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for change in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER roster_changed_on_{change}")
    else:
        op.execute("DROP TRIGGER roster_changed ON member_role")
        op.execute("DROP FUNCTION roster_changed()")
    op.drop_table('roster_version')
