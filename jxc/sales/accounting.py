"""The default posting rules of sales' events (小企业会计准则 practice), by account role:

- a delivery's moves (``out``): Dr 5401 主营业务成本 / Cr 1405 库存商品;
- a return's moves (``in``): Dr 1405 / Cr 5401, at the cost the goods left with;
- an invoice: ``revenue`` Dr 1122 应收账款 / Cr 5001 主营业务收入, ``output_vat`` Dr 1122 /
  Cr 应交税费—销项税额;
- a credit note (a return of invoiced goods): the same in red against 预收账款, where the
  customer's credit is held until it is settled with an invoice.
"""

from django.utils.translation import gettext_lazy as _

from jxc.finance.events import DefaultRule, register_default_rules, register_labels
from jxc.sales.services.common import CREDIT_NOTE, DELIVERY_LINE, INVOICE, RETURN_LINE


def register_sales_postings() -> None:
    rules = [
        (DELIVERY_LINE, "out", "cost_of_sales", "inventory", "销售出库"),
        (RETURN_LINE, "in", "inventory", "cost_of_sales", "销售退货"),
        (INVOICE, "revenue", "receivable", "revenue", "销售收入"),
        (INVOICE, "output_vat", "receivable", "output_vat", "销项税额"),
        (CREDIT_NOTE, "revenue", "advance_receipt", "revenue", "销售退回冲减收入"),
        (CREDIT_NOTE, "output_vat", "advance_receipt", "output_vat", "销售退回冲减销项税额"),
    ]
    register_default_rules(
        [
            DefaultRule(
                document_type=document_type, event=event, debit_role=debit,
                credit_role=credit, summary=summary,
            )
            for document_type, event, debit, credit, summary in rules
        ]
    )  # fmt: skip
    register_labels(
        "document_type",
        {
            DELIVERY_LINE: _("Delivery"),
            RETURN_LINE: _("Sales return"),
            INVOICE: _("Customer invoice"),
            CREDIT_NOTE: _("Customer credit note"),
        },
    )
    register_labels("event", {"revenue": _("Revenue"), "output_vat": _("Output VAT")})
