"""The vouchers of purchasing, as posting rules (data) registered with finance.

- A receipt's moves book stock's ``in`` event of the receipt line: Dr 1405 库存商品 /
  Cr 220202 应付账款-暂估, in the receipt's transaction (through inventory's move service).
- A return of a whole receipt line undoes the receipt's move (a reversal: the goods leave at
  the value they came in at, booked in red, Dr 1405 / Cr 220202 红字); a partial return is an
  ordinary issue to the supplier at the current cost (Dr 220202 / Cr 1405): the 暂估 goes
  back with the goods either way. (A stock move is reversed once only, so partial returns
  cannot be reversals.)
- A supplier invoice books three events of its own: ``matched`` (Dr 220202 / Cr 2202: the 暂估
  reversed, plus the part of the price variance that went into the stock still on hand),
  ``variance_sold`` (Dr 5401 / Cr 2202: the variance on goods already sold) and ``input_vat``
  (Dr 22210101 / Cr 2202; only for deductible invoice types, otherwise the VAT is cost).
  An expense line (no receipt) books ``expense``: Dr the line's own expense account (net,
  plus the VAT when it is not deductible) / Cr 2202; its deductible VAT joins ``input_vat``.
  The variance that goes to stock moves as a value-only stock move (``variance`` event of the
  invoice line: Dr 1405 / Cr 220202), so the inventory account keeps equal to the stock
  valuation.
- A return of goods not yet invoiced books ``estimate_difference`` (Dr 5401 / Cr 220202): what
  the goods left stock at less the 暂估 they take back (nothing, unless the average moved).
- A return of invoiced goods books ``returned`` (Dr 1123 / Cr 220202: the red 暂估 of the
  moves taken back), ``input_vat_returned`` (Dr 1123 / Cr 22210101: the input VAT reversed)
  and ``price_difference`` (Dr 1123 / Cr 5401: what was invoiced less what left stock); the
  supplier owes the sum, an AP credit (a negative payable on 1123 预付账款) that a refund or
  the next invoice is allocated against.
- A free-standing return (no receipt) issues its goods at the current cost (Dr 220202 /
  Cr 1405) and books the same three events on the price the supplier credits: ``returned``
  (the goods' cost), ``input_vat_returned`` and ``price_difference`` (the credited net less the
  cost); the credit is refunded (a supplier refund: Dr bank / Cr 1123) or offset against an
  invoice (Dr 2202 / Cr 1123), see ``services.return_credits``.
- A landed cost (到岸成本: freight, duty, insurance) books like an invoice's price variance:
  the share of goods on hand as a value-only stock move (``in`` of the allocation: Dr 1405 /
  Cr 220202) taken off 220202 by ``matched`` (Dr 220202 / Cr 2202), the share of goods sold as
  ``landed_sold`` (Dr 5401 / Cr 2202), deductible VAT as ``input_vat`` (Dr 22210101 / Cr 2202); the
  payable is the cost supplier's.
"""

from django.utils.translation import gettext_lazy as _

from jxc.finance.events import DefaultRule, register_default_rules, register_labels

RECEIPT_LINE = "purchasing.goodsreceiptline"
RECEIPT = "purchasing.goodsreceipt"
INVOICE = "purchasing.supplierinvoice"
INVOICE_LINE = "purchasing.supplierinvoiceline"
RETURN = "purchasing.purchasereturn"
RETURN_LINE = "purchasing.purchasereturnline"
LANDED = "purchasing.landedcost"
LANDED_ALLOCATION = "purchasing.landedcostallocation"


def register_purchasing_postings() -> None:
    rules = [
        (RECEIPT_LINE, "in", "inventory", "estimated_payable", "采购入库"),
        (RETURN_LINE, "in", "inventory", "estimated_payable", "采购退货"),  # booked in red
        (RETURN_LINE, "out", "estimated_payable", "inventory", "采购退货"),
        (INVOICE_LINE, "in", "inventory", "estimated_payable", "采购价差计入库存"),
        (INVOICE, "matched", "estimated_payable", "payable", "采购发票冲暂估"),
        (INVOICE, "variance_sold", "cost_of_sales", "payable", "采购价差计入成本"),
        (INVOICE, "input_vat", "input_vat", "payable", "进项税额"),
        # the debit is the expense line's own account (the rule's is the default shown)
        (INVOICE, "expense", "admin_expense", "payable", "采购发票费用"),
        (RETURN, "estimate_difference", "cost_of_sales", "estimated_payable", "采购退货成本差"),
        (RETURN, "returned", "prepayment", "estimated_payable", "采购退货冲应付"),
        (RETURN, "input_vat_returned", "prepayment", "input_vat", "采购退货进项税额"),
        (RETURN, "price_difference", "prepayment", "cost_of_sales", "采购退货价差"),
        (LANDED_ALLOCATION, "in", "inventory", "estimated_payable", "采购费用计入库存"),
        (LANDED, "matched", "estimated_payable", "payable", "采购费用"),
        (LANDED, "landed_sold", "cost_of_sales", "payable", "采购费用计入成本"),
        (LANDED, "input_vat", "input_vat", "payable", "采购费用进项税额"),
    ]
    register_default_rules(
        [
            DefaultRule(
                document_type=document_type,
                event=event,
                debit_role=debit,
                credit_role=credit,
                summary=summary,
            )
            for document_type, event, debit, credit, summary in rules
        ]
    )
    register_labels(
        "document_type",
        {
            RECEIPT_LINE: _("Goods receipt"),
            INVOICE_LINE: _("Supplier invoice: price variance"),
            INVOICE: _("Supplier invoice"),
            RETURN: _("Purchase return"),
            RETURN_LINE: _("Purchase return: goods"),
            LANDED: _("Landed cost"),
            LANDED_ALLOCATION: _("Landed cost: to stock"),
        },
    )
    register_labels(
        "event",
        {
            "matched": _("Estimated payable reversed"),
            "variance_sold": _("Price variance on goods sold"),
            "input_vat": _("Input VAT"),
            "returned": _("Returned to supplier"),
            "estimate_difference": _("Return: cost difference"),
            "input_vat_returned": _("Return: input VAT reversed"),
            "price_difference": _("Return: price difference"),
            "landed_sold": _("Landed cost on goods sold"),
            "expense": _("Expense"),
        },
    )
