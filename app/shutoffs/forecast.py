"""How many e-mails and SMS publishing a plan will send, by message kind: counted, nothing written.

Publishing writes no message itself; the next `flask notify send` plans them (app.notifications.outbox). This
counts what that planning will find once the plan is published, by the same rules:

* a reminder to each confirmed subscriber of a new, moved or restored shutoff's building whose lead time has
  already come (`reminder_lead`); a subscriber who takes a digest gets one message for all of them;
* a "moved" or "cancelled" message to each subscriber already reminded of a shutoff that moves or is cancelled.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import (
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Subscription,
    SubscriptionAddress,
)
from app.notifications.outbox.planning import reminder_lead
from app.shutoffs.changes import Plan

CHUNK = 500  # values per IN (…): well under SQLite's and PostgreSQL's limits


@dataclass(frozen=True, slots=True)
class _Follower:
    subscription_id: int
    channel: Channel
    lead_days: tuple[int, ...]
    digest: bool


def forecast_messages(plan: Plan, today: date) -> Counter[tuple[Channel, MessageKind]]:
    """Messages the next send will plan once `plan` is published, counted by (channel, kind); `today` in Vilnius."""
    starts: list[tuple[str, date]] = [(code, row.first_day) for code, row in plan.new]
    starts += [(s.address_code, row.first_day) for s, row in plan.moved + plan.restored]
    changed = {s.id: (s.address_code, MessageKind.MOVED) for s, _row in plan.moved}
    changed.update({s.id: (s.address_code, MessageKind.CANCELLED) for s, _row in plan.cancelled})
    followers = _followers({code for code, _day in starts} | {code for code, _kind in changed.values()})
    counts: Counter[tuple[Channel, MessageKind]] = Counter()
    digests: set[tuple[int, Channel]] = set()
    for code, first_day in starts:
        for follower in followers.get(code, ()):
            if reminder_lead(first_day, today, list(follower.lead_days)) is None:
                continue
            if follower.digest:
                digests.add((follower.subscription_id, follower.channel))
            else:
                counts[follower.channel, MessageKind.REMINDER] += 1
    for _subscription, channel in digests:
        counts[channel, MessageKind.REMINDER] += 1
    for shutoff_id, subscription_id in _reminded(changed):
        code, kind = changed[shutoff_id]
        follower = next((f for f in followers.get(code, ()) if f.subscription_id == subscription_id), None)
        if follower is not None:
            counts[follower.channel, kind] += 1
    return counts


def _followers(codes: set[str]) -> dict[str, list[_Follower]]:
    """Confirmed, subscribed followers of each building."""
    followers: dict[str, list[_Follower]] = defaultdict(list)
    for chunk in _chunks(sorted(codes)):
        rows = db.session.execute(
            select(
                SubscriptionAddress.address_code,
                Subscription.id,
                Subscription.channel,
                Subscription.lead_days_csv,
                Subscription.digest,
            )
            .join(Subscription, Subscription.id == SubscriptionAddress.subscription_id)
            .where(
                SubscriptionAddress.address_code.in_(chunk),
                Subscription.confirmed_at.is_not(None),
                Subscription.unsubscribed_at.is_(None),
            )
        )
        for code, subscription_id, channel, lead_csv, digest in rows:
            leads = tuple(int(x) for x in lead_csv.split(",") if x.strip())
            followers[code].append(_Follower(subscription_id, Channel(channel), leads, bool(digest)))
    return followers


def _reminded(shutoff_ids: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(shutoff id, subscription id) of every reminder already sent for these shutoffs."""
    for chunk in _chunks(sorted(set(shutoff_ids))):
        yield from db.session.execute(
            select(OutboxMessage.shutoff_id, OutboxMessage.subscription_id)
            .where(
                OutboxMessage.shutoff_id.in_(chunk),
                OutboxMessage.kind == MessageKind.REMINDER,
                OutboxMessage.status == OutboxStatus.SENT,
            )
            .distinct()
        )


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
