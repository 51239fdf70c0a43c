"""What the portfolio page shows, gathered in one PortfolioPage for portfolio/portfolio.html.

Needs a request (the forms take their CSRF token from the session); the rows and counts come from
app.portfolio.services.
"""

from dataclasses import dataclass, field
from typing import Literal

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.portfolio.forms import AddressListForm, PickForm, RetypeForm, SaveForm
from app.portfolio.labels import ROW_STATUS_LABELS
from app.portfolio.models import Portfolio
from app.portfolio.services import Summary, TableRow, summarise

ShowFilter = Literal["all", "affected", "attention"]
SHOW_FILTERS: tuple[ShowFilter, ...] = ("all", "affected", "attention")


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

    @property
    def show_arg(self) -> str | None:
        """The `show` query value links keep (None for the default, so URLs stay short)."""
        return None if self.show == "all" else self.show

    @property
    def has_errors(self) -> bool:
        return any(form.errors for form in (self.add_form, self.save_form, self.subscribe_form))


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
    )
