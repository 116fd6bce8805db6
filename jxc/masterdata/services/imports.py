"""Import jobs: upload → map columns → check (dry run) → apply, all or nothing.

Checking reads the file and the organization's data and writes nothing but the job's report.
Applying checks again and writes every row in one transaction, or nothing when any row is
wrong. Files above ``BACKGROUND_ROWS`` rows run as a background job (:mod:`jxc.core.jobs`)
after the request's transaction commits; the job row counts the rows checked so far, so the UI
can show a progress bar while the job runs.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core import audit, jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import User
from jxc.masterdata.imports.columns import normalize
from jxc.masterdata.imports.importers import IMPORTERS, RowError
from jxc.masterdata.imports.reader import read_table
from jxc.masterdata.models import ImportJob

logger = logging.getLogger(__name__)
BACKGROUND_ROWS = getattr(settings, "JXC_IMPORT_BACKGROUND_ROWS", 2000)
MAX_REPORTED_ERRORS = 1000
PROGRESS_EVERY = 1000


def importer_for(target: str, organization):
    cls = IMPORTERS.get(target)
    if cls is None:
        raise ValidationFailed(_("This list cannot be imported."), field="target")
    return cls(organization)


def suggest_mapping(importer, headers: list[str]) -> dict[str, str]:
    """Column index (as text) → field, for every header that names a known column."""
    by_label = {}
    for column in importer.all_columns():
        for label in (*column.labels, column.field):
            by_label.setdefault(normalize(str(label)), column.field)
    mapping, used = {}, set()
    for index, header in enumerate(headers):
        field = by_label.get(normalize(header))
        if field and field not in used:
            mapping[str(index)] = field
            used.add(field)
    return mapping


@transaction.atomic
def create_import(*, organization, user, target: str, filename: str, content: bytes):
    importer = importer_for(target, organization)
    headers, rows = read_table(filename, content)
    return ImportJob.objects.create(
        organization=organization,
        user=user,
        target=target,
        filename=filename[:255],
        content=content,
        headers=headers,
        total_rows=len(rows),
        mapping=suggest_mapping(importer, headers),
    )


def _check_mapping(importer, job, mapping: dict) -> dict:
    fields = {c.field for c in importer.all_columns()}
    cleaned = {}
    for index, field in mapping.items():
        if not str(index).isdigit() or int(index) >= len(job.headers):
            raise ValidationFailed(
                _("Unknown column %(index)s.") % {"index": index}, field="mapping"
            )
        if not field:
            continue
        if field not in fields:
            raise ValidationFailed(
                _("Unknown field “%(field)s”.") % {"field": field}, field="mapping"
            )
        if field in cleaned.values():
            raise ValidationFailed(
                _("Field “%(field)s” is mapped twice.") % {"field": field}, field="mapping"
            )
        cleaned[str(index)] = field
    missing = [c for c in importer.columns if c.required and c.field not in cleaned.values()]
    if missing:
        raise ValidationFailed(
            _("Map a column to the required field “%(field)s”.") % {"field": missing[0].labels[0]},
            field="mapping",
        )
    return cleaned


def start_import(*, job: ImportJob, apply: bool, mapping: dict | None = None) -> ImportJob:
    """Check (``apply`` False) or apply a job; big files continue in the background."""
    if job.status in (ImportJob.Status.CHECKING, ImportJob.Status.APPLYING):
        raise ValidationFailed(_("This import is already running."))
    if job.status == ImportJob.Status.DONE:
        raise ValidationFailed(_("This import has already been applied."))
    importer = importer_for(job.target, job.organization)
    if mapping is not None:
        job.mapping = _check_mapping(importer, job, mapping)
    else:
        job.mapping = _check_mapping(importer, job, job.mapping)
    job.status = ImportJob.Status.APPLYING if apply else ImportJob.Status.CHECKING
    job.processed_rows, job.message = 0, ""
    job.save(update_fields=["mapping", "status", "processed_rows", "message"])
    if job.total_rows > BACKGROUND_ROWS:
        user, _org = audit.current_actor()
        jobs.enqueue(
            "masterdata.run_import", job_id=job.pk, apply=apply, user_id=getattr(user, "pk", None)
        )
        return job
    run_import(job.pk, apply=apply)
    job.refresh_from_db()
    return job


@jobs.job("masterdata.run_import")
def run_import_in_background(*, job_id: int, apply: bool, user_id: int | None) -> None:
    """A big file's check or apply, after the request that started it has answered; its
    changes are audited as the user's who started it."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with audit.acting_as(user, None):
        run_import(job_id, apply=apply)


def set_progress(job_id: int, done: int) -> None:
    """Record how many rows were checked; runs outside any transaction (the check writes
    nothing else), so every app server sees it at once."""
    try:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done)
    except OperationalError:  # a busy database may skip a progress tick; the import goes on
        logger.info("import %s: progress not recorded at row %s", job_id, done)


def progress(job: ImportJob) -> tuple[int, int]:
    return job.processed_rows, job.total_rows


def _check_rows(job, importer):
    """Parse and prepare every row; returns (prepared [(row, item)], errors)."""
    headers, rows = read_table(job.filename, bytes(job.content))
    mapping = {int(index): field for index, field in job.mapping.items()}
    labels = {c.field: c.labels[0] for c in importer.all_columns()}
    column_of = {field: headers[index] for index, field in mapping.items()}
    prepared, errors, seen = [], [], {}

    def error(row, field, message):
        errors.append(
            {
                "row": row,
                "column": column_of.get(field, labels.get(field, field)),
                "field": field,
                "message": message,
            }
        )

    for number, values in enumerate(rows, start=2):
        raw = {
            field: values[index] if index < len(values) else None
            for index, field in mapping.items()
        }
        seen["__row__"] = number
        try:
            prepared.append((number, importer.prepare(importer.parse_row(raw), seen)))
        except RowError as exc:
            error(number, exc.field, exc.message)
        if number % PROGRESS_EVERY == 0:
            set_progress(job.pk, number - 1)
    for number, field, message in importer.check_all(prepared):
        error(number, field, message)
    return prepared, sorted(errors, key=lambda e: e["row"])


def run_import(job_id: int, *, apply: bool) -> None:
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    importer = importer_for(job.target, job.organization)
    try:
        importer.load()
        prepared, errors = _check_rows(job, importer)
        job.errors, job.error_count = errors[:MAX_REPORTED_ERRORS], len(errors)
        if errors:
            job.status = ImportJob.Status.CHECKED
            job.message = _("%(n)d rows have errors; nothing was written.") % {"n": len(errors)}
        elif apply:
            _write(job, importer, [item for _row, item in prepared])
        else:
            job.status = ImportJob.Status.CHECKED
            job.message = _("All %(n)d rows are valid.") % {"n": len(prepared)}
    except (ValidationFailed, IntegrityError) as exc:
        job.status = ImportJob.Status.FAILED
        job.message = str(getattr(exc, "message", "")) or _(
            "Another user changed the same records; check the file again."
        )
    except Exception:
        logger.exception("import %s failed", job_id)
        job.status = ImportJob.Status.FAILED
        job.message = _("The import failed unexpectedly; nothing was written.")
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "errors",
            "error_count",
            "status",
            "message",
            "processed_rows",
            "created_count",
            "updated_count",
            "finished_at",
        ]
    )


def refresh_statistics(model, rows: int) -> None:
    """After a big bulk write, let PostgreSQL's planner know the table grew (it would only
    notice at the next autovacuum, and plan searches badly meanwhile)."""
    if rows >= 1000 and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _write(job, importer, items) -> None:
    note = {"import": [None, job.filename]}
    with transaction.atomic(), audit.acting_as(job.user, job.organization):
        created, updated = importer.write(items)
        audit.record_bulk(action="create", instances=created, note=note)
        audit.record_bulk(action="update", instances=updated, note=note)
    refresh_statistics(importer.model, len(items))
    job.created_count, job.updated_count = len(created), len(updated)
    job.status = ImportJob.Status.DONE
    job.message = _("%(created)d created, %(updated)d updated.") % {
        "created": len(created),
        "updated": len(updated),
    }
