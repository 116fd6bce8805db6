"""The default posting rules of purchasing, for organizations made before the module existed
(new organizations get them from finance's ``seed_default_rules`` with every registered
default). A frozen copy of ``services.accounting``'s list, as a data migration should be."""

from django.db import migrations

RULES = [
    ("purchasing.goodsreceiptline", "in", "inventory", "estimated_payable", "采购入库"),
    ("purchasing.purchasereturnline", "in", "inventory", "estimated_payable", "采购退货"),
    ("purchasing.purchasereturnline", "out", "estimated_payable", "inventory", "采购退货"),
    ("purchasing.supplierinvoiceline", "in", "inventory", "estimated_payable", "采购价差计入库存"),
    ("purchasing.supplierinvoice", "matched", "estimated_payable", "payable", "采购发票冲暂估"),
    ("purchasing.supplierinvoice", "variance_sold", "cost_of_sales", "payable", "采购价差计入成本"),
    ("purchasing.supplierinvoice", "input_vat", "input_vat", "payable", "进项税额"),
    ("purchasing.purchasereturn", "estimate_difference", "cost_of_sales", "estimated_payable",
     "采购退货成本差"),
    ("purchasing.purchasereturn", "returned", "prepayment", "estimated_payable", "采购退货冲应付"),
    ("purchasing.purchasereturn", "input_vat_returned", "prepayment", "input_vat", "采购退货进项税额"),
    ("purchasing.purchasereturn", "price_difference", "prepayment", "cost_of_sales", "采购退货价差"),
]  # fmt: skip


def seed(apps, schema_editor):
    Organization = apps.get_model("core", "Organization")
    AccountRole = apps.get_model("finance", "AccountRole")
    PostingRule = apps.get_model("finance", "PostingRule")
    for organization in Organization.objects.all():
        roles = {
            r.role: r.account_id for r in AccountRole.objects.filter(organization=organization)
        }
        existing = set(
            PostingRule.objects.filter(
                organization=organization, category=None, tax_rate=None, from_kind="",
                to_kind="", reason="",
            ).values_list("document_type", "event")
        )  # fmt: skip
        PostingRule.objects.bulk_create(
            [
                PostingRule(
                    organization=organization,
                    document_type=document_type,
                    event=event,
                    debit_account_id=roles[debit],
                    credit_account_id=roles[credit],
                    summary=summary,
                )
                for document_type, event, debit, credit, summary in RULES
                if (document_type, event) not in existing and debit in roles and credit in roles
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0001_initial"),
        ("finance", "0003_voucher_templates"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
