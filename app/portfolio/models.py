"""A building manager's saved list of addresses, reached by a private signed link."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, string_enum
from app.portfolio.parsing import LineStatus, SourceKind
from app.timeutil import utcnow

PUBLIC_ID_BYTES = 16


def new_public_id() -> str:
    """A random, unguessable id (128 bits); links carry it signed."""
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


class Portfolio(db.Model):
    """One checked list; a draft until the manager saves it (saved_at)."""

    __tablename__ = "portfolios"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200), default="")
    saved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    entries: Mapped[list["PortfolioEntry"]] = relationship(
        back_populates="portfolio", order_by="PortfolioEntry.position", cascade="all, delete-orphan"
    )
    sources: Mapped[list["PortfolioSource"]] = relationship(
        back_populates="portfolio", order_by="PortfolioSource.id", cascade="all, delete-orphan"
    )


class PortfolioSource(db.Model):
    """One paste or file the list was made from: its rows as read, and how its columns are read.

    The rows are kept so the manager can change how the columns are read (app.tabular.columns.Role per
    column, which row is the header) and have the same rows read again.
    """

    __tablename__ = "portfolio_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SourceKind] = mapped_column(string_enum(SourceKind, "portfolio_source_kind", length=10))
    filename: Mapped[str] = mapped_column(String(255), default="")
    header_line: Mapped[int | None]
    roles: Mapped[list] = mapped_column(JSON, default=list)  # [role, …] per column (Role values)
    rows: Mapped[list] = mapped_column(JSON, default=list)  # [[line, [cell, …]], …]: every non-blank row
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    portfolio: Mapped[Portfolio] = relationship(back_populates="sources")


class PortfolioEntry(db.Model):
    """One line the manager gave us, and which building it turned out to be."""

    __tablename__ = "portfolio_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    typed: Mapped[str] = mapped_column(String(200))
    status: Mapped[LineStatus] = mapped_column(string_enum(LineStatus, "portfolio_entry_status"))
    address_code: Mapped[str | None] = mapped_column(ForeignKey("addresses.code"))
    # [[code, label], …]: what the manager may pick from for ambiguous and street_only rows
    candidates: Mapped[list] = mapped_column(JSON, default=list)
    # The paste or file the line came from, and where in it; None for lines of lists made before sources.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio_sources.id", ondelete="CASCADE"), index=True)
    line: Mapped[int | None]
    kept: Mapped[list] = mapped_column(JSON, default=list)  # [[column, text], …]: the source's kept cells

    portfolio: Mapped[Portfolio] = relationship(back_populates="entries")
