"""Words for what became of each row; shutoff kinds and statuses are worded by app.wording."""

from flask_babel import lazy_gettext as _l

ROW_STATUS_LABELS = {
    "found": _l("Rastas"),
    "picked": _l("Pasirinktas"),
    "ambiguous": _l("Patikslinkite"),
    "street_only": _l("Namo nėra registre"),
    "not_found": _l("Nerastas"),
    "outside_area": _l("Ne Vilniaus mieste"),
}
