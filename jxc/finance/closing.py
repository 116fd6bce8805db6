"""Month-end close (期末结账): the steps a close runs and the checks it must pass, shown as a
checklist before closing.

Finance runs its own steps (the profit and loss carried forward to 本年利润, and at year end
本年利润 to 利润分配) and checks (every voucher balances, the trial balance balances, no draft
voucher dated in the period, earlier periods closed). The apps above it register theirs when
Django starts (the stock month close, "the inventory account equals the stock valuation") —
finance never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CloseCheck:
    code: str
    label: str
    # (organization, period) → problems: dicts with a "message" and what identifies the rows
    run: Callable


@dataclass(frozen=True)
class CloseStep:
    code: str
    label: str
    run: Callable  # (organization, period, user) → None; inside the close's transaction
    order: int = 100


_checks: dict[str, CloseCheck] = {}
_steps: dict[str, CloseStep] = {}


def register_close_check(check: CloseCheck) -> None:
    _checks[check.code] = check


def register_close_step(step: CloseStep) -> None:
    _steps[step.code] = step


def close_checks() -> list[CloseCheck]:
    return list(_checks.values())


def close_steps() -> list[CloseStep]:
    return sorted(_steps.values(), key=lambda step: step.order)


def register_finance_close() -> None:
    from jxc.finance.services import closing, month_end

    register_close_step(
        CloseStep("fx_revaluation", _("Revalue foreign currency"),
                  month_end.revalue_foreign_currency, 200)
    )  # fmt: skip
    register_close_step(
        CloseStep("vat_transfer", _("Transfer unpaid VAT"), month_end.transfer_unpaid_vat, 300)
    )
    register_close_step(
        CloseStep("carry_forward", _("Carry profit and loss forward"), closing.carry_forward, 900)
    )
    for code, label, run in (
        ("month_ended", _("The month has ended"), closing.check_month_ended),
        ("earlier_periods", _("Earlier periods are closed"), closing.check_earlier_closed),
        ("draft_vouchers", _("No draft voucher dated in the period"), closing.check_drafts),
        ("vouchers_balance", _("Every voucher balances"), closing.check_vouchers_balance),
        ("trial_balance", _("The trial balance balances"), closing.check_trial_balance),
        (
            "partner_ledgers",
            _("Receivables and payables equal their open items"),
            closing.check_partner_ledgers,
        ),
    ):
        register_close_check(CloseCheck(code, label, run))
