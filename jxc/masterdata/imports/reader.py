"""Read an uploaded spreadsheet (xlsx or csv) into a header row and value rows."""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed

MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_table(filename: str, content: bytes) -> tuple[list[str], list[list]]:
    """Headers and data rows (blank rows dropped); refuses what is not a usable spreadsheet."""
    if not content:
        raise ValidationFailed(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 50 MB."), field="file")
    lower = filename.lower()
    if lower.endswith(".csv"):
        rows = _read_csv(content)
    elif lower.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(content)
    else:
        raise ValidationFailed(_("Upload an Excel (.xlsx) or CSV file."), field="file")
    if not rows:
        raise ValidationFailed(_("The file has no rows."), field="file")
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    data = [row for row in rows[1:] if any(v is not None for v in row)]
    if not any(headers):
        raise ValidationFailed(_("The first row must hold the column headers."), field="file")
    if not data:
        raise ValidationFailed(_("The file has headers but no data rows."), field="file")
    return headers, data


def _read_csv(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(_("The CSV file is neither UTF-8 nor GB18030 text."), field="file")
    if "\x00" in text:
        raise ValidationFailed(_("This is not a text CSV file."), field="file")
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append([_clean(v) for v in row])
        if len(rows) > MAX_ROWS + 1:
            raise _too_many()
    return rows


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationFailed(
            _("The file is not a readable Excel workbook."), field="file"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise _too_many()
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_clean(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many()
        return rows
    finally:
        workbook.close()


def _too_many() -> ValidationFailed:
    return ValidationFailed(
        _("The file has more than %(max)s rows; split it into smaller files.")
        % {"max": f"{MAX_ROWS:,}"},
        field="file",
    )
