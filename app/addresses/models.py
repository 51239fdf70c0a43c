"""Streets and addresses keyed by their Registrų centras codes."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Street(db.Model):
    __tablename__ = "streets"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type_word: Mapped[str] = mapped_column(String(40))
    type_abbr: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date | None]
    retired_at: Mapped[datetime | None]

    addresses: Mapped[list["Address"]] = relationship(back_populates="street")

    @property
    def label(self) -> str:
        return f"{self.name} {self.type_abbr}".strip()


class Address(db.Model):
    __tablename__ = "addresses"
    __table_args__ = (Index("ix_addresses_street_number", "street_code", "number", "block"),)

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    street_code: Mapped[str] = mapped_column(ForeignKey("streets.code"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    block: Mapped[str] = mapped_column(String(10), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    valid_from: Mapped[date | None]
    retired_at: Mapped[datetime | None]

    street: Mapped[Street] = relationship(back_populates="addresses")

    @property
    def label(self) -> str:
        return address_label(self.street.name, self.street.type_abbr, self.number, self.block)


def address_label(street_name: str, type_abbr: str, number: str, block: str = "") -> str:
    """Canonical label: `Žirmūnų g. 12A`, `Žirmūnų g. 12 K2`."""
    label = f"{street_name} {type_abbr} {number}".replace("  ", " ")
    return f"{label} K{block}" if block else label
