"""Schedule files staff upload: keep one for its preview, publish it, and an audit entry for each step.

The audit log stores neutral data (the file name; the publication's figures as JSON) and words it when
the log is shown, in the reader's language: never a sentence translated for whoever acted.
"""

import hashlib
import json
from pathlib import Path

from werkzeug.datastructures import FileStorage

from app.admin.accounts import record
from app.admin.models import AuditEntry, ScheduleUpload
from app.extensions import db
from app.shutoffs.importer import COUNTS, ImportReport, import_schedule
from app.shutoffs.models import ScheduleBatch
from app.timeutil import today_in_vilnius, utcnow

MAX_FILENAME_LENGTH = 255
DEFAULT_FILENAME = "schedule.csv"


def clean_filename(name: str | None) -> str:
    """The base name a browser sent, printable characters only, at most 255 of them."""
    cleaned = "".join(c for c in Path(name or "").name if c.isprintable())[:MAX_FILENAME_LENGTH]
    return cleaned or DEFAULT_FILENAME


def store_upload(file: FileStorage, actor: str) -> ScheduleUpload:
    """Keep an uploaded schedule until it is published, with an "upload" audit entry (committed).

    The file is read as a schedule first (nothing written): raises ScheduleFileError when it is not one,
    and then nothing is stored.
    """
    data = file.read()
    filename = clean_filename(file.filename)
    import_schedule(data, filename, today=today_in_vilnius(), dry_run=True)
    upload = ScheduleUpload(
        filename=filename,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=utcnow(),
    )
    db.session.add(upload)
    record(actor, "upload", filename)
    db.session.commit()
    return upload


def preview_upload(upload: ScheduleUpload) -> ImportReport | None:
    """What publishing the file would change today (nothing written); None once it is published."""
    if upload.batch_id is not None:
        return None
    return import_schedule(upload.content, upload.filename, today=today_in_vilnius(), dry_run=True)


def publish_upload(upload: ScheduleUpload, actor: str) -> ImportReport:
    """Publish the file, with a "publish" audit entry in the same transaction.

    `report.published` is False (and nothing is written) when a row does not resolve. Raises
    ScheduleFileError when the file cannot be published at all (e.g. another publication at the same moment).
    """

    def audit(batch: ScheduleBatch, report: ImportReport) -> None:
        upload.batch_id = batch.id
        record(actor, "publish", json.dumps({"file": upload.filename, **report.counts()}), batch.id)

    return import_schedule(
        upload.content, upload.filename, today=today_in_vilnius(), published_by=actor, before_commit=audit
    )


def audit_detail(entry: AuditEntry) -> str:
    """The "detail" column of the audit log, worded in the current locale.

    A publication reads `grafikas.csv: Eilučių: 1, adresų: 5; naujų: 5, …` (ImportReport.summary()); other
    entries, and publications logged before the figures were stored as data, show their text as stored.
    """
    if entry.action != "publish":
        return entry.detail
    try:
        data = json.loads(entry.detail)
        report = ImportReport(**{name: int(data[name]) for name in COUNTS})
    except (ValueError, TypeError, KeyError):
        return entry.detail
    return f"{data.get('file', '')}: {report.summary()}"
