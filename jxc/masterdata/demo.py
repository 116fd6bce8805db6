"""Demo master data for a believable trading company (deterministic, idempotent)."""

import random
from decimal import Decimal

from jxc.masterdata.domain.codes import credit_code_check_character, gtin_check_digit
from jxc.masterdata.models import Category, Currency, Partner, PriceList, Product, Unit, Warehouse
from jxc.masterdata.services.locations import save_location, save_warehouse, warehouse_root
from jxc.masterdata.services.partners import save_partner
from jxc.masterdata.services.prices import save_price_list
from jxc.masterdata.services.products import save_product

CATEGORIES = {
    ("FOOD", "食品饮料"): {
        ("DRINK", "饮料"): (
            [
                "可口可乐",
                "雪碧",
                "芬达",
                "农夫山泉",
                "王老吉",
                "康师傅冰红茶",
                "统一绿茶",
                "红牛",
                "脉动",
                "元气森林",
                "雀巢咖啡",
                "怡宝纯净水",
                "百事可乐",
                "美年达",
                "加多宝",
                "东方树叶",
            ],
            ["330ml", "500ml", "1.25L"],
            "BOX",
            24,
            (2.0, 6.0),
        ),
        ("SNACK", "休闲零食"): (
            [
                "乐事薯片",
                "奥利奥饼干",
                "旺旺雪饼",
                "三只松鼠坚果",
                "德芙巧克力",
                "良品铺子肉脯",
                "好丽友派",
                "卫龙辣条",
                "洽洽瓜子",
                "徐福记糖果",
            ],
            ["小包", "大包", "家庭装"],
            "BOX",
            12,
            (5.0, 40.0),
        ),
    },
    ("DAILY", "日用百货"): {
        ("CLEAN", "清洁用品"): (
            [
                "蓝月亮洗衣液",
                "立白洗洁精",
                "威露士消毒液",
                "舒洁纸巾",
                "维达卷纸",
                "滴露洗手液",
                "超能洗衣粉",
                "心相印湿巾",
            ],
            ["标准装", "补充装", "促销装"],
            "BOX",
            12,
            (8.0, 60.0),
        ),
        ("CARE", "个人护理"): (
            [
                "高露洁牙膏",
                "海飞丝洗发水",
                "舒肤佳香皂",
                "妮维雅面霜",
                "佳洁士牙刷",
                "飘柔护发素",
                "六神花露水",
                "大宝SOD蜜",
            ],
            ["小瓶", "中瓶", "大瓶"],
            "BOX",
            24,
            (6.0, 80.0),
        ),
    },
    ("HARDWARE", "五金工具"): {
        ("HAND", "手动工具"): (
            [
                "十字螺丝刀",
                "一字螺丝刀",
                "活动扳手",
                "钢丝钳",
                "羊角锤",
                "卷尺",
                "美工刀",
                "内六角扳手",
                "尖嘴钳",
                "水平尺",
            ],
            ["小号", "中号", "大号"],
            "BOX",
            10,
            (8.0, 50.0),
        ),
        ("POWER", "电动工具"): (
            ["电钻", "角磨机", "电锤", "热风枪", "电动螺丝刀", "切割机"],
            ["家用型", "专业型"],
            "BOX",
            4,
            (120.0, 900.0),
        ),
    },
    ("OFFICE", "办公用品"): {
        ("PAPER", "纸品"): (
            ["A4 复印纸", "便利贴", "笔记本", "信封", "打印纸"],
            ["70g", "80g"],
            "BOX",
            5,
            (10.0, 35.0),
        ),
        ("PEN", "文具"): (
            ["中性笔", "记号笔", "订书机", "文件夹", "铅笔", "橡皮", "荧光笔", "计算器"],
            ["黑色", "蓝色", "红色"],
            "BOX",
            12,
            (1.5, 25.0),
        ),
    },
}
CITIES = ["上海", "苏州", "杭州", "南京", "宁波", "无锡", "合肥", "常州", "嘉兴", "绍兴"]
SUPPLIER_WORDS = ["食品", "饮料", "日化", "五金", "文具", "贸易", "实业", "供应链"]
CUSTOMER_WORDS = ["百货", "超市", "便利店", "商贸", "批发部", "连锁", "电器", "建材"]
GROUPS = ["VIP", "批发", "零售"]
DEMO_PRODUCTS = 200


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + f"{rng.randint(310000, 349999)}" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + credit_code_check_character(body)


def _ean13(sequence: int) -> str:
    body = f"690{sequence:09d}"
    return body + gtin_check_digit(body)


def load_masterdata_demo(company, branch) -> list[str]:
    if Warehouse.objects.filter(organization=company, code="WH-SH").exists():
        return []
    rng = random.Random(42)
    _warehouses(company)
    suppliers = _partners(company, rng, "GYS", 20, supplier=True)
    customers = _partners(company, rng, "KH", 50, supplier=False)
    products = _products(company, rng, suppliers)
    _price_lists(company, products, suppliers[0])
    return [
        f"{len(products)} products, {len(suppliers)} suppliers, {len(customers)} customers, "
        "2 warehouses with zones and bins, price lists"
    ]


def _warehouses(company) -> None:
    for code, name, address, zones in (
        ("WH-SH", "上海总仓", "上海市闵行区莘庄工业区 88 号", {"A": 5, "B": 5}),
        ("WH-SZ", "苏州分仓", "苏州市工业园区星湖街 18 号", {"A": 3}),
    ):
        warehouse = save_warehouse(
            organization=company, data={"code": code, "name": name, "address": address}
        )
        root = warehouse_root(warehouse)
        prefix = code.split("-")[1]
        for zone_code, bins in zones.items():
            zone = save_location(
                organization=company,
                data={
                    "code": f"{prefix}-{zone_code}",
                    "name": f"{zone_code} 区",
                    "kind": "zone",
                    "parent": root,
                },
            )
            for i in range(1, bins + 1):
                save_location(
                    organization=company,
                    data={
                        "code": f"{prefix}-{zone_code}-{i:02d}",
                        "name": f"{zone_code}-{i:02d}",
                        "kind": "bin",
                        "parent": zone,
                        "barcode": f"LOC{prefix}{zone_code}{i:02d}",
                    },
                )


def _partners(company, rng, prefix, count, *, supplier: bool) -> list[Partner]:
    words = SUPPLIER_WORDS if supplier else CUSTOMER_WORDS
    partners = []
    for i in range(1, count + 1):
        city = CITIES[i % len(CITIES)]
        name = (
            f"{city}{rng.choice('华盛金鑫永瑞恒泰新达')}{rng.choice('丰源茂隆昌信和发')}"
            f"{rng.choice(words)}有限公司"
        )
        partners.append(
            save_partner(
                organization=company,
                data={
                    "code": f"{prefix}{i:04d}",
                    "name": name,
                    "short_name": name[:6],
                    "is_supplier": supplier,
                    "is_customer": not supplier,
                    "customer_group": "" if supplier else GROUPS[i % 3],
                    "credit_code": _credit_code(rng),
                    "payment_terms": "month_end" if i % 2 else "net",
                    "payment_days": 30,
                    "credit_limit": None
                    if supplier
                    else Decimal(rng.choice([20000, 50000, 100000])),
                    "invoice_address": f"{city}市某某路 {i} 号",
                    "bank_name": "中国工商银行",
                    "bank_account": f"6222{rng.randint(10**11, 10**12 - 1)}",
                    "contacts": [
                        {
                            "name": f"{rng.choice('王李张刘陈杨赵黄')}经理",
                            "phone": f"13{rng.randint(100000000, 999999999)}",
                            "is_primary": True,
                        }
                    ],
                    "addresses": []
                    if supplier
                    else [{"address": f"{city}市仓储路 {i} 号", "is_default": True}],
                },
            )
        )
    return partners


def _products(company, rng, suppliers) -> list[Product]:
    units = {u.code: u for u in Unit.objects.filter(organization=company)}
    products, sequence = [], 0
    for (top_code, top_name), children in CATEGORIES.items():
        top = Category.objects.create(organization=company, code=top_code, name=top_name)
        for (code, name), (items, variants, pack_unit, pack, (low, high)) in children.items():
            category = Category.objects.create(
                organization=company, code=code, name=name, parent=top
            )
            for item in items:
                for variant in variants:
                    if sequence == DEMO_PRODUCTS:
                        break
                    sequence += 1
                    cost = Decimal(str(round(rng.uniform(low, high), 2)))
                    price = (cost * Decimal("1.35")).quantize(Decimal("0.01"))
                    products.append(
                        save_product(
                            organization=company,
                            data={
                                "code": f"SP{sequence:04d}",
                                "name": f"{item} {variant}",
                                "specification": variant,
                                "category": category,
                                "brand": item[:2],
                                "base_unit": units["PCS"],
                                "units": [{"unit": units[pack_unit], "factor": Decimal(pack)}],
                                "barcodes": [{"barcode": _ean13(sequence)}],
                                "purchase_price": cost,
                                "sale_price": price,
                                "price_floor": (cost * Decimal("1.05")).quantize(Decimal("0.01")),
                                "safety_stock": Decimal(pack * 2),
                                "reorder_point": Decimal(pack * 4),
                                "reorder_quantity": Decimal(pack * 10),
                                "default_supplier": suppliers[sequence % len(suppliers)],
                                "shelf_life_days": 365 if top_code == "FOOD" else None,
                            },
                        )
                    )
    return products


def _price_lists(company, products, supplier) -> None:
    cny = Currency.objects.get(organization=company, is_base=True)
    if PriceList.objects.filter(organization=company).exists():
        return
    save_price_list(
        organization=company,
        data={
            "code": "XS-STD",
            "name": "标准销售价",
            "kind": "sales",
            "currency": cny,
            "items": [{"product": p, "price": p.sale_price} for p in products],
        },
    )
    save_price_list(
        organization=company,
        data={
            "code": "XS-VIP",
            "name": "VIP 客户价",
            "kind": "sales",
            "currency": cny,
            "customer_group": "VIP",
            "items": [
                {"product": p, "price": p.sale_price, "discount_percent": Decimal(5)}
                for p in products
            ],
        },
    )
    save_price_list(
        organization=company,
        data={
            "code": "XS-PF",
            "name": "批发价（数量折扣）",
            "kind": "sales",
            "currency": cny,
            "customer_group": "批发",
            "items": [
                item
                for p in products
                for item in (
                    {"product": p, "min_quantity": Decimal(0), "price": p.sale_price},
                    {
                        "product": p,
                        "min_quantity": Decimal(100),
                        "price": (p.sale_price * Decimal("0.9")).quantize(Decimal("0.01")),
                    },
                )
            ],
        },
    )
    save_price_list(
        organization=company,
        data={
            "code": "CG-" + supplier.code,
            "name": f"{supplier.short_name}采购价",
            "kind": "purchase",
            "currency": cny,
            "partner": supplier,
            "items": [{"product": p, "price": p.purchase_price} for p in products[:40]],
        },
    )
