"""State columns refuse values their enum does not list (clients, access requests, articles)

Revision ID: e5a19c3f7d62
Revises: c2f0b7a45e18
Create Date: 2026-11-23 14:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a19c3f7d62'
down_revision = 'c2f0b7a45e18'
branch_labels = None
depends_on = None

# The values as they stood when this revision was written (crmweb.clients.rules).
ALLOWED = {
    'clients': {
        'stage': ('prospect', 'customer', 'lost'),
        'tier': ('general', 'important', 'key'),
        'kind': ('company', 'person'),
        'vip_status': ('none', 'eligible', 'applied', 'vip'),
    },
    'archive_access_requests': {'status': ('pending', 'approved', 'refused', 'revoked')},
    'kb_articles': {'status': ('draft', 'published', 'archived')},
}


def upgrade():
    for table, columns in ALLOWED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), sa.column(column).in_(values))


def downgrade():
    for table, columns in ALLOWED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
