"""Chart-of-accounts templates: the Chinese small-business standard (小企业会计准则, the default)
and the general enterprise standard (企业会计准则). Each row: code, name, type, direction and the
auxiliary dimensions its lines take (p = partner, w = warehouse; upper case = required).

The VAT sub-accounts follow the usual 用友/金蝶 numbering (22210101 进项税额 …); accountants can
renumber any account, and the automatic postings follow, since they book by account role."""

from dataclasses import dataclass

# code, name, type, direction, dimensions
SMALL_BUSINESS = """
1001 库存现金 asset debit
1002 银行存款 asset debit
1012 其他货币资金 asset debit
1101 短期投资 asset debit
1121 应收票据 asset debit P
1122 应收账款 asset debit P
1123 预付账款 asset debit P
1131 应收股利 asset debit
1132 应收利息 asset debit
1221 其他应收款 asset debit p
1401 材料采购 asset debit
1402 在途物资 asset debit
1403 原材料 asset debit w
1404 材料成本差异 asset debit
1405 库存商品 asset debit w
1406 发出商品 asset debit
1407 商品进销差价 asset credit
1408 委托加工物资 asset debit
1411 周转材料 asset debit
1501 长期债券投资 asset debit
1511 长期股权投资 asset debit
1601 固定资产 asset debit
1602 累计折旧 asset credit
1604 在建工程 asset debit
1606 固定资产清理 asset debit
1701 无形资产 asset debit
1702 累计摊销 asset credit
1801 长期待摊费用 asset debit
1901 待处理财产损溢 asset debit
2001 短期借款 liability credit
2201 应付票据 liability credit P
2202 应付账款 liability credit
220201 应付货款 liability credit P
220202 暂估应付款 liability credit p
2203 预收账款 liability credit P
2211 应付职工薪酬 liability credit
2221 应交税费 liability credit
222101 应交增值税 liability credit
22210101 进项税额 liability credit
22210102 销项税额抵减 liability credit
22210103 已交税金 liability credit
22210104 转出未交增值税 liability credit
22210105 转出多交增值税 liability credit
22210106 减免税款 liability credit
22210107 出口抵减内销产品应纳税额 liability credit
22210108 销项税额 liability credit
22210109 出口退税 liability credit
22210110 进项税额转出 liability credit
222102 未交增值税 liability credit
222103 预交增值税 liability credit
222104 待认证进项税额 liability credit
222105 待转销项税额 liability credit
222106 增值税留抵税额 liability credit
222107 简易计税 liability credit
222108 应交企业所得税 liability credit
222109 应交个人所得税 liability credit
222110 应交城市维护建设税 liability credit
222111 应交教育费附加 liability credit
222112 应交地方教育附加 liability credit
222113 应交印花税 liability credit
2231 应付利息 liability credit
2232 应付利润 liability credit
2241 其他应付款 liability credit p
2401 递延收益 liability credit
2501 长期借款 liability credit
2701 长期应付款 liability credit
3001 实收资本 equity credit
3002 资本公积 equity credit
3101 盈余公积 equity credit
3103 本年利润 equity credit
3104 利润分配 equity credit
4001 生产成本 cost debit
4101 制造费用 cost debit
4301 研发支出 cost debit
5001 主营业务收入 profit_loss credit
5051 其他业务收入 profit_loss credit
5111 投资收益 profit_loss credit
5301 营业外收入 profit_loss credit
5401 主营业务成本 profit_loss debit
5402 其他业务成本 profit_loss debit
5403 税金及附加 profit_loss debit
5601 销售费用 profit_loss debit
5602 管理费用 profit_loss debit
5603 财务费用 profit_loss debit
560301 汇兑损益 profit_loss debit
560302 手续费 profit_loss debit
560303 利息费用 profit_loss debit
560304 现金折扣 profit_loss debit
5711 营业外支出 profit_loss debit
5801 所得税费用 profit_loss debit
"""

# 企业会计准则: the same chart with its own codes for equity, costs and profit and loss, and the
# allowances the small-business standard does without
ENTERPRISE_CODES = {
    "3001": "4001", "3002": "4002", "3101": "4101", "3103": "4103", "3104": "4104",
    "4001": "5001", "4101": "5101", "4301": "5301",
    "5001": "6001", "5051": "6051", "5111": "6111", "5301": "6301", "5401": "6401",
    "5402": "6402", "5403": "6403", "5601": "6601", "5602": "6602", "5603": "6603",
    "560301": "660301", "560302": "660302", "560303": "660303", "560304": "660304",
    "5711": "6711", "5801": "6801",
}  # fmt: skip
ENTERPRISE_EXTRA = """
1231 坏账准备 asset credit
1471 存货跌价准备 asset credit
1603 固定资产减值准备 asset credit
6701 资产减值损失 profit_loss debit
6702 信用减值损失 profit_loss debit
"""

# the accounts the automatic postings book to, by role (small-business codes)
ROLES = {
    "cash": "1001",
    "bank": "1002",
    "receivable": "1122",
    "prepayment": "1123",
    "inventory": "1405",
    "pending_loss": "1901",
    "payable": "220201",
    "estimated_payable": "220202",
    "advance_receipt": "2203",
    "input_vat": "22210101",
    "output_vat": "22210108",
    "input_vat_out": "22210110",
    "vat_transfer_out": "22210104",
    "unpaid_vat": "222102",
    "profit_of_year": "3103",
    "retained_earnings": "3104",
    "revenue": "5001",
    "cost_of_sales": "5401",
    "selling_expense": "5601",
    "admin_expense": "5602",
    "finance_expense": "560301",
    "bank_fee": "560302",
    "cash_discount": "560304",
    "non_operating_income": "5301",
    "non_operating_expense": "5711",
}


@dataclass(frozen=True)
class AccountRow:
    code: str
    name: str
    type: str
    direction: str
    dimensions: dict


def _rows(table: str) -> list[AccountRow]:
    rows = []
    for line in table.strip().splitlines():
        code, name, type_, direction, *dims = line.split()
        dimensions = {}
        for letter in "".join(dims):
            name_of = {"p": "partner", "w": "warehouse"}[letter.lower()]
            dimensions[name_of] = "required" if letter.isupper() else "optional"
        rows.append(AccountRow(code, name, type_, direction, dimensions))
    return rows


TEMPLATES = {
    "small_business": "小企业会计准则",
    "enterprise": "企业会计准则",
}


def template_rows(template: str) -> list[AccountRow]:
    """The template's accounts in code order (parents before their children)."""
    rows = _rows(SMALL_BUSINESS)
    if template == "enterprise":
        rows = [
            AccountRow(ENTERPRISE_CODES.get(r.code, r.code), r.name, r.type, r.direction,
                       r.dimensions)
            for r in rows
        ] + _rows(ENTERPRISE_EXTRA)  # fmt: skip
    return sorted(rows, key=lambda r: r.code)


def template_roles(template: str) -> dict[str, str]:
    if template == "enterprise":
        return {role: ENTERPRISE_CODES.get(code, code) for role, code in ROLES.items()}
    return dict(ROLES)
