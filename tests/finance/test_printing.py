"""Printed vouchers (记账凭证) and amounts in Chinese capitals (大写金额)."""

import datetime
from decimal import Decimal

import pytest

from jxc.finance.models import Account
from jxc.finance.printing import amount_in_words, render_voucher_html, render_voucher_pdf
from jxc.finance.services.vouchers import post_voucher, reverse_voucher, save_voucher
from tests.conftest import make_member
from tests.masterdata.conftest import make_partner, make_warehouse

DAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # the examples of the brief
        ("1000.00", "壹仟元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("1001.01", "壹仟零壹元零壹分"),
        ("100000.10", "壹拾万元零壹角"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("10", "壹拾元整"),
        ("100010000.00", "壹亿零壹万元整"),
        # under one yuan: no leading 零, no 整 after 角
        ("0.10", "壹角"),
        ("0.50", "伍角"),
        ("0.01", "壹分"),
        ("0.11", "壹角壹分"),
        # whole yuan
        ("1.00", "壹元整"),
        ("11.00", "壹拾壹元整"),
        ("20.00", "贰拾元整"),
        ("110.00", "壹佰壹拾元整"),
        ("1010.00", "壹仟零壹拾元整"),
        ("100100.00", "壹拾万零壹佰元整"),
        ("10000000.00", "壹仟万元整"),
        ("100000000.00", "壹亿元整"),
        ("1000010000.00", "壹拾亿零壹万元整"),
        ("107000.00", "壹拾万柒仟元整"),
        ("1000500.00", "壹佰万零伍佰元整"),
        ("1050000.00", "壹佰零伍万元整"),
        ("100005000.00", "壹亿零伍仟元整"),
        ("100000005.00", "壹亿零伍元整"),
        ("120000000.00", "壹亿贰仟万元整"),
        ("10000.10", "壹万元零壹角"),
        ("1000000050000.00", "壹万亿零伍万元整"),
        ("1000050000000.00", "壹万亿零伍仟万元整"),
        ("1005000000000.00", "壹万零伍拾亿元整"),
        ("10000000000000", "壹拾万亿元整"),
        ("1000000000005", "壹万亿零伍元整"),
        ("1234500000000", "壹万贰仟叁佰肆拾伍亿元整"),
        # 零 before a 角 or 分 after a zero
        ("1.01", "壹元零壹分"),
        ("1.10", "壹元壹角"),
        ("10.01", "壹拾元零壹分"),
        ("10.10", "壹拾元零壹角"),
        # the People's Bank of China's own examples, in the form chosen where it allows two
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("12345678901.23", "壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        # red-letter amounts
        ("-1234.56", "负壹仟贰佰叁拾肆元伍角陆分"),
        ("-1000.00", "负壹仟元整"),
        ("-0.05", "负伍分"),
        ("-0.00", "零元整"),
        # rounded half-up to the fen
        ("0.005", "壹分"),
        ("0.004", "零元整"),
        ("1.995", "贰元整"),
        ("-1.995", "负贰元整"),
        ("2.345", "贰元叁角伍分"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_takes_integers_and_refuses_what_it_cannot_write():
    assert amount_in_words(10) == "壹拾元整"
    with pytest.raises(ValueError, match="too large"):
        amount_in_words(Decimal("10000000000000000"))
    with pytest.raises(ValueError, match="too large"):
        amount_in_words(Decimal("-10000000000000000.00"))
    with pytest.raises(ValueError, match="Not an amount"):
        amount_in_words(Decimal("NaN"))
    with pytest.raises(ValueError, match="Not an amount"):
        amount_in_words("一千")


# --- the printed voucher ---------------------------------------------------------------------


def account(org, code) -> Account:
    return Account.objects.get(organization=org, code=code)


def line(org, code, summary, debit="0", credit="0", **extra) -> dict:
    return {
        "account": account(org, code),
        "summary": summary,
        "debit": Decimal(debit),
        "credit": Decimal(credit),
        **extra,
    }


@pytest.fixture
def bookkeeper(org, roles):
    user = make_member(org, "zhang", "admin", roles_by_code=roles)
    user.display_name = "张会计"
    user.save()
    return user


@pytest.fixture
def poster(org, roles):
    user = make_member(org, "li", "admin", roles_by_code=roles)
    user.display_name = "李主管"
    user.save()
    return user


def page_texts(voucher) -> list[str]:
    """The text laid out on each page (margin boxes included), from WeasyPrint's own layout."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    document = HTML(string=render_voucher_html(voucher)).render()
    return [
        "".join(box.text for box in page._page_box.descendants() if isinstance(box, TextBox))
        for page in document.pages
    ]


@pytest.mark.django_db
def test_a_posted_voucher_prints_as_a_pdf(org, bookkeeper, poster):
    voucher = save_voucher(
        organization=org,
        user=bookkeeper,
        data={
            "date": DAY,
            "attachments": 2,
            "lines": [
                line(org, "1002", "收到投资款", debit="1000.00"),
                line(org, "3001", "收到投资款", credit="1000.00"),
            ],
        },
    )
    voucher = post_voucher(voucher=voucher, user=poster)

    pdf = render_voucher_pdf(voucher)
    assert pdf.startswith(b"%PDF")

    (text,) = page_texts(voucher)  # one page
    for expected in [
        "记账凭证",
        "甲公司",
        "2026年11月26日",
        "记-0001",
        "附单据 2 张",
        "摘要",
        "会计科目",
        "借方金额",
        "贷方金额",
        "收到投资款",
        "1002 银行存款",
        "3001 实收资本",
        "1,000.00",
        "壹仟元整",
        "第 1/1 页",
    ]:
        assert expected in text, expected
    for role, name in [
        ("会计主管", ""),
        ("记账", "李主管"),
        ("审核", "李主管"),
        ("制单", "张会计"),
    ]:
        assert f"{role}：{name}" in text
    assert "草稿" not in text

    html = render_voucher_html(voucher)
    assert "合计（大写）：<b>壹仟元整</b>" in html
    assert " red" not in html  # no red-letter amount


@pytest.mark.django_db
def test_a_draft_shows_the_full_account_path_and_the_dimensions(org, bookkeeper):
    partner = make_partner(org)
    warehouse = make_warehouse(org)
    voucher = save_voucher(
        organization=org,
        user=bookkeeper,
        data={
            "date": DAY,
            "lines": [
                line(org, "1405", "暂估入库 <样品>", debit="1234.56", warehouse=warehouse),
                line(org, "220202", "暂估入库 <样品>", credit="1234.56", partner=partner),
            ],
        },
    )
    html = render_voucher_html(voucher)
    assert "1405 库存商品" in html
    assert "2202 应付账款 / 220202 暂估应付款" in html
    assert "往来单位：上海供应商有限公司" in html
    assert "仓库：一号仓" in html
    assert "暂估入库 &lt;样品&gt;" in html  # escaped
    assert '<span class="draft">草稿</span>' in html
    assert "壹仟贰佰叁拾肆元伍角陆分" in html
    assert html.count("1,234.56") == 4  # a line each side, and both totals
    assert "记账：</td>" in html  # not posted by anyone yet
    assert "审核：</td>" in html
    assert "制单：张会计" in html


@pytest.mark.django_db
def test_a_red_letter_reversal_prints_its_amounts_in_red(org, bookkeeper):
    voucher = save_voucher(
        organization=org,
        user=bookkeeper,
        data={
            "date": DAY,
            "lines": [
                line(org, "1002", "收到投资款", debit="1000.00"),
                line(org, "3001", "收到投资款", credit="1000.00"),
            ],
        },
    )
    voucher = post_voucher(voucher=voucher, user=bookkeeper)
    reversal = reverse_voucher(voucher=voucher, user=bookkeeper, date=DAY)

    html = render_voucher_html(reversal)
    assert '<td class="amount red">-1,000.00</td>' in html
    assert html.count("-1,000.00") == 4
    assert '合计（大写）：<b class="red">负壹仟元整</b>' in html
    assert "记-0002" in html
    assert render_voucher_pdf(reversal).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_long_voucher_continues_on_further_pages(org, bookkeeper):
    lines = []
    for n in range(1, 16):
        lines.append(line(org, "1002", f"收款第{n:02d}笔借", debit=f"{n}00.00"))
        lines.append(line(org, "3001", f"收款第{n:02d}笔贷", credit=f"{n}00.00"))
    voucher = save_voucher(organization=org, user=bookkeeper, data={"date": DAY, "lines": lines})
    assert voucher.lines.count() == 30

    pages = page_texts(voucher)
    assert len(pages) > 1
    everything = "".join(pages)
    summaries = [entry["summary"] for entry in lines]
    positions = [everything.index(summary) for summary in summaries]
    assert positions == sorted(positions)  # every line, in order
    for number, page in enumerate(pages, 1):
        assert "记账凭证" in page  # the header repeats
        assert "草稿" in page
        assert "借方金额" in page
        assert f"第 {number}/{len(pages)} 页" in page
        assert "制单：张会计" in page
    assert all("合计" not in page for page in pages[:-1])
    last = pages[-1]
    assert last.index("收款第15笔贷") < last.index("合计")
    assert "壹万贰仟元整" in last  # 100 + 200 + … + 1500 = 12,000
    assert last.count("12,000.00") == 2
    assert render_voucher_pdf(voucher).startswith(b"%PDF")
