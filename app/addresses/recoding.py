"""Register re-coding: a building's old code retired and a new one added at the same street, number and block.

The register sometimes gives a building a new code (AOB_KODAS) and retires the old one. Everything that names
the old code — the buildings subscriptions follow, managers' saved lists, published shutoffs — would go quiet,
so the import moves them to the new code in its own transaction (`follow_recoded_codes`). A retired code that
still has followers but no single successor is listed for staff (the import's summary and the audit log).

`pair_recoded` is the pure part: which retired code became which new one.
"""

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from app.addresses.models import address_label
from app.admin.accounts import record
from app.datacache import bump_data_version
from app.extensions import db
from app.notifications.models import Subscription, SubscriptionAddress
from app.portfolio.models import PortfolioEntry
from app.shutoffs.models import Shutoff

AUDIT_ACTOR = "import-register"
# Codes per IN (…) list: well under SQLite's and PostgreSQL's limits on bound parameters.
CHUNK = 500


@dataclass(frozen=True)
class Place:
    """Where a building stands: its street (code, name, type abbreviation), house number and block."""

    street_code: str
    street_name: str
    street_abbr: str
    number: str
    block: str

    @property
    def label(self) -> str:
        return address_label(self.street_name, self.street_abbr, self.number, self.block)


class Reason(enum.StrEnum):
    """Why a retired code's followers stay where they are."""

    NO_SUCCESSOR = "no new code at the same street, number and block"
    SEVERAL = "several retired or new codes at the same street, number and block"
    SHUTOFF_TAKEN = "the new code already has a shutoff from the same schedule row"


@dataclass(frozen=True)
class Unfollowed:
    """A retired code that still has followers and no single successor (or one that could not take all)."""

    code: str
    label: str
    subscriptions: int
    saved_list_entries: int
    shutoffs: int
    reason: Reason

    def line(self) -> str:
        return (
            f"{self.code} {self.label}: {self.subscriptions} subscription(s), {self.saved_list_entries} saved-list "
            f"entry(ies), {self.shutoffs} coming shutoff(s) left — {self.reason}"
        )


@dataclass
class RecodingReport:
    recoded: dict[str, str] = field(default_factory=dict)  # old code → new code, for codes that had followers
    subscriptions_moved: int = 0
    saved_list_entries_moved: int = 0
    shutoffs_moved: int = 0
    unfollowed: list[Unfollowed] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"re-coded buildings followed to their new code: {len(self.recoded)} (subscriptions moved: "
            f"{self.subscriptions_moved}, saved-list entries moved: {self.saved_list_entries_moved}, "
            f"shutoffs moved: {self.shutoffs_moved})"
        ]
        if self.unfollowed:
            lines.append(f"retired codes that could not be followed (listed in the audit log): {len(self.unfollowed)}")
            lines.extend(f"  {item.line()}" for item in self.unfollowed)
        return lines


def pair_recoded(
    retired: dict[str, Place], added: dict[str, Place], street_successors: dict[str, str]
) -> tuple[dict[str, str], dict[str, Reason]]:
    """Which retired code became which added one: same street (or its successor), number and block.

    `street_successors` maps a retired street code to the code of the street that replaced it. Returns
    (old → new, old → why it has no successor) covering every retired code.
    """
    by_place: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code, place in added.items():
        by_place[(place.street_code, place.number, place.block)].append(code)
    retired_at: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code, place in retired.items():
        street = street_successors.get(place.street_code, place.street_code)
        retired_at[(street, place.number, place.block)].append(code)
    pairs, orphans = {}, {}
    for where, old_codes in retired_at.items():
        new_codes = by_place.get(where, [])
        if len(old_codes) == 1 and len(new_codes) == 1:
            pairs[old_codes[0]] = new_codes[0]
            continue
        orphans.update(dict.fromkeys(old_codes, Reason.SEVERAL if new_codes else Reason.NO_SUCCESSOR))
    return pairs, orphans


def street_successors(retired: dict[str, tuple[str, str]], added: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Retired street code → the added street with the same name and type abbreviation (when there is one)."""
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, name in added.items():
        by_name[name].append(code)
    return {code: by_name[name][0] for code, name in retired.items() if len(by_name.get(name, [])) == 1}


def follow_recoded_codes(
    retired: dict[str, Place], added: dict[str, Place], successors: dict[str, str], today: date
) -> RecodingReport:
    """Move subscriptions, saved-list entries and shutoffs of retired codes to their successors, inside the
    caller's transaction; list (and write to the audit log) the retired codes with followers left behind."""
    report = RecodingReport()
    db.session.flush()  # the new buildings exist before anything points at them (PostgreSQL checks at once)
    followed = _codes_with_followers(list(retired))
    if not followed:
        return report
    pairs, orphans = pair_recoded({c: retired[c] for c in followed}, added, successors)
    for old, new in sorted(pairs.items()):
        report.recoded[old] = new
        report.subscriptions_moved += _move_subscriptions(old, new)
        report.saved_list_entries_moved += db.session.execute(
            update(PortfolioEntry).where(PortfolioEntry.address_code == old).values(address_code=new)
        ).rowcount
        moved, left = _move_shutoffs(old, new)
        report.shutoffs_moved += moved
        if left:
            orphans[old] = Reason.SHUTOFF_TAKEN
    for code, reason in sorted(orphans.items()):
        report.unfollowed.append(_unfollowed(code, retired[code].label, reason, today))
    report.unfollowed = [u for u in report.unfollowed if u.subscriptions or u.saved_list_entries or u.shutoffs]
    if report.shutoffs_moved:
        bump_data_version("schedule")
    _audit(report, added)
    return report


def _chunks(codes: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(codes), CHUNK):
        yield codes[start : start + CHUNK]


def _codes_with_followers(codes: list[str]) -> set[str]:
    """The codes among `codes` that a subscription, a saved list or a shutoff names."""
    named: set[str] = set()
    for chunk in _chunks(codes):
        for column in (SubscriptionAddress.address_code, PortfolioEntry.address_code, Shutoff.address_code):
            named.update(db.session.scalars(select(column).where(column.in_(chunk)).distinct()))
    return named


def _move_subscriptions(old: str, new: str) -> int:
    """Each subscription following `old` follows `new` instead (once, if it already followed both)."""
    rows = db.session.scalar(
        select(func.count()).select_from(SubscriptionAddress).where(SubscriptionAddress.address_code == old)
    )
    already = select(SubscriptionAddress.subscription_id).where(SubscriptionAddress.address_code == new)
    db.session.execute(
        delete(SubscriptionAddress).where(
            SubscriptionAddress.address_code == old, SubscriptionAddress.subscription_id.in_(already)
        )
    )
    db.session.execute(
        update(SubscriptionAddress).where(SubscriptionAddress.address_code == old).values(address_code=new)
    )
    return rows or 0


def _move_shutoffs(old: str, new: str) -> tuple[int, int]:
    """Shutoffs of `old` moved to `new`; (moved, left because `new` already has the same work on the same days)."""
    taken = set(
        db.session.execute(
            select(Shutoff.schedule_id, Shutoff.work_key, Shutoff.first_day, Shutoff.last_day).where(
                Shutoff.address_code == new
            )
        )
    )
    moved = left = 0
    for shutoff in db.session.scalars(select(Shutoff).where(Shutoff.address_code == old)):
        if (shutoff.schedule_id, shutoff.work_key, shutoff.first_day, shutoff.last_day) in taken:
            left += 1
            continue
        shutoff.address_code = new
        moved += 1
    db.session.flush()
    return moved, left


def _unfollowed(code: str, label: str, reason: Reason, today: date) -> Unfollowed:
    subscriptions = db.session.scalar(
        select(func.count(SubscriptionAddress.id))
        .join(Subscription, Subscription.id == SubscriptionAddress.subscription_id)
        .where(SubscriptionAddress.address_code == code, Subscription.unsubscribed_at.is_(None))
    )
    entries = db.session.scalar(select(func.count(PortfolioEntry.id)).where(PortfolioEntry.address_code == code))
    shutoffs = db.session.scalar(
        select(func.count(Shutoff.id)).where(Shutoff.address_code == code, Shutoff.last_day >= today)
    )
    return Unfollowed(code, label, subscriptions or 0, entries or 0, shutoffs or 0, reason)


# Staff read the audit log in Lithuanian (/admin/audit).
AUDIT_REASONS = {
    Reason.NO_SUCCESSOR: _l("tuo pačiu adresu (gatvė, numeris, korpusas) naujo kodo nėra"),
    Reason.SEVERAL: _l("tuo pačiu adresu yra keli panaikinti arba nauji kodai"),
    Reason.SHUTOFF_TAKEN: _l("naujas kodas jau turi išjungimą iš tos pačios grafiko eilutės"),
}


def _audit(report: RecodingReport, added: dict[str, Place]) -> None:
    for old, new in sorted(report.recoded.items()):
        record(
            AUDIT_ACTOR,
            "register-recode",
            _(
                "Registras pakeitė pastato kodą %(old)s į %(new)s (%(label)s): prenumeratos, valdytojų sąrašai ir "
                "išjungimai perkelti į naująjį kodą.",
                old=old,
                new=new,
                label=added[new].label,
            ),
        )
    for item in report.unfollowed:
        record(
            AUDIT_ACTOR,
            "register-unfollowed",
            _(
                "Panaikintas pastato kodas %(code)s (%(label)s): %(reason)s. Liko prenumeratų: %(subscriptions)d, "
                "valdytojų sąrašų eilučių: %(entries)d, būsimų išjungimų: %(shutoffs)d. Patikrinkite juos.",
                code=item.code,
                label=item.label,
                reason=AUDIT_REASONS[item.reason],
                subscriptions=item.subscriptions,
                entries=item.saved_list_entries,
                shutoffs=item.shutoffs,
            ),
        )
