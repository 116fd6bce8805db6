"""期初余额导入: the template, the upload checked row by row (every bad row named with its row,
column and reason, nothing booked while any is bad), the preview and the booking through the
opening-balance service."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test.client import encode_multipart
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, Voucher
from jxc.finance.services import opening_import as importer
from jxc.finance.services.opening import OPENING
from jxc.finance.services.opening_import import ImportRefused, import_opening_balances
from tests.conftest import client_for, make_member
from tests.finance.conftest import account, balances
from tests.helpers import assert_error
from tests.masterdata.conftest import make_partner, make_warehouse

pytestmark = pytest.mark.django_db
GO_LIVE = datetime.date(2026, 10, 1)
HEADERS = ["科目编码*", "科目名称", "借方", "贷方", "往来单位编码", "仓库编码"]
GOOD = [
    ["1002", "银行存款", 3000, None, None, None],
    ["2001", "短期借款", None, "2000", None, None],
    ["3001", "实收资本", None, 1000.00, None, None],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(rows, headers=HEADERS, title="期初余额", extra_sheets=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for name in extra_sheets:
        book.create_sheet(name).append(["说明"])
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(org, content, apply=False, filename="opening.xlsx"):
    return import_opening_balances(
        organization=org, go_live=GO_LIVE, filename=filename, content=content, apply=apply
    )


def errors_of(result) -> list[tuple]:
    return [(e["row"], e["column"], e["field"]) for e in result["errors"]]


def opening_vouchers(org):
    return Voucher.objects.filter(organization=org, origin_type=OPENING)


# --- the template ---------------------------------------------------------------------------


def test_template_lists_the_leaf_accounts_with_empty_amounts_and_instructions(org):
    book = load_workbook(io.BytesIO(importer.opening_template(org)))
    assert len(book.sheetnames) == 2
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0].startswith("Account code") or header[0].startswith("科目编码")
    codes = [row[0] for row in rows[1:]]
    assert "1002" in codes
    assert "3104" in codes
    assert "1121" in codes
    # parents, partner ledger control accounts and the inventory account are not offered
    assert "2221" not in codes
    assert "1122" not in codes
    assert "220201" not in codes
    assert "1405" not in codes
    assert all(row[4] is None and row[5] is None for row in rows[1:])
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1121"][3]  # required partner dimension is shown
    assert not by_code["1002"][3]
    assert book.worksheets[1].max_row > 3  # the 说明 sheet


def test_the_template_filled_in_is_read_back(org):
    book = load_workbook(io.BytesIO(importer.opening_template(org)))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "1002":
            row[4].value = 5000
        if row[0].value == "3001":
            row[5].value = 5000
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(org, buffer.getvalue())
    assert result["errors"] == []
    assert [(r["code"], r["debit"], r["credit"]) for r in result["rows"]] == [
        ("1002", Decimal("5000.00"), Decimal("0")),
        ("3001", Decimal("0"), Decimal("5000.00")),
    ]


# --- a good file ------------------------------------------------------------------------------


def test_preview_books_nothing_and_shows_the_resulting_trial_balance(org):
    result = run(org, workbook(GOOD))
    assert result["valid"] is True
    assert result["applied"] is False
    assert [r["row"] for r in result["rows"]] == [2, 3, 4]
    trial = result["trial_balance"]
    assert trial["balanced"] is True
    assert (trial["debit"], trial["credit"]) == (Decimal("3000.00"), Decimal("3000.00"))
    assert {r["code"]: (r["debit"], r["credit"]) for r in trial["rows"]}["2001"] == (
        Decimal(0),
        Decimal("2000.00"),
    )
    assert not opening_vouchers(org).exists()


def test_a_good_file_is_booked_by_the_opening_service(org):
    result = run(org, workbook(GOOD), apply=True)
    assert result["applied"] is True
    assert result["trial_balance"]["balanced"] is True
    voucher = opening_vouchers(org).get()
    assert voucher.date == GO_LIVE - datetime.timedelta(days=1)
    assert balances(org) == {
        "1002": Decimal("3000.00"),
        "2001": Decimal("-2000.00"),
        "3001": Decimal("-1000.00"),
    }
    # the service's own rule: once booked, a second import is refused
    again = run(org, workbook(GOOD))
    assert again["valid"] is False
    assert again["errors"][0]["field"] == "go_live"
    with pytest.raises(ValidationFailed):
        run(org, workbook(GOOD), apply=True)
    assert opening_vouchers(org).count() == 1


def test_signed_balance_column_dimensions_and_skipped_rows(org):
    customer = make_partner(org, "C1", "老客户", is_customer=True)
    warehouse = make_warehouse(org, "WH9", "九号仓")
    headers = ["科目代码", "科目名称", "期初余额", "往来单位", "仓库", "部门"]
    rows = [
        ["1002", "银行存款", "1,200.50", None, None, None],
        ["1121", "应收票据", 300, "c1", None, None],  # partner by code, any case
        ["1403", "原材料", 99.5, None, "WH9", None],
        ["1001", "库存现金", None, None, None, None],  # nothing entered: skipped
        [None, None, None, None, None, None],
        ["2001", "短期借款", 1000, None, None, None],  # credit account: positive is credit
        ["1221", "其他应收款", -10, None, None, None],  # negative: the other side
        ["3001", "实收资本", "590", None, None, None],
    ]
    result = run(org, workbook(rows, headers=headers))
    assert result["errors"] == []
    got = {r["code"]: r for r in result["rows"]}
    assert set(got) == {"1002", "1121", "1403", "2001", "1221", "3001"}
    assert got["1002"]["debit"] == Decimal("1200.50")
    assert got["1121"]["partner"] == customer.pk
    assert got["1121"]["row"] == 3
    assert got["1403"]["warehouse"] == warehouse.pk
    assert (got["2001"]["debit"], got["2001"]["credit"]) == (0, Decimal("1000.00"))
    assert (got["1221"]["debit"], got["1221"]["credit"]) == (0, Decimal("10.00"))
    assert result["trial_balance"]["balanced"] is True
    run(org, workbook(rows, headers=headers), apply=True)
    assert balances(org)["1121"] == Decimal("300.00")


def test_retained_earnings_row_counts_with_the_partner_openings(org):
    from jxc.finance.services import receivables as ar

    customer = make_partner(org, "C1", "老客户", is_customer=True)
    ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("1000"),
        counter_account=account(org, "3104"), date=datetime.date(2026, 9, 15),
        summary="期初应收",
    )  # fmt: skip
    rows = [["1002", "", 3000, None], ["3001", "", None, 3000], ["3104", "", None, 1000]]
    result = run(org, workbook(rows, headers=HEADERS[:4]), apply=True)
    trial = {r["code"]: (r["debit"], r["credit"]) for r in result["trial_balance"]["rows"]}
    assert trial["3104"] == (0, Decimal("1000.00"))
    assert trial["1122"] == (Decimal("1000.00"), 0)
    assert result["trial_balance"]["balanced"] is True


# --- bad rows -------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_row_and_column_and_nothing_is_booked(org):
    make_partner(org, "C1", "老客户", is_customer=True)
    rows = [
        ["9999", "没有", 10, None, None, None],  # 2 unknown account
        ["2221", "应交税费", 10, None, None, None],  # 3 parent account
        ["1122", "应收账款", 10, None, None, None],  # 4 partner ledger control account
        ["1405", "库存商品", 10, None, None, None],  # 5 inventory
        ["1002", "银行存款", "abc", None, None, None],  # 6 not a number
        ["1001", "库存现金", 1.234, None, None, None],  # 7 three decimals
        ["1121", "应收票据", 10, None, None, None],  # 8 required partner missing
        ["1121", "应收票据", 10, None, "NOPE", None],  # 9 unknown partner
        ["1002", "银行存款", 5, None, None, None],  # 10 good
        ["1002", "银行存款", 6, None, None, None],  # 11 duplicate of row 10
        ["1002", "银行存款", 5, 5, None, None],  # 12 both sides
        ["2001", "短期借款", None, 5, None, "WH1"],  # 13 unknown warehouse
        [None, None, 7, None, None, None],  # 14 no code
        ["3001", "实收资本", -5, None, None, None],  # 15 negative in a side column
    ]
    result = run(org, workbook(rows))
    assert result["valid"] is False
    assert result["trial_balance"] is None
    assert errors_of(result) == [
        (2, "科目编码*", "code"),
        (3, "科目编码*", "code"),
        (4, "科目编码*", "code"),
        (5, "科目编码*", "code"),
        (6, "借方", "debit"),
        (7, "借方", "debit"),
        (8, "往来单位编码", "partner"),
        (9, "往来单位编码", "partner"),
        (11, "科目编码*", "code"),
        (12, "贷方", "credit"),
        (13, "仓库编码", "warehouse"),
        (14, "科目编码*", "code"),
        (15, "借方", "debit"),
    ]
    messages = {e["row"]: e["message"] for e in result["errors"]}
    assert "9999" in messages[2]
    assert "1122" in messages[4]
    assert "partner" in messages[4]
    assert "row 10" in messages[11]
    assert "two decimal" in messages[7]
    with pytest.raises(ImportRefused) as refused:
        run(org, workbook(rows), apply=True)
    assert len(refused.value.errors) == 13
    assert refused.value.fields["file"][0].startswith("Row 2")
    assert not opening_vouchers(org).exists()


def test_a_dimension_the_account_does_not_take_is_reported(org):
    make_partner(org, "C1", "老客户", is_customer=True)
    rows = [["1002", "", 10, None, "C1", None], ["3001", "", None, 10, None, None]]
    result = run(org, workbook(rows))
    assert errors_of(result) == [(2, "往来单位编码", "partner")]


def test_a_file_that_does_not_balance_is_reported_with_its_trial_balance(org):
    rows = [["1002", "", 3000, None], ["3001", "", None, 2999.99]]
    result = run(org, workbook(rows, headers=HEADERS[:4]))
    assert result["valid"] is False
    assert errors_of(result) == [(None, "", "lines")]
    assert "3000.00" in result["errors"][0]["message"]
    assert result["trial_balance"]["balanced"] is False
    assert result["trial_balance"]["debit"] == Decimal("3000.00")
    with pytest.raises(ImportRefused):
        run(org, workbook(rows, headers=HEADERS[:4]), apply=True)
    assert not opening_vouchers(org).exists()


def test_an_inactive_account_is_reported(org):
    Account.objects.filter(organization=org, code="1001").update(is_active=False)
    result = run(org, workbook([["1001", "", 1, None], ["3001", "", None, 1]], HEADERS[:4]))
    assert errors_of(result) == [(2, "科目编码*", "code")]


# --- malformed files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("opening.xlsx", b"", "empty"),
        ("opening.xlsx", b"not a zip at all", "Excel"),
        ("opening.csv", b"code,debit\n1002,1\n", "Excel"),
        ("opening.xlsx", b"PK\x03\x04broken zip", "Excel"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(org, filename, content, words):
    with pytest.raises(ValidationFailed) as refused:
        run(org, content, filename=filename)
    assert refused.value.field == "file"
    assert words in str(refused.value.message)


def test_a_zip_that_is_not_a_workbook_is_refused(org):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationFailed, match="not a readable Excel"):
        run(org, buffer.getvalue())


def test_a_workbook_without_the_columns_is_refused(org):
    content = workbook([["a", "b"]], headers=["产品", "数量"], title="Sheet1")
    with pytest.raises(ValidationFailed, match="template"):
        run(org, content)


def test_the_balances_sheet_is_found_after_other_sheets_and_title_rows(org):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["请填写下一页"])
    sheet = book.create_sheet("科目余额表")
    sheet.append(["科目余额表 2026年9月"])
    sheet.append([])
    sheet.append(["科目代码", "科目名称", "期初借方", "期初贷方"])
    sheet.append(["1002", "银行存款", 100, None])
    sheet.append(["3001", "实收资本", None, 100])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(org, buffer.getvalue())
    assert result["sheet"] == "科目余额表"
    assert [r["row"] for r in result["rows"]] == [4, 5]


@pytest.mark.parametrize("rows", [[], [["1002", "", None, None], [None, None, None, None]]])
def test_a_sheet_with_no_balances_is_refused(org, rows):
    with pytest.raises(ValidationFailed, match="No row"):
        run(org, workbook(rows, headers=HEADERS[:4]))


def test_too_many_rows_are_refused(org, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [["1002", "", 1, None]] * 4
    with pytest.raises(ValidationFailed, match="more than 3 rows"):
        run(org, workbook(rows, headers=HEADERS[:4]))


def test_too_large_a_file_is_refused(org, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    with pytest.raises(ValidationFailed, match="larger than"):
        run(org, workbook(GOOD))


# --- the API ----------------------------------------------------------------------------------

PREVIEW = "/api/v1/finance/opening-balances/import/preview/"
IMPORT = "/api/v1/finance/opening-balances/import/"
TEMPLATE = "/api/v1/finance/opening-balances/template/"


def upload(content, name="opening.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return {"go_live": str(GO_LIVE), "file": file}


def test_api_template_download(api, org):
    response = api.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "opening-balances-template.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Opening balances", "Instructions"]  # the client's language
    zh = client_for(make_member(org, "zh", "admin"), org, language="zh-hans").get(TEMPLATE)
    assert load_workbook(io.BytesIO(zh.content)).sheetnames == ["期初余额", "说明"]


def test_api_preview_then_import(api, org):
    preview = api.post(PREVIEW, upload(workbook(GOOD)), format="multipart")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["valid"] is True
    assert body["applied"] is False
    assert body["rows"][0] == {
        "row": 2, "account": account(org, "1002").pk, "code": "1002", "name": "银行存款",
        "debit": "3000.00", "credit": "0.00", "partner": None, "partner_name": "",
        "warehouse": None, "warehouse_name": "", "department": "", "project": "",
    }  # fmt: skip
    assert body["trial_balance"]["debit"] == "3000.00"
    assert not opening_vouchers(org).exists()
    done = api.post(IMPORT, upload(workbook(GOOD)), format="multipart")
    assert done.status_code == 201, done.content
    assert done.json()["applied"] is True
    assert done.json()["trial_balance"]["balanced"] is True
    assert opening_vouchers(org).count() == 1
    shown = api.get("/api/v1/finance/opening-balances/", {"go_live": str(GO_LIVE)}).json()
    assert shown["debit"] == "3000.00"


def test_api_reports_bad_rows_and_books_nothing(api, org):
    rows = [["1002", "", "x", None, None, None], ["3001", "", None, 10, None, None]]
    preview = api.post(PREVIEW, upload(workbook(rows)), format="multipart").json()
    assert preview["valid"] is False
    assert preview["errors"] == [
        {"row": 2, "column": "借方", "field": "debit", "message": "“x” is not a number."}
    ]
    refused = assert_error(
        api.post(IMPORT, upload(workbook(rows)), format="multipart"), 400, "validation_error",
        field="file",
    )  # fmt: skip
    assert refused["fields"]["file"] == ["Row 2 借方: “x” is not a number."]
    assert not opening_vouchers(org).exists()


def test_api_translates_the_reasons(org):
    zh = client_for(make_member(org, "zh", "admin"), org, language="zh-hans")
    rows = [["9999", "", 1, None, None, None]]
    body = zh.post(PREVIEW, upload(workbook(rows)), format="multipart").json()
    message = body["errors"][0]["message"]
    assert "9999" in message
    assert "科目" in message


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"go_live": str(GO_LIVE)}, "file"),
        ({"file": io.BytesIO(b"x")}, "go_live"),
        ({"go_live": str(GO_LIVE), "file": io.BytesIO(b"not excel")}, "file"),
    ],
)
def test_api_malformed_uploads_answer_400(api, data, field):
    for value in data.values():
        if isinstance(value, io.BytesIO):
            value.name = "opening.xlsx"
    assert_error(api.post(PREVIEW, data, format="multipart"), 400, field=field)


def test_api_permissions(org, roles):
    viewer = client_for(make_member(org, "viewer", "viewer", roles_by_code=roles), org)
    assert viewer.get(TEMPLATE).status_code == 200  # as the opening balances themselves
    assert_error(viewer.post(PREVIEW, upload(workbook(GOOD)), format="multipart"), 403)
    assert_error(viewer.post(IMPORT, upload(workbook(GOOD)), format="multipart"), 403)
    keeper = client_for(make_member(org, "keeper", "warehouse_keeper", roles_by_code=roles), org)
    assert_error(keeper.get(TEMPLATE), 403)
    accountant = client_for(make_member(org, "acc", "accountant", roles_by_code=roles), org)
    assert accountant.post(IMPORT, upload(workbook(GOOD)), format="multipart").status_code == 201


def test_api_import_is_idempotent_even_with_another_boundary(api, org):
    content = workbook(GOOD)

    def send(boundary):
        file = io.BytesIO(content)
        file.name = "opening.xlsx"
        body = encode_multipart(boundary, {"go_live": str(GO_LIVE), "file": file})
        return api.generic(
            "POST", IMPORT, body, content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="opening-1",
        )  # fmt: skip

    first = send("FirstBoundary1234")
    assert first.status_code == 201, first.content
    again = send("AnotherBoundary5678")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert opening_vouchers(org).count() == 1
