"""What the tabular reader gives (Table, Row), how much it reads (Limits) and how it refuses (TableError)."""

from dataclasses import dataclass
from typing import Literal

from flask_babel import lazy_gettext as _l  # without an app it gives the Lithuanian text

TableErrorKind = Literal["not_csv_xlsx", "old_excel", "binary", "encoding", "broken_xlsx", "broken_csv", "too_large"]

# Which bound a "too_large" file passed (TableError.limit): for logs and tests, never shown.
LimitName = Literal[
    "file_bytes",
    "zip_parts",
    "part_bytes",
    "total_bytes",
    "compression_ratio",
    "shared_strings",
    "xml_elements",
    "sheet_rows",
    "seconds",
]

# Per kind: what went wrong and what to do.
MESSAGES = {
    "not_csv_xlsx": _l("Pasirinkite CSV arba XLSX failą."),
    "old_excel": _l("Tai senas Excel (.xls) failas. Išsaugokite jį kaip XLSX arba CSV ir įkelkite dar kartą."),
    "binary": _l("Failas nėra CSV tekstas. Pasirinkite CSV arba XLSX failą."),
    "encoding": _l(
        "Nepavyko perskaityti failo koduotės. Išsaugokite jį kaip „CSV UTF-8“ arba XLSX ir įkelkite dar kartą."
    ),
    "broken_xlsx": _l("XLSX failas sugadintas arba tai ne XLSX. Atidarykite jį Excel ir išsaugokite iš naujo."),
    "broken_csv": _l(
        "CSV failas netvarkingas (pavyzdžiui, neuždarytos kabutės). Atidarykite jį Excel ir išsaugokite iš naujo."
    ),
    "too_large": _l(
        "Failas per didelis arba per sudėtingas, kad jį būtų galima perskaityti. Palikite jame tik vieną lapą "
        "su reikalingais stulpeliais ir eilutėmis, išsaugokite kaip CSV arba XLSX ir įkelkite dar kartą."
    ),
}


class TableError(ValueError):
    """The upload cannot be read as a table; `kind` says why (TableErrorKind), str() is the message to show.

    For "too_large", `limit` names the bound the file passed (LimitName). For a workbook that breaks
    part-way, `line` is the sheet row that could not be read (None otherwise).
    """

    def __init__(self, kind: TableErrorKind, limit: LimitName | None = None, line: int | None = None):
        super().__init__(kind if limit is None else f"{kind}: {limit}")
        self.kind = kind
        self.limit = limit
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return str(
                _l(
                    "XLSX failas sugadintas: nepavyko perskaityti %(line)d eilutės. "
                    "Atidarykite jį Excel ir išsaugokite iš naujo.",
                    line=self.line,
                )
            )
        return str(MESSAGES[self.kind])


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of an upload is read at most. Everything a file declares about itself (its sheet's size,
    its parts' sizes beyond the ZIP directory) is ignored; a file past any bound is refused as "too_large".

    The defaults fit a season's schedule (20,000 rows of five columns read in 1.5-3.5 s); the public
    managers' page passes tighter ones (MANAGER_LIMITS).
    """

    file_bytes: int = 10 * 2**20  # the upload as sent
    zip_parts: int = 200  # files inside an XLSX (Excel writes about 10)
    part_bytes: int = 32 * 2**20  # one part uncompressed, as the ZIP directory gives it
    total_bytes: int = 64 * 2**20  # all parts uncompressed
    compression_ratio: int = 100  # uncompressed / compressed, for parts over RATIO_FLOOR_BYTES
    shared_strings: int = 60_000  # distinct texts of a workbook (openpyxl reads ~50,000 a second)
    xml_elements: int = 800_000  # elements of one XML part (a sheet has 2-4 per cell)
    columns: int = 64  # cells further right are not read
    sheet_rows: int = 100_000  # rows of the sheet or records of the text, blank ones included
    seconds: float = 10.0  # reading time, a last guard behind the others (staff schedules are the big ones)


# Compression ratios of small parts say nothing: a 10 KB run of empty cells compresses 300 times.
RATIO_FLOOR_BYTES = 2**20

# The public managers' page: a list of up to 1,000 buildings, read in well under a second.
MANAGER_LIMITS = Limits(
    file_bytes=5 * 2**20,
    shared_strings=10_000,
    xml_elements=120_000,
    sheet_rows=20_000,
    seconds=2.0,
)


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line (CSV: where the record starts, a quoted cell may span lines) or sheet row (XLSX)
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...]  # the rows that have a non-blank cell, in file order
    encoding: str | None = None  # utf-8, utf-8-sig, utf-16 or cp1257; None for XLSX
    delimiter: str | None = None  # ';', '\t' or ','; None for XLSX and one-column text
    truncated: bool = False  # reading stopped at max_rows: the file has more rows than `rows`
