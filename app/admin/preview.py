"""The preview page of an uploaded schedule: every row as read, then the changes building by building."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.addresses.lookup import address_index
from app.addresses.matcher import house_sort_key
from app.notifications.models import Channel, MessageKind
from app.shutoffs.changes import Published
from app.shutoffs.files import ScheduleRow
from app.shutoffs.importer import ImportReport
from app.shutoffs.models import ShutoffKind
from app.shutoffs.resolve import StreetReading

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
    first_day: date
    last_day: date
    kind: ShutoffKind
    cancelled: bool
    work_number: str


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One building's change: its label, kind, days before (moved, cancelled, unchanged) and after, the row."""

    label: str
    kind: ShutoffKind
    before: tuple[date, date] | None
    after: tuple[date, date] | None
    line: int | None  # the file row that asks for it; None for a shutoff the file does not name


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
    """The report arranged for reading: rows in file order, each change list by street and house number."""
    index = address_index()
    places: dict[str, tuple] = {}

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

    def label(code: str) -> str:
        return place(code)[2]

    def ordered(changes: list[tuple[str, ChangeView]]) -> list[ChangeView]:
        return [view for _code, view in sorted(changes, key=lambda pair: place(pair[0]))]

    page = PreviewPage(report)
    for item in report.resolved:
        buildings = [label(code) for code in sorted(item.codes, key=place)]
        page.rows.append(_row_view(item.row, item.streets, buildings))
    page.rows.sort(key=lambda row: row.line)
    plan = report.plan
    if plan is None:
        return page
    page.new = ordered(
        [(code, ChangeView(label(code), row.kind, None, _days(row), row.line)) for code, row in plan.new]
    )
    page.new += ordered([(s.address_code, _change(label(s.address_code), s, row)) for s, row in plan.restored])
    page.moved = ordered([(s.address_code, _change(label(s.address_code), s, row)) for s, row in plan.moved])
    page.cancelled = ordered(
        [(s.address_code, _change(label(s.address_code), s, row, cancelled=True)) for s, row in plan.cancelled]
    )
    page.unchanged = ordered([(s.address_code, _change(label(s.address_code), s, row)) for s, row in plan.unchanged])
    page.missing = ordered([(s.address_code, _change(label(s.address_code), s, None)) for s in plan.missing])
    page.messages = [
        MessageCount(str(CHANNEL_LABELS[channel]), str(MESSAGE_LABELS[kind]), count)
        for (channel, kind), count in sorted(report.messages.items())
        if count
    ]
    return page


def _row_view(row: ScheduleRow, streets: tuple[StreetReading, ...], buildings: list[str]) -> RowView:
    return RowView(
        row.line,
        row.addresses,
        streets,
        buildings,
        row.first_day,
        row.last_day,
        row.kind,
        row.cancelled,
        row.work_number,
    )


def _days(row: ScheduleRow) -> tuple[date, date]:
    return (row.first_day, row.last_day)


def _change(label: str, shutoff: Published, row: ScheduleRow | None, *, cancelled: bool = False) -> ChangeView:
    after = None if cancelled or row is None else _days(row)
    return ChangeView(label, shutoff.kind, shutoff.days, after, row.line if row is not None else None)
