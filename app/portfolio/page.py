"""What the portfolio page shows, gathered in one PortfolioPage for portfolio/portfolio.html.

Needs a request (the forms take their CSRF token from the session); the rows and counts come from
app.portfolio.services.
"""

from dataclasses import dataclass, field
from typing import Literal

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from app.portfolio.forms import AddressListForm, ColumnsForm, PickForm, RetypeForm, SaveForm
from app.portfolio.labels import ROLE_LABELS, ROW_STATUS_LABELS, SKIP_REASON_LABELS
from app.portfolio.models import Portfolio, PortfolioSource
from app.portfolio.parsing import ParsedSource, SourceKind
from app.portfolio.services import Summary, TableRow, summarise
from app.portfolio.sources import parsed_source, stored_reading
from app.tabular.columns import HEADER_SEARCH_ROWS, Role, column_letter

ShowFilter = Literal["all", "affected", "attention"]
SHOW_FILTERS: tuple[ShowFilter, ...] = ("all", "affected", "attention")


@dataclass(frozen=True)
class ColumnView:
    letter: str  # `B`
    name: str  # the header cell ('' without a header)
    role: Role

    @property
    def shown(self) -> str:
        """`B „Gatvė“`, or `B` for a column without a header."""
        return _("%(letter)s „%(name)s“", letter=self.letter, name=self.name) if self.name else self.letter


@dataclass
class SourceView:
    """How one paste or file was read, for the panel above the table (and the form that changes it)."""

    source: PortfolioSource
    parsed: ParsedSource
    columns: list[ColumnView]
    form: ColumnsForm

    @property
    def is_file(self) -> bool:
        return self.source.kind == SourceKind.FILE

    @property
    def worth_showing(self) -> bool:
        """A file, cells in columns, or rows left out: something the manager may want to check or change."""
        return self.is_file or len(self.columns) > 1 or bool(self.parsed.skipped)


@dataclass
class PortfolioPage:
    """The page of one list: its rows under the chosen filter, the counts, the links and every form on it."""

    portfolio: Portfolio
    rows: list[TableRow]  # the rows the filter shows
    summary: Summary  # of every row, whatever the filter
    show: ShowFilter
    token: str  # the signed edit token the page's own links and forms carry
    private_url: str
    calendar_url: str
    horizon: int  # days counted as "the coming weeks"
    lead_days: tuple[int, ...]  # when digest subscribers are reminded, days before the first day
    add_form: AddressListForm
    save_form: SaveForm
    subscribe_form: FlaskForm
    remove_form: FlaskForm
    pick_forms: dict[int, PickForm] = field(default_factory=dict)  # by entry id, rows to pick a building for
    retype_forms: dict[int, RetypeForm] = field(default_factory=dict)  # by entry id, rows nothing was found for
    status_labels: dict[str, str] = field(default_factory=dict)  # translated once, used on every row
    remove_label: str = ""  # "Remove row %(number)s", formatted per row in the template
    sources: list[SourceView] = field(default_factory=list)  # the pastes and files worth explaining
    role_labels: dict[str, str] = field(default_factory=dict)  # what a column holds, translated once
    skip_labels: dict[str, str] = field(default_factory=dict)  # why a row was left out, translated once

    @property
    def show_arg(self) -> str | None:
        """The `show` query value links keep (None for the default, so URLs stay short)."""
        return None if self.show == "all" else self.show

    @property
    def has_errors(self) -> bool:
        forms = [self.add_form, self.save_form, self.subscribe_form, *(view.form for view in self.sources)]
        return any(form.errors for form in forms)

    @property
    def error_forms(self) -> list[FlaskForm]:
        """Every form on the page, for the error summary."""
        return [self.add_form, self.save_form, self.subscribe_form, *(view.form for view in self.sources)]


def show_filter(value: str | None) -> ShowFilter:
    """The filter a `show` query value asks for; anything unknown shows every row."""
    return next((f for f in SHOW_FILTERS if f == value), "all")


def filtered(rows: list[TableRow], show: ShowFilter) -> list[TableRow]:
    """The rows a filter keeps: affected soon, or needing attention (not found, unclear, repeated)."""
    if show == "affected":
        return [r for r in rows if r.affected]
    if show == "attention":
        return [r for r in rows if not r.found or r.duplicate]
    return rows


def pick_form(entry_id: int, candidates: list, formdata=None) -> PickForm:
    """The form choosing one of a row's candidate buildings (`formdata` None: a blank form to show)."""
    form = PickForm(prefix=f"row-{entry_id}", formdata=formdata)
    form.code.choices = [(code, label) for code, label in candidates]
    return form


def columns_form(source: PortfolioSource, formdata=None) -> ColumnsForm:
    """The form that changes how a source's columns are read, filled with how they are read now."""
    rows = source.rows or []
    width = max((len(cells) for _, cells in rows), default=1)
    header = next((cells for line, cells in rows if line == source.header_line), [])
    fields = {}
    for column in range(width):
        name = header[column] if column < len(header) else ""
        label = (
            _("Stulpelis %(letter)s („%(name)s“)", letter=column_letter(column), name=name)
            if name
            else _("Stulpelis %(letter)s", letter=column_letter(column))
        )
        choices = [SelectChoice(str(role), text) for role, text in ROLE_LABELS.items()]
        fields[f"role_{column}"] = SelectField(label, choices=choices)
    form_class = type("SourceColumnsForm", (ColumnsForm,), fields)
    reading = stored_reading(source)
    data = {f"role_{column}": str(reading.role(column)) for column in range(width)}
    data["header"] = str(source.header_line or "")
    form = form_class(prefix=f"source-{source.id}", formdata=formdata, data=data)
    form.header.choices = [SelectChoice("", _("Antraštės nėra: visos eilutės – adresai"))] + [
        SelectChoice(str(line), _("%(line)s eilutė: %(text)s", line=line, text=" | ".join(c for c in cells if c)[:60]))
        for line, cells in rows[:HEADER_SEARCH_ROWS]
    ]
    return form


def source_view(source: PortfolioSource, form: ColumnsForm | None = None) -> SourceView:
    """A source as the page explains it; `form` is one that came back with errors."""
    parsed = parsed_source(source)
    header = next((row.cells for row in parsed.rows if row.line == source.header_line), ())
    width = max((len(row.cells) for row in parsed.rows), default=1)
    columns = [
        ColumnView(column_letter(i), header[i] if i < len(header) else "", parsed.reading.role(i)) for i in range(width)
    ]
    return SourceView(source, parsed, columns, form or columns_form(source))


def portfolio_page(
    portfolio: Portfolio,
    rows: list[TableRow],
    *,
    show: ShowFilter,
    token: str,
    private_url: str,
    calendar_url: str,
    horizon: int,
    lead_days: tuple[int, ...],
    subscribe_form: FlaskForm,
    add_form: AddressListForm | None = None,
    save_form: SaveForm | None = None,
    sources: list[PortfolioSource] = (),
    columns_forms: dict[int, ColumnsForm] | None = None,
) -> PortfolioPage:
    """The page for these rows (every row of the list); a form given is one that came back with errors."""
    visible = filtered(rows, show)
    return PortfolioPage(
        portfolio=portfolio,
        rows=visible,
        summary=summarise(rows),
        show=show,
        token=token,
        private_url=private_url,
        calendar_url=calendar_url,
        horizon=horizon,
        lead_days=lead_days,
        add_form=add_form or AddressListForm(prefix="add", formdata=None),
        save_form=save_form or SaveForm(prefix="save", formdata=None, data={"name": portfolio.name}),
        subscribe_form=subscribe_form,
        remove_form=FlaskForm(prefix="remove", formdata=None),
        pick_forms={r.entry_id: pick_form(r.entry_id, r.candidates) for r in visible if r.can_pick},
        retype_forms={
            r.entry_id: RetypeForm(prefix=f"row-{r.entry_id}", formdata=None, data={"typed": r.typed})
            for r in visible
            if not r.found and not r.can_pick
        },
        status_labels={status: str(label) for status, label in ROW_STATUS_LABELS.items()},
        remove_label=_("Pašalinti eilutę %(number)s"),
        role_labels={str(role): str(label) for role, label in ROLE_LABELS.items()},
        skip_labels={str(reason): str(label) for reason, label in SKIP_REASON_LABELS.items()},
        sources=[
            view
            for view in (source_view(source, (columns_forms or {}).get(source.id)) for source in sources)
            if view.worth_showing or view.form.errors
        ],
    )
