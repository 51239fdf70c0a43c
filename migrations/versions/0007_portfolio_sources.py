"""portfolio sources: rows of each paste or file, how their columns are read

Each managers' list keeps the pastes and files it was made from (their rows, which row is the header and
what each column holds) so a manager can change how the columns are read; each row of the list knows its
source, its line there, and the cells of the columns it carries into the exports.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 13:44:50.825166

"""
from alembic import op
import sqlalchemy as sa

import app.extensions


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portfolio_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('paste', 'file', name='portfolio_source_kind', native_enum=False, length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('header_line', sa.Integer(), nullable=True),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('created_at', app.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_portfolio_sources_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_sources'))
    )
    with op.batch_alter_table('portfolio_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_sources_portfolio_id'), ['portfolio_id'], unique=False)

    with op.batch_alter_table('portfolio_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('line', sa.Integer(), nullable=True))
        # Rows of lists made before this revision keep no cells.
        batch_op.add_column(sa.Column('kept', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_portfolio_entries_source_id'), ['source_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_portfolio_entries_source_id_portfolio_sources'), 'portfolio_sources', ['source_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('portfolio_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_portfolio_entries_source_id_portfolio_sources'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_portfolio_entries_source_id'))
        batch_op.drop_column('kept')
        batch_op.drop_column('line')
        batch_op.drop_column('source_id')

    with op.batch_alter_table('portfolio_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_sources_portfolio_id'))

    op.drop_table('portfolio_sources')
