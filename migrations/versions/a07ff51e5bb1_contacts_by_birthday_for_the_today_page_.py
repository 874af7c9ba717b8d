"""Contacts by birthday, for the today page's week and the daily greetings (the contacts born on
given days and their clients, from the index: the today page read every contact)

Revision ID: a07ff51e5bb1
Revises: 5277e30634aa
Create Date: 2026-12-04 19:06:10

"""
import sqlalchemy as sa
from alembic import op

revision = 'a07ff51e5bb1'
down_revision = '5277e30634aa'
branch_labels = None
depends_on = None

HAS_BIRTHDAY = sa.text('birth_month IS NOT NULL')


def upgrade():
    op.create_index('ix_contacts_birthday', 'contacts',
                    ['birth_month', 'birth_day', 'birthday_calendar', 'client_id'], sqlite_where=HAS_BIRTHDAY,
                    postgresql_where=HAS_BIRTHDAY)


def downgrade():
    op.drop_index('ix_contacts_birthday', table_name='contacts')
