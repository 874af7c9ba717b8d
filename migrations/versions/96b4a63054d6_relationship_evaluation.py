"""Relationship evaluation: versioned indicator sets with their indicators, and each evaluation of
a client with its scores against the version it was made with

Revision ID: 96b4a63054d6
Revises: 729be2519222
Create Date: 2026-11-23 17:59:57.650214

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '96b4a63054d6'
down_revision = '729be2519222'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('threshold_a', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('threshold_b', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('threshold_c', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('advice_a', sa.String(length=10), nullable=False),
    sa.Column('advice_b', sa.String(length=10), nullable=False),
    sa.Column('advice_c', sa.String(length=10), nullable=False),
    sa.Column('advice_d', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("advice_a IN ('maintain', 'improve', 'end')", name=op.f('ck_indicator_sets_advice_a')),
    sa.CheckConstraint("advice_b IN ('maintain', 'improve', 'end')", name=op.f('ck_indicator_sets_advice_b')),
    sa.CheckConstraint("advice_c IN ('maintain', 'improve', 'end')", name=op.f('ck_indicator_sets_advice_c')),
    sa.CheckConstraint("advice_d IN ('maintain', 'improve', 'end')", name=op.f('ck_indicator_sets_advice_d')),
    sa.CheckConstraint("status IN ('draft', 'approved', 'retired')", name=op.f('ck_indicator_sets_status')),
    sa.CheckConstraint('threshold_a > threshold_b AND threshold_b > threshold_c AND threshold_c >= 0', name=op.f('ck_indicator_sets_thresholds')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_indicator_sets_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_indicator_sets_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_sets'))
    )
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=False),
    sa.Column('advice', sa.String(length=10), nullable=False),
    sa.Column('advice_override', sa.String(length=300), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("advice IN ('maintain', 'improve', 'end')", name=op.f('ck_evaluations_advice')),
    sa.CheckConstraint("grade IN ('A', 'B', 'C', 'D')", name=op.f('ck_evaluations_grade')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_evaluations_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_evaluations_evaluator_id_users')),
    sa.ForeignKeyConstraint(['set_id'], ['indicator_sets.id'], name=op.f('fk_evaluations_set_id_indicator_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index('ix_evaluations_client_at', ['client_id', 'evaluated_at'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('guidance', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.CheckConstraint("source IN ('', 'purchases', 'satisfaction', 'complaints')", name=op.f('ck_indicators_source')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_indicators_weight')),
    sa.ForeignKeyConstraint(['set_id'], ['indicator_sets.id'], name=op.f('fk_indicators_set_id_indicator_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_set_id'), ['set_id'], unique=False)

    op.create_table('evaluation_scores',
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('basis', sa.String(length=300), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_evaluation_scores_range')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_scores_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_evaluation_scores_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('evaluation_id', 'indicator_id', name=op.f('pk_evaluation_scores'))
    )


def downgrade():
    op.drop_table('evaluation_scores')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_set_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluations_client_at')

    op.drop_table('evaluations')
    op.drop_table('indicator_sets')
