"""Words for what became of each row and for what each column of a paste or file holds.

Shutoff kinds and statuses are worded by app.wording.
"""

from flask_babel import lazy_gettext as _l

from app.portfolio.parsing import SkipReason
from app.tabular.columns import Role

ROW_STATUS_LABELS = {
    "found": _l("Rastas"),
    "picked": _l("Pasirinktas"),
    "ambiguous": _l("Patikslinkite"),
    "street_only": _l("Namo nėra registre"),
    "not_found": _l("Nerastas"),
    "outside_area": _l("Ne Vilniaus mieste"),
}

# In the order the column selects offer them.
ROLE_LABELS = {
    Role.ADDRESS: _l("Visas adresas"),
    Role.STREET: _l("Gatvė"),
    Role.HOUSE: _l("Namo numeris"),
    Role.BLOCK: _l("Korpusas"),
    Role.CODE: _l("Adreso kodas registre"),
    Role.FLAT: _l("Butas (namui rasti nenaudojamas)"),
    Role.CITY: _l("Miestas (namui rasti nenaudojamas)"),
    Role.POSTCODE: _l("Pašto kodas (namui rasti nenaudojamas)"),
    Role.OTHER: _l("Kiti duomenys (perkeliami į eksportą)"),
    Role.IGNORED: _l("Neskaityti"),
}

SKIP_REASON_LABELS = {
    SkipReason.ABOVE_HEADER: _l("virš antraštės eilutės"),
    SkipReason.NO_ADDRESS: _l("adreso stulpeliai tušti"),
}
