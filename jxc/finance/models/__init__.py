from .accounts import Account, AccountRole
from .journal import Period, Voucher, VoucherLine, VoucherSequence
from .rules import PostingRule

__all__ = [
    "Account",
    "AccountRole",
    "Period",
    "PostingRule",
    "Voucher",
    "VoucherLine",
    "VoucherSequence",
]
