"""VAT on document lines, in pure code: the tax-exclusive amount, the tax and the
tax-inclusive amount of a line, rounded half-up to the fen per line, and the document's totals
as the sums of its lines (with the check that they agree with the tax of the total, within the
rounding the lines allow).

Entered either way: a tax-inclusive price (含税价, what Chinese buyers usually quote) or a
tax-exclusive one. Whichever is entered is kept exactly; the other two follow from it.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class TaxedAmount:
    net: Decimal  # 不含税金额
    tax: Decimal  # 税额
    gross: Decimal  # 价税合计


def line_tax(amount: Decimal, rate_percent: Decimal, *, inclusive: bool) -> TaxedAmount:
    """One line: ``amount`` is the inclusive total when ``inclusive``, else the net amount."""
    if rate_percent < 0 or rate_percent > HUNDRED:
        raise ValueError("a VAT rate is between 0 and 100 %")
    rate = rate_percent / HUNDRED
    amount = money(amount)
    if inclusive:
        net = money(amount / (1 + rate))
        return TaxedAmount(net=net, tax=amount - net, gross=amount)
    tax = money(amount * rate)
    return TaxedAmount(net=amount, tax=tax, gross=amount + tax)


@dataclass(frozen=True)
class DocumentTax:
    net: Decimal
    tax: Decimal
    gross: Decimal
    # the tax of the document's total (per rate) less the sum of the lines' taxes: at most half
    # a fen per line, as each line rounds on its own
    rounding_difference: Decimal


def document_tax(lines: list[tuple[TaxedAmount, Decimal]]) -> DocumentTax:
    """``lines``: each line's amounts and its rate (%). The totals are the sums of the lines;
    the check compares, per rate, the tax of the summed net amounts with the summed taxes."""
    net = sum((line.net for line, _rate in lines), Decimal(0))
    tax = sum((line.tax for line, _rate in lines), Decimal(0))
    by_rate: dict[Decimal, list[TaxedAmount]] = {}
    for line, rate in lines:
        by_rate.setdefault(rate, []).append(line)
    difference = Decimal(0)
    for rate, group in by_rate.items():
        summed_net = sum((line.net for line in group), Decimal(0))
        difference += money(summed_net * rate / HUNDRED) - sum(
            (line.tax for line in group), Decimal(0)
        )
    return DocumentTax(net=net, tax=tax, gross=net + tax, rounding_difference=difference)


def within_rounding(document: DocumentTax, line_count: int) -> bool:
    """The document-level check: the lines' rounding explains the difference."""
    return abs(document.rounding_difference) <= CENT * line_count


def deductible(invoice_type: str) -> bool:
    """Only input VAT on a special VAT invoice (专票, 数电专票) is deducted (22210101); other
    input VAT is part of the cost of what was bought."""
    return invoice_type == "special"
