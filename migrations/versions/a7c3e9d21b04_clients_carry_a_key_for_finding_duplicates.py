"""Clients carry a key of their name for finding duplicates (有限公司 and 有限责任公司 alike)

Revision ID: a7c3e9d21b04
Revises: 8d41c07e2f55
Create Date: 2026-11-23 13:10:00

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9d21b04'
down_revision = '8d41c07e2f55'
branch_labels = None
depends_on = None


def company_key(name):
    # The rule as it stood when this revision was written (crmweb.clients.rules.company_key).
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"[\s()（）\[\]【】·.,，、\-_]+", "", text)
    return text.replace("有限责任公司", "有限公司")[:200]


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_clients_name_key'), ['name_key'], unique=False)
    bind = op.get_bind()
    clients = sa.table('clients', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('name_key', sa.String))
    rows = bind.execute(sa.select(clients.c.id, clients.c.name)).all()
    for start in range(0, len(rows), 1000):
        bind.execute(clients.update().where(clients.c.id == sa.bindparam('client_id'))
                     .values(name_key=sa.bindparam('key')),
                     [{'client_id': row.id, 'key': company_key(row.name)} for row in rows[start:start + 1000]])


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_name_key'))
        batch_op.drop_column('name_key')
