"""A building manager's saved list of addresses, reached by a private signed link."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
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


class PortfolioEntry(db.Model):
    """One line the manager gave us, and which building it turned out to be."""

    __tablename__ = "portfolio_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    typed: Mapped[str] = mapped_column(String(200))
    # found | picked | ambiguous | street_only | not_found | outside_area (see services.RowStatus)
    status: Mapped[str] = mapped_column(String(20))
    address_code: Mapped[str | None] = mapped_column(ForeignKey("addresses.code"))
    # [[code, label], …]: what the manager may pick from for ambiguous and street_only rows
    candidates: Mapped[list] = mapped_column(JSON, default=list)

    portfolio: Mapped[Portfolio] = relationship(back_populates="entries")
