"""The demo company: a company with a branch and one user per built-in role.

Idempotent: running it again creates only what is missing and never overwrites what users
changed (passwords, names, roles).
"""

from django.db import transaction

from jxc.core import audit
from jxc.core.doctypes import get_document_type
from jxc.core.models import Membership, NumberSeries, Organization, User
from jxc.core.services.organizations import ensure_builtin_roles
from jxc.core.setup import load_module_demos, set_up_organization

DEMO_PASSWORD = "jxc-demo-2026"
DEMO_COMPANY = ("DEMO", "演示贸易有限公司")
DEMO_BRANCH = ("DEMO-SH", "演示贸易有限公司上海分公司")

# username, built-in role, display name
DEMO_USERS = [
    ("admin", "admin", "系统管理员"),
    ("manager", "manager", "王经理"),
    ("purchaser", "purchaser", "李采购"),
    ("sales", "salesperson", "张销售"),
    ("keeper", "warehouse_keeper", "赵仓管"),
    ("accountant", "accountant", "钱会计"),
    ("viewer", "viewer", "孙查询"),
]
DEMO_LOGINS = [(username, role) for username, role, _name in DEMO_USERS]
DEMO_SERIES = ["purchase_order", "goods_receipt", "sales_order", "delivery"]


def demo_loaded() -> bool:
    return Organization.objects.filter(code=DEMO_COMPANY[0]).exists()


@transaction.atomic
def load_demo() -> list[str]:
    """Create the demo data that is missing; returns what was created, for the console."""
    created = []
    roles = ensure_builtin_roles()
    company, new = Organization.objects.get_or_create(
        code=DEMO_COMPANY[0],
        defaults={
            "name": DEMO_COMPANY[1],
            "tax_id": "91310000MA1FL0000N",
            "address": "上海市浦东新区世纪大道 100 号",
            "phone": "021-50000000",
        },
    )
    created += [f"organization {company.code}"] if new else []
    branch, new = Organization.objects.get_or_create(
        code=DEMO_BRANCH[0],
        defaults={
            "name": DEMO_BRANCH[1],
            "parent": company,
            "kind": Organization.Kind.BRANCH,
            "address": "上海市闵行区",
        },
    )
    created += [f"organization {branch.code}"] if new else []
    for organization in (company, branch):
        set_up_organization(organization)
    with audit.acting_as(None, company):
        for username, role_code, display_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username, display_name=display_name, email=f"{username}@demo.jxc.local"
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                created.append(f"user {username}")
            organizations = [company, branch] if role_code in ("admin", "manager") else [company]
            for organization in organizations:
                membership, new = Membership.objects.get_or_create(
                    user=user, organization=organization
                )
                if new:
                    membership.roles.add(roles[role_code])
        for doc_type in DEMO_SERIES:
            NumberSeries.objects.get_or_create(
                organization=company,
                doc_type=doc_type,
                defaults={"pattern": get_document_type(doc_type).default_pattern},
            )
        created += load_module_demos(company, branch)
    return created
