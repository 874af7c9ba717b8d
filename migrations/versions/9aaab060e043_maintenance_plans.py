"""Maintenance plans: the plan with its strengthening table, its workflow's steps, its tasks and
the progress reported on it

Revision ID: 9aaab060e043
Revises: 1b6969ae2465
Create Date: 2026-11-23 17:26:32.460844

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9aaab060e043'
down_revision = '1b6969ae2465'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('label_id', sa.Integer(), nullable=True),
    sa.Column('goals', sa.String(length=2000), nullable=False),
    sa.Column('methods', sa.String(length=200), nullable=False),
    sa.Column('measures', sa.String(length=2000), nullable=False),
    sa.Column('people', sa.String(length=200), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('comments', sa.String(length=4000), nullable=False),
    sa.Column('achievements', sa.String(length=2000), nullable=False),
    sa.Column('problems', sa.String(length=2000), nullable=False),
    sa.Column('improvements', sa.String(length=2000), nullable=False),
    sa.Column('next_steps', sa.String(length=2000), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'reviewed', 'returned', 'approved', 'in_progress', 'closed')", name=op.f('ck_plans_status')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_plans_period')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_plans_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['label_id'], ['client_labels.id'], name=op.f('fk_plans_label_id_client_labels'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_plans_status', ['status'], unique=False)

    op.create_table('plan_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('person', sa.String(length=64), nullable=False),
    sa.Column('influence', sa.String(length=200), nullable=False),
    sa.Column('competitor_relation', sa.String(length=200), nullable=False),
    sa.Column('our_person_id', sa.Integer(), nullable=True),
    sa.Column('measures', sa.String(length=200), nullable=False),
    sa.Column('schedule', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.String(length=200), nullable=False),
    sa.CheckConstraint("level IN ('general_manager', 'deputy', 'department_manager', 'department_supervisor')", name=op.f('ck_plan_levels_level')),
    sa.ForeignKeyConstraint(['our_person_id'], ['users.id'], name=op.f('fk_plan_levels_our_person_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_levels_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_levels'))
    )
    with op.batch_alter_table('plan_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_levels_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('week_of', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_plan_progress_author_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_progress_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_progress'))
    )
    with op.batch_alter_table('plan_progress', schema=None) as batch_op:
        batch_op.create_index('ix_plan_progress_author_week', ['author_id', 'week_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_progress_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=10), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=False),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("step IN ('submit', 'review', 'return', 'approve', 'start', 'close')", name=op.f('ck_plan_steps_step')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_plan_steps_actor_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_steps_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_steps'))
    )
    with op.batch_alter_table('plan_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_steps_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('feedback', sa.String(length=2000), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_plan_tasks_status')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_plan_tasks_assignee_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_tasks_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_tasks'))
    )
    with op.batch_alter_table('plan_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_plan_tasks_assignee_open', ['assignee_id', 'status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_tasks_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_tasks_plan_id'))
        batch_op.drop_index('ix_plan_tasks_assignee_open')

    op.drop_table('plan_tasks')
    with op.batch_alter_table('plan_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_steps_plan_id'))

    op.drop_table('plan_steps')
    with op.batch_alter_table('plan_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_progress_plan_id'))
        batch_op.drop_index('ix_plan_progress_author_week')

    op.drop_table('plan_progress')
    with op.batch_alter_table('plan_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_levels_plan_id'))

    op.drop_table('plan_levels')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index('ix_plans_status')
        batch_op.drop_index(batch_op.f('ix_plans_client_id'))

    op.drop_table('plans')
