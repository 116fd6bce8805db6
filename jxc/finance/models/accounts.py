"""The chart of accounts (会计科目表) and the accounts the automatic vouchers book to by role."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel


class Account(OrganizationScopedModel):
    """One account of an organization's chart: a tree by code (1122, 112201 …). Only leaves are
    posted to; a parent's balance is the sum of its children."""

    audit_module = "finance"

    class Type(models.TextChoices):  # the Chinese standards' categories (科目类别)
        ASSET = "asset", _("Assets")
        LIABILITY = "liability", _("Liabilities")
        COMMON = "common", _("Common")
        EQUITY = "equity", _("Owners' equity")
        COST = "cost", _("Costs")
        PROFIT_LOSS = "profit_loss", _("Profit and loss")

    class Direction(models.TextChoices):
        DEBIT = "debit", _("Debit")
        CREDIT = "credit", _("Credit")

    DIMENSIONS = ("partner", "warehouse", "department", "project")  # 辅助核算

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent account"),
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    direction = models.CharField(_("balance direction"), max_length=8, choices=Direction.choices)
    currency = models.ForeignKey(
        "masterdata.Currency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("foreign currency"),
    )
    # dimension → "required" or "optional"; dimensions not named may not be given
    dimensions = models.JSONField(_("auxiliary dimensions"), default=dict, blank=True)
    is_leaf = models.BooleanField(_("leaf account"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="account_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AccountRole(OrganizationScopedModel):
    """Which account plays a part the system books to by itself (the inventory account, input
    VAT, the profit of the year …), so that account codes stay the accountant's choice."""

    audit_module = "finance"

    class Role(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank")
        RECEIVABLE = "receivable", _("Accounts receivable")
        PREPAYMENT = "prepayment", _("Prepayments")
        INVENTORY = "inventory", _("Inventory")
        PENDING_LOSS = "pending_loss", _("Assets pending disposal")
        PAYABLE = "payable", _("Accounts payable")
        ESTIMATED_PAYABLE = "estimated_payable", _("Payable, goods not invoiced (暂估)")
        ADVANCE_RECEIPT = "advance_receipt", _("Advances from customers")
        INPUT_VAT = "input_vat", _("Input VAT")
        OUTPUT_VAT = "output_vat", _("Output VAT")
        INPUT_VAT_OUT = "input_vat_out", _("Input VAT transferred out")
        VAT_TRANSFER_OUT = "vat_transfer_out", _("Unpaid VAT transferred out")
        UNPAID_VAT = "unpaid_vat", _("Unpaid VAT")
        PROFIT_OF_YEAR = "profit_of_year", _("Profit of the year")
        RETAINED_EARNINGS = "retained_earnings", _("Profit distribution (retained earnings)")
        REVENUE = "revenue", _("Revenue")
        COST_OF_SALES = "cost_of_sales", _("Cost of sales")
        SELLING_EXPENSE = "selling_expense", _("Selling expenses")
        ADMIN_EXPENSE = "admin_expense", _("Administrative expenses")
        FINANCE_EXPENSE = "finance_expense", _("Finance expenses (exchange differences)")
        BANK_FEE = "bank_fee", _("Bank fees")
        CASH_DISCOUNT = "cash_discount", _("Cash discounts")
        NON_OPERATING_INCOME = "non_operating_income", _("Non-operating income")
        NON_OPERATING_EXPENSE = "non_operating_expense", _("Non-operating expenses")

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="roles", verbose_name=_("account")
    )

    class Meta:
        verbose_name = _("account role")
        verbose_name_plural = _("account roles")
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "role"], name="account_role_unique"),
        ]


class WarehouseAccount(OrganizationScopedModel):
    """存货科目 by warehouse: the stock of this warehouse is booked to ``account`` instead of the
    account the posting rules give the stock side (the debit of stock coming in, the credit of
    stock going out). Warehouses without one book to the rules' accounts. Transfers between
    warehouses kept in different accounts book from one account to the other."""

    audit_module = "finance"

    warehouse = models.ForeignKey(
        "masterdata.Warehouse",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("inventory account")
    )

    class Meta:
        verbose_name = _("warehouse inventory account")
        verbose_name_plural = _("warehouse inventory accounts")
        ordering = ["warehouse__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "warehouse"], name="warehouse_account_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id} → {self.account_id}"
