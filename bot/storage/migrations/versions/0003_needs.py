"""Add needs, need versions, needs-assessment rounds and round invitations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 11:53:04.126094
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('needs_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('convention', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('needs_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_round_status'), ['status'], unique=False)

    op.create_table('round_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('focal_point_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['focal_point_id'], ['focal_point.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['needs_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'focal_point_id')
    )
    with op.batch_alter_table('round_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_invitation_focal_point_id'), ['focal_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_invitation_round_id'), ['round_id'], unique=False)

    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('focal_point_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('conventions', sa.JSON(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('other_area', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.Column('priority', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('timeframe', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('earliest_start', sa.Date(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('withdrawn_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('draft_offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['channel_account.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['focal_point_id'], ['focal_point.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['needs_round.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_focal_point_id'), ['focal_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_updated_at'), ['updated_at'], unique=False)

    op.create_table('need_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('need_id', 'version')
    )
    with op.batch_alter_table('need_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_version_need_id'), ['need_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('need_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_version_need_id'))

    op.drop_table('need_version')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_updated_at'))
        batch_op.drop_index(batch_op.f('ix_need_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_need_status'))
        batch_op.drop_index(batch_op.f('ix_need_round_id'))
        batch_op.drop_index(batch_op.f('ix_need_region'))
        batch_op.drop_index(batch_op.f('ix_need_focal_point_id'))
        batch_op.drop_index(batch_op.f('ix_need_country'))
        batch_op.drop_index(batch_op.f('ix_need_account_id'))

    op.drop_table('need')
    with op.batch_alter_table('round_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_invitation_round_id'))
        batch_op.drop_index(batch_op.f('ix_round_invitation_focal_point_id'))

    op.drop_table('round_invitation')
    with op.batch_alter_table('needs_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_round_status'))

    op.drop_table('needs_round')
