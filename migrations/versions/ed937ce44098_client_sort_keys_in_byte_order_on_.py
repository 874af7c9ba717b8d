"""client sort keys in byte order on PostgreSQL

Revision ID: ed937ce44098
Revises: 352eb20df88c
Create Date: 2026-11-22 22:37:05.438983

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ed937ce44098'
down_revision = '352eb20df88c'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite compares bytes already; PostgreSQL used the database's locale for this column.
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("clients", "sort_key", type_=sa.String(200, collation="C"),
                        existing_type=sa.String(200), existing_nullable=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("clients", "sort_key", type_=sa.String(200),
                        existing_type=sa.String(200, collation="C"), existing_nullable=False)
