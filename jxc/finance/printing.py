"""Printing vouchers (记账凭证) as a PDF, and amounts in Chinese capitals (大写金额).

The page is the 240 × 140 mm voucher sheet (the size of the pre-cut 凭证打印纸 such as
用友/金蝶 KPJ101 and of the 凭证封面 and binding boxes, so printed vouchers are bound with their
receipts as they are). A voucher of more lines than fit continues on further sheets: the header
and the column heads repeat on each one, the sheets are numbered "第 n/N 页", and the 合计 row
comes after the last line.

``amount_in_words`` follows the People's Bank of China rules for writing amounts on bills and
settlement vouchers (《正确填写票据和结算凭证的基本规定》), where they leave a choice taking
the form most accounting software prints:

* 壹 is written before 拾 (10 → 壹拾元整, 100000 → 壹拾万元整);
* whole yuan are read as Chinese numbers are, by groups of four digits under 万 and 亿: a run of
  zeros inside a group, at the start of a group or filling a whole group is one 零, zeros that
  close a non-empty group are not read (1001 → 壹仟零壹元, 100100 → 壹拾万零壹佰元,
  100010000 → 壹亿零壹万元, 100005000 → 壹亿零伍仟元, but 107000 → 壹拾万柒仟元);
* an amount whose 元 digit is 0 but which has 角 writes 零 after 元 (100000.10 → 壹拾万元零壹角),
  and a 0 角 before 分 is always written (1001.01 → 壹仟零壹元零壹分). With the rule above this
  gives the first of the two forms the PBOC allows in its own examples (1680.32 →
  壹仟陆佰捌拾元零叁角贰分, 107000.53 → 壹拾万柒仟元零伍角叁分);
* 整 follows 元 when there are no 角 and 分, and is not written after 角 or 分
  (1000 → 壹仟元整, 1.50 → 壹元伍角);
* an amount under one 元 starts at its first non-zero digit (0.05 → 伍分), and zero is 零元整;
* a negative (red-letter, 红字) amount is prefixed with 负.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.template.loader import render_to_string

from jxc.finance.models import Account, Voucher

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACE_UNITS = ("", "拾", "佰", "仟")
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 16  # an amount field's 16 integer digits: up to 仟万亿
MIN_ROWS = 5  # a short voucher still shows the grid of the printed form
DIMENSION_LABELS = {
    "partner": "往来单位",
    "warehouse": "仓库",
    "department": "部门",
    "project": "项目",
}


def amount_in_words(amount: Decimal) -> str:
    """The amount in Chinese capitals, rounded half-up to the fen (see the module's notes)."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation as error:
        raise ValueError(f"Not an amount: {amount!r}") from error
    if not value.is_finite():
        raise ValueError(f"Not an amount: {amount!r}")
    value = value.quantize(CENT, ROUND_HALF_UP)
    if abs(value) >= LIMIT:
        raise ValueError(f"Amount too large to write in words: {amount}")
    cents = int(abs(value) * 100)
    if cents == 0:
        return "零元整"
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words: list[str] = []
    pending_zero = False  # zeros seen after a written digit, read as one 零 before the next

    def digit(number: int, unit: str) -> None:
        nonlocal pending_zero
        if number == 0:
            pending_zero = pending_zero or bool(words)
            return
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(DIGITS[number] + unit)

    text = str(yuan) if yuan else ""
    for index, char in enumerate(text):
        place = len(text) - 1 - index
        digit(int(char), PLACE_UNITS[place % 4])
        if place not in (4, 8, 12):
            continue
        group = yuan // 10**place % 10**4  # the four digits that end here
        if place == 8 and yuan // 10**8:
            words.append("亿")  # also after an empty group under 万亿 (壹万亿)
        elif group:
            words.append("万")
        if group:
            pending_zero = False  # zeros closing a group are not read (壹拾万柒仟)
    if yuan:
        words.append("元")
    digit(jiao, "角")
    digit(fen, "分")
    if not jiao and not fen:
        words.append("整")
    return ("负" if value < 0 else "") + "".join(words)


def format_amount(value: Decimal | None) -> str:
    """1,234.56 with thousands separators; blank for zero (the other side of a line)."""
    if not value:
        return ""
    return f"{value:,.2f}"


def format_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Row:
    summary: str
    account: str
    debit: Decimal
    credit: Decimal
    details: list[str] = field(default_factory=list)

    @property
    def debit_text(self) -> str:
        return format_amount(self.debit)

    @property
    def credit_text(self) -> str:
        return format_amount(self.credit)


def _account_paths(accounts: list[Account]) -> dict[int, str]:
    """Each account's path from its top-level account: "2202 应付账款 / 220202 暂估应付款"."""
    known = {account.pk: account for account in accounts}
    while True:
        missing = {a.parent_id for a in known.values() if a.parent_id and a.parent_id not in known}
        found = list(Account.objects.filter(pk__in=missing)) if missing else []
        if not found:
            break
        known.update((account.pk, account) for account in found)
    paths = {}
    for account in accounts:
        chain, node, seen = [], account, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(f"{node.code} {node.name}")
            node = known.get(node.parent_id)
        paths[account.pk] = " / ".join(reversed(chain))
    return paths


def _details(line) -> list[str]:
    """The line's dimension values (辅助核算) and its foreign-currency amount."""
    details = []
    for name in Account.DIMENSIONS:
        value = getattr(line, name)
        if value:
            details.append(f"{DIMENSION_LABELS[name]}：{getattr(value, 'name', value)}")
    if line.currency_id and line.original_amount is not None:
        rate = f"{line.rate.normalize():f}" if line.rate is not None else ""
        details.append(f"{line.currency.code} {format_amount(line.original_amount)} × {rate}")
    return details


def _user_name(user) -> str:
    return str(user) if user is not None else ""


def voucher_context(voucher: Voucher) -> dict:
    """What the voucher template shows."""
    lines = list(
        voucher.lines.select_related("account", "partner", "warehouse", "currency").order_by(
            "position", "id"
        )
    )
    paths = _account_paths([line.account for line in lines])
    rows = [
        Row(
            summary=line.summary,
            account=paths[line.account_id],
            debit=line.debit,
            credit=line.credit,
            details=_details(line),
        )
        for line in lines
    ]
    debit = sum((row.debit for row in rows), Decimal(0))
    credit = sum((row.credit for row in rows), Decimal(0))
    posted = voucher.state == Voucher.State.POSTED
    poster = _user_name(voucher.posted_by) if posted else ""
    return {
        "voucher": voucher,
        "organization": voucher.organization.name,
        "date": format_date(voucher.date),
        "number": voucher.display_number if posted and voucher.number else "草稿",
        "is_draft": not posted,
        "attachments": voucher.attachments,
        "rows": rows,
        "blank_rows": range(max(0, MIN_ROWS - len(rows))),
        "total_words": amount_in_words(debit),
        "total_debit": format_amount(debit),
        "total_credit": format_amount(credit),
        "total_debit_red": debit < 0,
        "total_credit_red": credit < 0,
        "signatures": [
            ("会计主管", ""),
            ("记账", poster),
            ("审核", poster),
            ("出纳", ""),
            ("制单", _user_name(voucher.created_by)),
        ],
    }


def render_voucher_html(voucher: Voucher) -> str:
    return render_to_string("finance/voucher.html", voucher_context(voucher))


def render_voucher_pdf(voucher: Voucher) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_voucher_html(voucher)).write_pdf()


def total_in_words(amount: Decimal, currency_code: str) -> tuple[str, str]:
    """A printed document's total: in capitals and in figures (¥1,130.00). Capitals are
    written for 人民币 only, as their units are 元, 角 and 分; another currency gets its code
    before the figures and no words."""
    figures = f"{amount:,.2f}"
    if currency_code == "CNY":
        return amount_in_words(amount), f"¥{figures}"
    return "", f"{currency_code} {figures}"
