from .accounts import Account, AccountRole, WarehouseAccount
from .journal import Period, Voucher, VoucherLine, VoucherSequence, VoucherTemplate
from .receivables import Allocation, OpenItem, Payment, PaymentLine
from .rules import PostingRule

__all__ = [
    "Account",
    "AccountRole",
    "Allocation",
    "OpenItem",
    "Payment",
    "PaymentLine",
    "Period",
    "PostingRule",
    "Voucher",
    "VoucherLine",
    "VoucherSequence",
    "VoucherTemplate",
    "WarehouseAccount",
]
