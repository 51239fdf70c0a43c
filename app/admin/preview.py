"""The preview page of an uploaded schedule: every row as read, then the changes building by building."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.addresses.lookup import address_index
from app.addresses.matcher import house_sort_key
from app.notifications.models import Channel, MessageKind
from app.shutoffs.files import ScheduleRow
from app.shutoffs.importer import ImportReport
from app.shutoffs.models import ShutoffKind
from app.shutoffs.resolve import StreetReading
from app.templating import date_range, kind_label

CHANNEL_LABELS = {Channel.EMAIL: _l("El. laiškų"), Channel.SMS: _l("SMS žinučių")}
MESSAGE_LABELS = {
    MessageKind.REMINDER: _l("priminimai apie išjungimą"),
    MessageKind.MOVED: _l("apie perkeltą išjungimą"),
    MessageKind.CANCELLED: _l("apie atšauktą išjungimą"),
}


@dataclass(frozen=True, slots=True)
class RowView:
    """One file row as read: its text, streets (as read, with the typo marker), buildings, days and kind."""

    line: int
    text: str
    streets: tuple[StreetReading, ...]
    buildings: list[str]
    days: str  # "2030 m. gegužės 10–11 d.", in the reader's language
    kind: str  # "hidrauliniai bandymai", translated
    cancelled: bool
    work_number: str


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One building's change, worded: its label, kind, days before (moved, cancelled, unchanged, left out) and
    after (new, moved), and the file row that asks for it (None for a shutoff the file does not name)."""

    label: str
    kind: str
    before: str
    after: str
    line: int | None

    @property
    def days(self) -> str:
        """The days the list shows for a change that is not a move: the new ones, else the published ones."""
        return self.after or self.before


@dataclass
class MessageCount:
    channel: str
    kind: str
    count: int


@dataclass
class PreviewPage:
    """What templates/admin/preview.html shows."""

    report: ImportReport
    rows: list[RowView] = field(default_factory=list)
    new: list[ChangeView] = field(default_factory=list)
    moved: list[ChangeView] = field(default_factory=list)
    cancelled: list[ChangeView] = field(default_factory=list)
    unchanged: list[ChangeView] = field(default_factory=list)
    missing: list[ChangeView] = field(default_factory=list)
    messages: list[MessageCount] = field(default_factory=list)


def preview_page(report: ImportReport) -> PreviewPage:
    """The report arranged and worded for reading: rows in file order, each change list by street and house."""
    index = address_index()
    places: dict[str, tuple] = {}
    worded: dict[tuple[date, date], str] = {}
    kinds = {kind: kind_label(kind) for kind in ShutoffKind}

    def place(code: str) -> tuple:
        """(street label, house order, building label): how the lists are sorted, once per building."""
        if code not in places:
            record = index.address(code)
            street = index.street(record.street_code) if record else None
            places[code] = (
                (street.label if street else "", house_sort_key(record.number, record.block), record.label)
                if record
                else (code, (0, "", 0), code)
            )
        return places[code]

    def days(pair: tuple[date, date] | None) -> str:
        if pair is None:
            return ""
        if pair not in worded:
            worded[pair] = date_range(pair[0], pair[1], with_year=True)
        return worded[pair]

    def change(code: str, kind: ShutoffKind, before, after, line: int | None) -> tuple[tuple, ChangeView]:
        return place(code), ChangeView(place(code)[2], kinds[kind], days(before), days(after), line)

    def ordered(changes: list[tuple[tuple, ChangeView]]) -> list[ChangeView]:
        return [view for _place, view in sorted(changes, key=lambda pair: pair[0])]

    page = PreviewPage(report)
    for item in sorted(report.resolved, key=lambda resolved: resolved.row.line):
        row = item.row
        buildings = [place(code)[2] for code in sorted(item.codes, key=place)]
        page.rows.append(
            RowView(
                row.line,
                row.addresses,
                item.streets,
                buildings,
                days((row.first_day, row.last_day)),
                kinds[row.kind],
                row.cancelled,
                row.work_number,
            )
        )
    plan = report.plan
    if plan is None:
        return page
    page.new = ordered([change(code, row.kind, None, _days(row), row.line) for code, row in plan.new])
    page.new += ordered([change(s.address_code, s.kind, s.days, _days(row), row.line) for s, row in plan.restored])
    page.moved = ordered([change(s.address_code, s.kind, s.days, _days(row), row.line) for s, row in plan.moved])
    page.cancelled = ordered(
        [change(s.address_code, s.kind, s.days, None, row.line if row else None) for s, row in plan.cancelled]
    )
    page.unchanged = ordered([change(s.address_code, s.kind, s.days, None, row.line) for s, row in plan.unchanged])
    page.missing = ordered([change(s.address_code, s.kind, s.days, None, None) for s in plan.missing])
    page.messages = [
        MessageCount(str(CHANNEL_LABELS[channel]), str(MESSAGE_LABELS[kind]), count)
        for (channel, kind), count in sorted(report.messages.items())
        if count
    ]
    return page


def _days(row: ScheduleRow) -> tuple[date, date]:
    return (row.first_day, row.last_day)
