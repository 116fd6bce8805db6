"""Opening balances from a workbook (期初余额导入): a template of the organization's accounts, and
the upload of a filled one (or of another system's 科目余额表 with the same column names).

Every row is checked before anything is booked, and every bad row is reported with its row
number, column and reason; the rows are booked only when all of them are good, by
:func:`enter_opening_balances`, whose rules stay the only ones (the checks here only name the
row that breaks them)."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account
from jxc.finance.services.opening import (
    OpenedElsewhere,
    enter_opening_balances,
    opening_trial_balance,
    preview_opening_balances,
)
from jxc.masterdata.models import Partner, Warehouse

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: a sheet ends after this many blank rows in a row (formatted but empty rows of a template)
BLANK_RUN = 200
#: how far down a sheet its header row may be (exports put a title above it)
HEADER_SEARCH = 10
MAX_AMOUNT = Decimal(10) ** 15
CENT = Decimal("0.01")
MAX_TEXT = 64
ZERO = Decimal(0)


def _columns() -> dict[str, tuple[str, ...]]:
    """The headers each field is read from: the template's, in either language, and the usual
    names of other systems' 科目余额表 exports."""
    return {
        "code": (_("Account code"), "科目编码", "科目代码", "科目编号", "account code", "code"),
        "name": (_("Account name"), "科目名称", "account name"),
        "direction": (
            pgettext("opening import column", "Direction"),
            "余额方向",
            "方向",
            "direction",
        ),
        "dimensions": (_("Dimensions"), "辅助核算", "dimensions"),
        "debit": (
            pgettext("opening import column", "Debit"),
            "借方",
            "借",
            "期初借方",
            "借方余额",
            "期初借方余额",
            "debit",
        ),
        "credit": (
            pgettext("opening import column", "Credit"),
            "贷方",
            "贷",
            "期初贷方",
            "贷方余额",
            "期初贷方余额",
            "credit",
        ),
        "balance": (
            pgettext("opening import column", "Balance"),
            "余额",
            "期初余额",
            "balance",
            "opening balance",
        ),
        "partner": (
            _("Partner code"),
            "往来单位编码",
            "往来单位",
            "客户/供应商",
            "partner code",
            "partner",
        ),  # fmt: skip
        "warehouse": (_("Warehouse code"), "仓库编码", "仓库", "warehouse code", "warehouse"),
        "department": (_("Department"), "部门", "department"),
        "project": (_("Project"), "项目", "project"),
    }


def _normalize(header) -> str:
    """Headers compare loosely: case, spaces, '*' marks and bracketed notes do not matter."""
    text = re.sub(r"[（(][^）)]*[）)]", "", str(header or ""))
    return re.sub(r"[\s*_\-:：]", "", text).lower()


TEMPLATE_FIELDS = ("code", "name", "direction", "dimensions", "debit", "credit", "partner",
                   "warehouse", "department", "project")  # fmt: skip
DIMENSION_FIELDS = ("partner", "warehouse", "department", "project")


def _dimension_labels() -> dict[str, str]:
    return {
        "partner": _("partner"),
        "warehouse": _("warehouse"),
        "department": _("department"),
        "project": _("project"),
    }


def _dimensions_text(account) -> str:
    labels = _dimension_labels()
    parts = []
    for name in Account.DIMENSIONS:
        mode = account.dimensions.get(name)
        if mode == "required":
            parts.append(_("%(dimension)s (required)") % {"dimension": labels[name]})
        elif mode:
            parts.append(_("%(dimension)s (optional)") % {"dimension": labels[name]})
    return ", ".join(parts)


def importable_accounts(organization) -> list[Account]:
    """The accounts whose opening balance is entered (and imported): active leaves kept in the
    base currency, other than those that open from the subledgers."""
    elsewhere = OpenedElsewhere(organization)
    return [
        account
        for account in Account.objects.filter(
            organization=organization, is_leaf=True, is_active=True, currency__isnull=True
        ).order_by("code")
        if elsewhere.refusal(account) is None
    ]


def opening_template(organization) -> bytes:
    """期初余额 sheet: one row per importable account with empty amounts; 说明 sheet: how to fill
    it in."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    columns = _columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Opening balances")[:31]
    headers = [str(columns[name][0]) + ("*" if name == "code" else "") for name in TEMPLATE_FIELDS]
    sheet.append(headers)
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, shaded
    directions = dict(Account.Direction.choices)
    for account in importable_accounts(organization):
        sheet.append([account.code, account.name, str(directions[account.direction]),
                      _dimensions_text(account), None, None, None, None, None, None])  # fmt: skip
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
    # codes are text: 1002 and 100201 must not turn into numbers when a user types one
    for row in sheet.iter_rows(min_row=2, min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"
    widths = (14, 28, 10, 26, 16, 16, 16, 14, 14, 14)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.column_dimensions["A"].width = 110
    notes.append([_("How to fill in the opening balances")])
    notes["A1"].font = Font(bold=True, size=13)
    for text in (
        _("Enter each account's balance on the day before the go-live date in the 借方 (debit) "
          "or the 贷方 (credit) column, not both. Instead of the two columns, a single 余额 "
          "(balance) column may hold the balance in the account's direction; a negative "
          "balance is on the other side."),
        _("Amounts are numbers with at most two decimal places. Rows without an amount are "
          "skipped; leave the accounts without a balance empty, or delete their rows."),
        _("Accounts are found by their code; the name, direction and dimensions columns are "
          "for reading only. Only leaf accounts take a balance, never their parent accounts."),
        _("An account whose dimensions say “partner (required)” or “warehouse (required)” "
          "needs the partner's or the warehouse's code on each row; enter one row per partner "
          "or warehouse. The same account with the same dimensions may appear only once."),
        _("The partner ledger accounts (accounts receivable and payable, advances and "
          "prepayments) are not in this sheet: their opening balances are entered per partner "
          "and document as other receivables and payables. The inventory account opens with "
          "the opening stock receipts. Both are booked against 利润分配 (retained earnings)."),
        _("Enter 利润分配 (retained earnings) with the balance of the old books: the system "
          "books what is left of it once the partner and stock openings are counted. The whole "
          "must balance: debits equal credits."),
        _("Upload the file on the opening balances page: the preview lists every row with an "
          "error (row number, column and reason) and the trial balance that results; nothing is "
          "booked until every row is right and you apply it."),
        _("At most %(rows)s rows and %(size)s MB per file.")
        % {"rows": f"{MAX_ROWS:,}", "size": MAX_BYTES // (1024 * 1024)},
    ):  # fmt: skip
        notes.append([text])
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrapped
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportedRow:
    row: int
    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    partner: Partner | None = None
    warehouse: Warehouse | None = None
    department: str = ""
    project: str = ""

    def line(self) -> dict:
        return {
            "account": self.account,
            "debit": self.debit,
            "credit": self.credit,
            "partner": self.partner,
            "warehouse": self.warehouse,
            "department": self.department,
            "project": self.project,
        }

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "account": self.account.pk,
            "code": self.account.code,
            "name": self.account.name,
            "debit": self.debit,
            "credit": self.credit,
            "partner": self.partner.pk if self.partner else None,
            "partner_name": self.partner.name if self.partner else "",
            "warehouse": self.warehouse.pk if self.warehouse else None,
            "warehouse_name": self.warehouse.name if self.warehouse else "",
            "department": self.department,
            "project": self.project,
        }


@dataclass
class ParsedFile:
    sheet: str
    headers: list[str]
    columns: dict[str, int]
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


class ImportRefused(ValidationFailed):
    """The file has bad rows: nothing is booked; ``fields.file`` lists them (row, column,
    reason), ``errors`` holds them as data."""

    def __init__(self, errors: list[dict]):
        super().__init__(
            ngettext(
                "%(count)s error in the file; nothing was booked.",
                "%(count)s errors in the file; nothing was booked.",
                len(errors),
            )
            % {"count": len(errors)},
            field="file",
        )
        self.errors = errors

    @property
    def fields(self) -> dict:
        return {"file": describe_errors(self.errors)}


class _RowError(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name, self.message = name, message


def _load_sheets(filename: str, content: bytes):
    if not content:
        raise ValidationFailed(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if not filename.lower().endswith((".xlsx", ".xlsm")) or not zipfile.is_zipfile(
        io.BytesIO(content)
    ):
        raise ValidationFailed(
            _("Upload an Excel workbook (.xlsx), such as the template."), field="file"
        )
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same here
        raise ValidationFailed(
            _("The file is not a readable Excel workbook."), field="file"
        ) from None


def _header_map(values) -> dict[str, int]:
    """field → column index of a header row (the first column of a field wins)."""
    known = {}
    for name, labels in _columns().items():
        for label in labels:
            known.setdefault(_normalize(label), name)
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        name = known.get(_normalize(value)) if value is not None else None
        if name and name not in found:
            found[name] = index
    return found


def _find_table(workbook):
    """The sheet, header row number, header texts and field columns of the balances: the first
    sheet with an account-code column and an amount column within its first rows."""
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(max_row=HEADER_SEARCH, values_only=True)
        for number, values in enumerate(rows, start=1):
            found = _header_map(values)
            if "code" in found and ({"debit", "credit", "balance"} & set(found)):
                headers = ["" if v is None else str(v).strip() for v in values]
                return sheet, number, headers, found
    raise ValidationFailed(
        _("No sheet has the columns of the template (科目编码 and 借方/贷方 or 余额): download "
          "the template and fill in its sheet “%(sheet)s”.") % {"sheet": _("Opening balances")},
        field="file",
    )  # fmt: skip


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value, name: str) -> Decimal | None:
    """A cell's amount, or None when empty; refuses what is not a number with two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _RowError(name, _("Enter a number."))
    if isinstance(value, float):
        # a formula's result carries binary noise (1234.5600000000002): round it off first
        number = Decimal(format(value, ".9f"))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raw = re.sub(r"[,，\s¥￥]", "", str(value))
        if raw in ("-", "—"):
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise _RowError(name, _("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise _RowError(name, _("Enter a number."))
    if abs(number) >= MAX_AMOUNT:
        raise _RowError(name, _("The amount is too large."))
    if number != number.quantize(CENT):
        raise _RowError(name, _("Amounts have at most two decimal places."))
    return number.quantize(CENT)


class _Reader:
    def __init__(self, organization):
        self.organization = organization
        self.accounts = {
            a.code.lower(): a for a in Account.objects.filter(organization=organization)
        }
        self.partners = _lookup(Partner.objects.filter(organization=organization))
        self.warehouses = _lookup(Warehouse.objects.filter(organization=organization))
        self.elsewhere = OpenedElsewhere(organization)

    def row(self, number: int, cells: dict) -> ImportedRow | None:
        """The row's balance, None when it has none; raises a list of its errors."""
        errors: list[_RowError] = []
        amounts = {}
        for name in ("debit", "credit", "balance"):
            try:
                amounts[name] = _amount(cells.get(name), name)
            except _RowError as exc:
                errors.append(exc)
        code = _text(cells.get("code"))
        entered = [n for n in ("debit", "credit", "balance") if amounts.get(n)]
        if not entered and not errors:
            return None  # nothing entered: a template row of an account without a balance
        account = None
        if not code:
            errors.append(_RowError("code", _("Enter the account code.")))
        else:
            account = self.accounts.get(code.lower())
            if account is None:
                errors.append(
                    _RowError(
                        "code", _("There is no account with code “%(code)s”.") % {"code": code}
                    )  # fmt: skip
                )
            else:
                problem = self._account_problem(account)
                if problem:
                    errors.append(_RowError("code", problem))
                    account = None  # its dimensions do not matter
        debit = credit = ZERO
        if amounts.get("balance") and (amounts.get("debit") or amounts.get("credit")):
            errors.append(
                _RowError("balance", _("Enter the balance or debit and credit, not both."))
            )
        elif amounts.get("debit") and amounts.get("credit"):
            errors.append(_RowError("credit", _("Enter the balance on one side: debit or credit.")))
        elif amounts.get("balance"):
            if account is not None:
                signed = amounts["balance"]
                if account.direction == Account.Direction.CREDIT:
                    signed = -signed
                debit, credit = max(signed, ZERO), max(-signed, ZERO)
        else:
            for side in ("debit", "credit"):
                value = amounts.get(side) or ZERO
                if value < 0:
                    errors.append(_RowError(side, _("Enter a negative balance on the other side.")))
            debit, credit = amounts.get("debit") or ZERO, amounts.get("credit") or ZERO
        dimensions = self._dimensions(cells, account, errors)
        if errors:
            raise _Errors(errors)
        return ImportedRow(row=number, account=account, debit=debit, credit=credit, **dimensions)

    def _account_problem(self, account) -> str | None:
        if not account.is_leaf:
            return _("%(code)s is a parent account: enter the balances of its sub-accounts.") % {
                "code": account.code
            }
        refusal = self.elsewhere.refusal(account)
        if refusal:
            return refusal
        if not account.is_active:
            return _("Account %(code)s is inactive.") % {"code": account.code}
        if account.currency_id:
            return _(
                "%(code)s is kept in a foreign currency: its opening balance is not imported."
            ) % {"code": account.code}
        return None

    def _dimensions(self, cells: dict, account, errors: list) -> dict:
        found: dict = {}
        labels = _dimension_labels()
        for name in DIMENSION_FIELDS:
            value = _text(cells.get(name))
            if value and name in ("partner", "warehouse"):
                lookup = self.partners if name == "partner" else self.warehouses
                record = lookup.get(value.lower())
                if record is None:
                    errors.append(
                        _RowError(
                            name,
                            _("There is no %(what)s with code “%(code)s”.")
                            % {"what": labels[name], "code": value},
                        )  # fmt: skip
                    )
                    continue
                found[name] = record
            elif value:
                if len(value) > MAX_TEXT:
                    errors.append(_RowError(name, _("At most %(n)d characters.") % {"n": MAX_TEXT}))
                    continue
                found[name] = value
            if account is None:
                continue
            mode = account.dimensions.get(name)
            if mode == "required" and not value:
                errors.append(
                    _RowError(
                        name,
                        _("Account %(code)s needs the %(what)s.")
                        % {"code": account.code, "what": labels[name]},
                    )  # fmt: skip
                )
            elif mode is None and value:
                errors.append(
                    _RowError(
                        name,
                        _("Account %(code)s takes no %(what)s.")
                        % {"code": account.code, "what": labels[name]},
                    )  # fmt: skip
                )
        return found


class _Errors(Exception):
    def __init__(self, errors: list[_RowError]):
        super().__init__(str(errors))
        self.errors = errors


def _lookup(queryset) -> dict:
    """code (and, where no code has it, name) → record, case-insensitively."""
    by_code, by_name = {}, {}
    for record in queryset:
        by_code.setdefault(record.code.strip().lower(), record)
        by_name.setdefault(record.name.strip().lower(), record)
    return {**by_name, **by_code}


def read_opening_workbook(organization, filename: str, content: bytes) -> ParsedFile:
    """Every row with a balance, and every bad row's errors (``row``, ``column``, ``field``,
    ``message``); raises for a file that is not a usable workbook."""
    workbook = _load_sheets(filename, content)
    try:
        sheet, header_row, headers, columns = _find_table(workbook)
        parsed = ParsedFile(sheet=sheet.title, headers=headers, columns=columns)
        reader = _Reader(organization)
        seen: dict[tuple, int] = {}
        blank_run = data_rows = 0
        rows = sheet.iter_rows(min_row=header_row + 1, values_only=True)
        for number, values in enumerate(rows, start=header_row + 1):
            cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                blank_run += 1
                if blank_run >= BLANK_RUN:
                    break
                continue
            blank_run = 0
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise ValidationFailed(
                    _("The file has more than %(max)s rows; split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"},
                    field="file",
                )
            try:
                row = reader.row(number, cells)
            except _Errors as bad:
                for error in bad.errors:
                    parsed.errors.append(
                        _error(number, error.name, error.message, headers, columns)
                    )
                continue
            if row is None:
                continue
            key = (row.account.pk, getattr(row.partner, "pk", None),
                   getattr(row.warehouse, "pk", None), row.department, row.project)  # fmt: skip
            if key in seen:
                parsed.errors.append(_error(
                    number, "code",
                    _("Account %(code)s with the same dimensions is on row %(row)s already.")
                    % {"code": row.account.code, "row": seen[key]},
                    headers, columns,
                ))  # fmt: skip
                continue
            seen[key] = number
            parsed.rows.append(row)
    finally:
        workbook.close()
    if not parsed.rows and not parsed.errors:
        raise ValidationFailed(
            _("No row of the sheet “%(sheet)s” has a balance entered.") % {"sheet": parsed.sheet},
            field="file",
        )
    return parsed


def _error(row: int | None, name: str, message: str, headers=None, columns=None) -> dict:
    column = ""
    if columns is not None and name in columns:
        column = headers[columns[name]]
    elif name in _columns():
        column = str(_columns()[name][0])
    return {"row": row, "column": column, "field": name, "message": str(message)}


_LINE_FIELD = re.compile(r"^lines\.(\d+)\.(\w+)$")
_FIELD_OF = {"account": "code"}


def _service_error(exc: ValidationFailed, parsed: ParsedFile) -> dict:
    """An error of the opening-balance service, on the row of the line it names."""
    match = _LINE_FIELD.match(exc.field or "")
    if match and int(match.group(1)) < len(parsed.rows):
        row = parsed.rows[int(match.group(1))]
        name = _FIELD_OF.get(match.group(2), match.group(2))
        return _error(row.row, name, str(exc.message), parsed.headers, parsed.columns)
    return {"row": None, "column": "", "field": exc.field or "file", "message": str(exc.message)}


def import_opening_balances(
    *, organization, go_live: datetime.date, filename: str, content: bytes, apply: bool, user=None
) -> dict:
    """Read the workbook and check every row; with ``apply``, book the balances when every row
    is good (a :class:`ValidationFailed` naming the bad rows otherwise), else book nothing and
    return the rows, the errors and the trial balance that would result."""
    parsed = read_opening_workbook(organization, filename, content)
    lines = [row.line() for row in parsed.rows]
    errors = list(parsed.errors)
    trial = None
    if not errors:
        try:
            trial = preview_opening_balances(
                organization=organization, go_live=go_live, lines=lines
            )
        except ValidationFailed as exc:
            errors.append(_service_error(exc, parsed))
        else:
            problem = trial.pop("problem")
            if problem:
                errors.append({"row": None, "column": "", "field": "lines", "message": problem})
    result = {
        "sheet": parsed.sheet,
        "rows": [row.as_dict() for row in parsed.rows],
        "errors": errors,
        "valid": not errors,
        "trial_balance": trial,
        "applied": False,
    }
    if not apply:
        return result
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        enter_opening_balances(organization=organization, go_live=go_live, lines=lines, user=user)
    result["trial_balance"] = opening_trial_balance(organization, go_live)
    result["applied"] = True
    return result


def describe_errors(errors: list[dict], limit: int = 100) -> list[str]:
    """The errors as lines of text (第 5 行 借方: …)."""
    lines = []
    for error in errors[:limit]:
        if error["row"] is None:
            lines.append(error["message"])
        else:
            where = _("Row %(row)s") % {"row": error["row"]}
            if error["column"]:
                where = f"{where} {error['column']}"
            lines.append(f"{where}: {error['message']}")
    return lines
