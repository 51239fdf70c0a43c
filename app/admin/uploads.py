"""Schedule files staff upload: keep one for its preview, publish it, and an audit entry for each step.

The audit log stores neutral data (the file name, the schedule; the publication's figures as JSON) and words
it when the log is shown, in the reader's language: never a sentence translated for whoever acted.
"""

import hashlib
import json

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.admin.accounts import record
from app.admin.models import AuditEntry, ScheduleUpload
from app.extensions import db
from app.requests import clean_filename
from app.shutoffs.importer import COUNTS, ImportReport, ScheduleFileError, import_schedule
from app.shutoffs.models import ScheduleBatch
from app.timeutil import today_in_vilnius, utcnow

DEFAULT_FILENAME = "schedule.csv"


class CancellationNotConfirmed(ScheduleFileError):
    """Publishing would cancel shutoffs whose count staff did not type; nothing was written."""


def store_upload(file: FileStorage, actor: str, schedule_name: str) -> ScheduleUpload:
    """Keep an uploaded schedule until it is published into `schedule_name`, with an "upload" audit entry
    (committed).

    The file is read as a schedule first (nothing written): raises ScheduleFileError when it is not one,
    and then nothing is stored.
    """
    data = file.read()
    filename = clean_filename(file.filename) or DEFAULT_FILENAME
    import_schedule(data, filename, today=today_in_vilnius(), schedule=schedule_name, dry_run=True)
    upload = ScheduleUpload(
        filename=filename,
        schedule_name=schedule_name,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=utcnow(),
    )
    db.session.add(upload)
    record(actor, "upload", json.dumps({"file": filename, "schedule": schedule_name}))
    db.session.commit()
    return upload


def preview_upload(upload: ScheduleUpload, *, cancel_missing: bool = False) -> ImportReport | None:
    """What publishing the file into its schedule would change today (nothing written); None once published.

    The report's schedule_version is what a publication must still find (publish_upload's `version`).
    """
    if upload.batch_id is not None:
        return None
    return import_schedule(
        upload.content,
        upload.filename,
        today=today_in_vilnius(),
        schedule=upload.schedule_name,
        dry_run=True,
        cancel_missing=cancel_missing,
    )


def publish_upload(
    upload: ScheduleUpload,
    actor: str,
    *,
    version: int,
    cancel_missing: bool = False,
    cancellations: int = 0,
    typed_count: int | None = None,
) -> ImportReport:
    """Publish the file as previewed, with a "publish" audit entry in the same transaction.

    `version` and `cancellations` are the preview's (the schedule version it was computed against and how many
    shutoffs it cancels); when either no longer holds, StalePreview is raised. When cancellations need
    confirming (report.cancellations_need_confirmation), `typed_count` must equal them, else
    CancellationNotConfirmed. `report.published` is False (nothing written) when a row does not resolve.
    """

    def audit(batch: ScheduleBatch, report: ImportReport) -> None:
        if report.cancellations_need_confirmation and typed_count != report.cancelled:
            raise CancellationNotConfirmed(
                _("Įrašykite atšaukiamų išjungimų skaičių (%(num)d), kad patvirtintumėte.", num=report.cancelled)
            )
        upload.batch_id = batch.id
        detail = {"file": upload.filename, "schedule": upload.schedule_name, **report.counts()}
        record(actor, "publish", json.dumps(detail), batch.id)

    return import_schedule(
        upload.content,
        upload.filename,
        today=today_in_vilnius(),
        schedule=upload.schedule_name,
        published_by=actor,
        before_commit=audit,
        cancel_missing=cancel_missing,
        expected_version=version,
        expected_cancellations=cancellations,
    )


def audit_detail(entry: AuditEntry) -> str:
    """The "detail" column of the audit log, worded in the current locale.

    A publication reads `grafikas.csv → Remontai: Eilučių: 1, adresų: 5; naujų: 5, …` (ImportReport.summary());
    an upload `grafikas.csv → Remontai`. Entries stored before the figures were data show their text as stored.
    """
    try:
        data = json.loads(entry.detail)
        where = f"{data['file']} → {data['schedule']}" if "schedule" in data else str(data["file"])
        if entry.action != "publish":
            return where
        report = ImportReport(**{name: int(data[name]) for name in COUNTS})
    except (ValueError, TypeError, KeyError):
        return entry.detail
    return f"{where}: {report.summary()}"
