"""stay-in-touch rhythms per tier

A rhythm a manager had set for a stage becomes that stage's rhythm for every tier.

Revision ID: bb27b91bf8c4
Revises: a018b044ded1
Create Date: 2026-11-23 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb27b91bf8c4'
down_revision = 'a018b044ded1'
branch_labels = None
depends_on = None

settings = sa.table('settings', sa.column('key', sa.String), sa.column('value', sa.String),
                    sa.column('updated_by_id', sa.Integer), sa.column('updated_at', sa.DateTime))
STAGES = ('prospect', 'customer')
TIERS = ('general', 'important', 'key')


def upgrade():
    connection = op.get_bind()
    for stage in STAGES:
        old_key = f'rhythm.{stage}_days'
        row = connection.execute(sa.select(settings).where(settings.c.key == old_key)).mappings().first()
        if row is None:
            continue
        connection.execute(settings.insert(), [
            {'key': f'{old_key}.{tier}', 'value': row['value'], 'updated_by_id': row['updated_by_id'],
             'updated_at': row['updated_at']} for tier in TIERS])
        connection.execute(settings.delete().where(settings.c.key == old_key))


def downgrade():
    # The general tier's rhythm stands for the stage again.
    connection = op.get_bind()
    for stage in STAGES:
        old_key = f'rhythm.{stage}_days'
        row = connection.execute(sa.select(settings).where(settings.c.key == f'{old_key}.general')
                                 ).mappings().first()
        if row is not None:
            connection.execute(settings.insert(), [{'key': old_key, 'value': row['value'],
                                                    'updated_by_id': row['updated_by_id'],
                                                    'updated_at': row['updated_at']}])
        connection.execute(settings.delete().where(settings.c.key.in_([f'{old_key}.{t}' for t in TIERS])))
