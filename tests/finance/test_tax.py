"""VAT per line and per document: the amounts agree, whichever way they were entered."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jxc.finance.domain.tax import deductible, document_tax, line_tax, within_rounding

RATES = [Decimal(r) for r in ("0", "1", "3", "5", "6", "9", "13")]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)


@pytest.mark.parametrize(
    ("amount", "rate", "inclusive", "expected"),
    [
        ("113.00", "13", True, ("100.00", "13.00", "113.00")),
        ("100.00", "13", False, ("100.00", "13.00", "113.00")),
        ("10.00", "13", True, ("8.85", "1.15", "10.00")),
        ("0.05", "13", False, ("0.05", "0.01", "0.06")),  # 0.0065 rounds half-up
        ("1.00", "6", True, ("0.94", "0.06", "1.00")),
        ("100.00", "0", True, ("100.00", "0.00", "100.00")),
    ],
)
def test_line_tax(amount, rate, inclusive, expected):
    taxed = line_tax(Decimal(amount), Decimal(rate), inclusive=inclusive)
    assert (str(taxed.net), str(taxed.tax), str(taxed.gross)) == expected


@given(amounts, st.sampled_from(RATES), st.booleans())
def test_a_line_always_adds_up_and_keeps_what_was_entered(amount, rate, inclusive):
    taxed = line_tax(amount, rate, inclusive=inclusive)
    assert taxed.net + taxed.tax == taxed.gross
    assert (taxed.gross if inclusive else taxed.net) == amount
    assert taxed.tax >= 0
    assert abs(taxed.tax - (taxed.net * rate / 100)) <= Decimal("0.01")


@given(st.lists(st.tuples(amounts, st.sampled_from(RATES), st.booleans()), min_size=1,
                max_size=30))  # fmt: skip
def test_a_documents_totals_are_its_lines_and_pass_the_check(lines):
    taxed = [(line_tax(a, r, inclusive=i), r) for a, r, i in lines]
    document = document_tax(taxed)
    assert document.net == sum(t.net for t, _r in taxed)
    assert document.gross == sum(t.gross for t, _r in taxed)
    assert within_rounding(document, len(lines))


def test_only_special_invoices_are_deductible():
    assert deductible("special")
    assert not deductible("ordinary")
    assert not deductible("none")


def test_an_absurd_rate_is_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        line_tax(Decimal(1), Decimal(101), inclusive=False)
