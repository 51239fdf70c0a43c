"""XLSX files for tests and the upload benchmark: ordinary ones made with openpyxl, and hostile ones made by hand.

The hostile ones are what an attacker sends to a public upload form: a 1.6 KB workbook whose sheet declares
the largest size Excel allows (A1:XFD1048576) and a shared-strings part that inflates from kilobytes to
hundreds of megabytes.
"""

import io
import random
import zipfile
from collections.abc import Callable, Iterable

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def xlsx(*sheets: list[list], active: int = 0) -> bytes:
    """A workbook saved by openpyxl with these sheets (rows of values); `active` is the one open on saving."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, rows in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(f"Lapas{number}")
        for row in rows:
            sheet.append(row)
    workbook.active = active
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def text_cell(reference: str, text: str) -> str:
    """One `<c>` holding an inline string, e.g. text_cell("B2", "Žirmūnų g.")."""
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def handmade_xlsx(
    rows: Iterable[tuple[int, str]],
    *,
    dimension: str,
    shared_strings: Callable[[io.BufferedIOBase], None] | None = None,
) -> bytes:
    """The smallest workbook Excel and openpyxl open: one sheet with `rows` as (row number, cells XML) and
    the `<dimension ref>` given; `shared_strings` writes an xl/sharedStrings.xml part when given."""
    sheet_data = "".join(f'<row r="{number}">{cells}</row>' for number, cells in rows)
    shared_override = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>' if shared_strings else ""
    )
    shared_relationship = (
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
            f"{shared_override}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<sheets><sheet name="Lapas1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{shared_relationship}</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, XML_DECLARATION + xml)
        if shared_strings:
            with archive.open("xl/sharedStrings.xml", "w") as stream:
                shared_strings(stream)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """1.6 KB: a header, one address on the sheet's last row, and a sheet declared A1:XFD1048576.

    openpyxl's read-only mode believes the declaration: it fills the gap with a million rows of 16,384
    cells each (a worker busy for hours)."""
    return handmade_xlsx(
        [(1, text_cell("A1", "Adresas")), (1_048_576, text_cell("A1048576", "Žirmūnų g. 12A"))],
        dimension="A1:XFD1048576",
    )


def shared_strings_writer(texts: Iterable[bytes]) -> Callable[[io.BufferedIOBase], None]:
    """Writes a shared-strings part holding these texts."""

    def write(stream: io.BufferedIOBase) -> None:
        stream.write(f'{XML_DECLARATION}<sst xmlns="{MAIN}">'.encode())
        for text in texts:
            stream.write(b"<si><t>" + text + b"</t></si>")
        stream.write(b"</sst>")

    return write


def shared_strings_bomb(megabytes: int = 64) -> bytes:
    """Kilobytes that inflate to `megabytes` of one repeated shared text (openpyxl loads it whole on opening)."""
    text = b"Zirmunu g. 12A " * 60
    count = megabytes * 2**20 // (len(text) + 13)
    return handmade_xlsx(
        [(1, '<c r="A1" t="s"><v>0</v></c>')],
        dimension="A1",
        shared_strings=shared_strings_writer(text for _ in range(count)),
    )


def many_shared_strings(count: int, seed: int = 1) -> bytes:
    """`count` distinct short texts: no compression trick, just more than a list needs (slow to load)."""
    rng = random.Random(seed)
    letters = b"abcdefghijklmnopqrstuvwxyz"
    texts = (bytes(rng.choice(letters) for _ in range(8)) for _ in range(count))
    return handmade_xlsx(
        [(1, '<c r="A1" t="s"><v>0</v></c>')], dimension="A1", shared_strings=shared_strings_writer(texts)
    )
