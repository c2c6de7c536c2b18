"""The default penalty types and publication rules (R8); the credit office edits them in the admin.

Penalty types are the kinds of 《中华人民共和国行政处罚法》 (2021) art. 9, with the spellings of the
1996 text as aliases. Their tiers are this platform's defaults, not law: warnings and public
criticism are minor (not published), penalties against property or a licence's scope general, and
penalties that end or bar a business or restrict freedom serious.
"""

from django.db import migrations

BASIS = "《中华人民共和国行政处罚法》第九条"
RULES_BASIS = "国办发〔2025〕22号；《信用修复管理办法》（2026年4月1日起施行）"

PENALTY_TYPES = [
    ("警告", "minor", []),
    ("通报批评", "minor", []),
    ("罚款", "general", []),
    ("没收违法所得", "general", []),
    ("没收非法财物", "general", ["没收非法财物、违法所得"]),
    ("暂扣许可证件", "general", ["暂扣许可证", "暂扣执照", "暂扣营业执照"]),
    ("降低资质等级", "general", []),
    ("其他", "general", ["其他行政处罚", "法律、行政法规规定的其他行政处罚"]),
    ("吊销许可证件", "serious",
     ["吊销许可证", "吊销执照", "吊销营业执照", "暂扣或者吊销许可证", "暂扣或者吊销执照",
      "暂扣或吊销许可证", "暂扣或吊销执照"]),
    ("限制开展生产经营活动", "serious", []),
    ("责令停产停业", "serious", ["责令停产", "责令停业"]),
    ("责令关闭", "serious", []),
    ("限制从业", "serious", []),
    ("行政拘留", "serious", ["拘留"]),
]

RULES = [("minor", False, 0, 0), ("general", True, 3, 12), ("serious", True, 12, 36)]


def seed(apps, schema_editor):
    PenaltyType = apps.get_model("catalog", "PenaltyType")
    PublicationRule = apps.get_model("catalog", "PublicationRule")
    for name, tier, aliases in PENALTY_TYPES:
        PenaltyType.objects.get_or_create(
            name=name, defaults={"tier": tier, "aliases": aliases, "legal_basis": BASIS}
        )
    for tier, published, low, high in RULES:
        PublicationRule.objects.get_or_create(
            catalog_item=None,
            tier=tier,
            defaults={"is_published": published, "months_min": low, "months_max": high,
                      "legal_basis": RULES_BASIS},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_ingestion")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
