"""Opening balances (期初): what the books held before the system, entered once.

The partner ledgers' and the stock's openings come from their own documents, each booked
against 利润分配 (the account of the retained-earnings role): opening AR/AP as other
receivables / payables per partner and document, opening stock as receipts with the reason
"opening stock". The other accounts' balances are entered here, 利润分配 with the figure of
the old books: its line is what is left once the subledgers' openings are counted, and the
whole must balance (the trial balance check before the first period)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, AccountRole, Voucher, VoucherLine
from jxc.finance.services.vouchers import LineInput, check_lines, control_accounts, create_posted
from jxc.finance.verify import money

OPENING = "finance.opening"
ZERO = Decimal(0)


def _already_on(organization, account, before: datetime.date) -> Decimal:
    sums = VoucherLine.objects.filter(
        organization=organization, posted=True, account=account, date__lt=before
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(sums["debit"]) - money(sums["credit"])


@transaction.atomic
def enter_opening_balances(*, organization, go_live: datetime.date, lines: list[dict], user=None):
    """Book the opening balances of the accounts without a subledger, dated the day before
    ``go_live``. ``lines``: account, debit or credit (the balance), optional dimensions."""
    if Voucher.objects.filter(
        organization=organization, origin_type=OPENING, reversal_of__isnull=True,
        reversed_by__isnull=True,
    ).exists():  # fmt: skip
        raise ValidationFailed(
            _("The opening balances are booked already: reverse that voucher to enter them anew."),
            field="go_live",
        )
    day = go_live - datetime.timedelta(days=1)
    retained = AccountRole.objects.filter(
        organization=organization, role=AccountRole.Role.RETAINED_EARNINGS
    ).first()
    if retained is None:
        raise ValidationFailed(_("Set the retained-earnings account first."), field="go_live")
    controls = control_accounts(organization)
    stock = set(
        AccountRole.objects.filter(
            organization=organization, role=AccountRole.Role.INVENTORY
        ).values_list("account_id", flat=True)
    )
    summary = _("Opening balance")
    inputs, retained_line = [], None
    for index, line in enumerate(lines):
        account = line["account"]
        if account.pk in controls:
            raise ValidationFailed(
                _("%(code)s opens with the open items of its partners.") % {"code": account.code},
                field=f"lines.{index}.account",
            )
        if account.pk in stock:
            raise ValidationFailed(
                _("%(code)s opens with the opening stock receipts.") % {"code": account.code},
                field=f"lines.{index}.account",
            )
        entry = LineInput(
            account=account,
            summary=summary,
            debit=line.get("debit") or ZERO,
            credit=line.get("credit") or ZERO,
            partner=line.get("partner"),
            warehouse=line.get("warehouse"),
            department=line.get("department", ""),
            project=line.get("project", ""),
        )
        if account.pk == retained.account_id:
            retained_line = entry
        else:
            inputs.append(entry)
    # 利润分配 already holds what the subledgers' openings credited it with
    held = _already_on(organization, retained.account, go_live)
    wanted = (retained_line.debit - retained_line.credit) if retained_line else ZERO
    rest = wanted - held
    if rest:
        inputs.append(
            LineInput(
                account=retained.account,
                summary=summary,
                debit=max(rest, ZERO),
                credit=max(-rest, ZERO),
            )
        )
    debit = sum((x.debit for x in inputs), ZERO)
    credit = sum((x.credit for x in inputs), ZERO)
    if debit != credit:
        raise ValidationFailed(
            _("The opening balances do not balance: debits %(debit)s, credits %(credit)s "
              "(with what the stock and partner openings booked).")
            % {"debit": debit, "credit": credit},
            field="lines",
        )  # fmt: skip
    if not inputs:
        return None
    check_lines(organization, inputs)
    return create_posted(
        organization=organization, date=day, lines=inputs, user=user, origin_type=OPENING,
        reference=str(go_live),
    )  # fmt: skip


def opening_trial_balance(organization, go_live: datetime.date) -> dict:
    """The balances before ``go_live`` per account and whether they balance."""
    rows = (
        VoucherLine.objects.filter(organization=organization, posted=True, date__lt=go_live)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    accounts = Account.objects.in_bulk([r["account_id"] for r in rows])
    result, total_debit, total_credit = [], ZERO, ZERO
    for row in sorted(rows, key=lambda r: accounts[r["account_id"]].code):
        net = money(row["debit"]) - money(row["credit"])
        if not net:
            continue
        account = accounts[row["account_id"]]
        result.append({"account": account.pk, "code": account.code, "name": account.name,
                       "debit": max(net, ZERO), "credit": max(-net, ZERO)})  # fmt: skip
        total_debit += max(net, ZERO)
        total_credit += max(-net, ZERO)
    return {"rows": result, "debit": total_debit, "credit": total_credit,
            "balanced": total_debit == total_credit}  # fmt: skip
