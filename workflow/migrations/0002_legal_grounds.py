"""Default legal grounds for not disclosing (Regulation Arts. 14-16); administrators extend the list."""

from django.db import migrations

GROUNDS = [
    ("art14-state-secret", "《条例》第十四条", "依法确定为国家秘密的政府信息"),
    ("art14-prohibited", "《条例》第十四条", "法律、行政法规禁止公开的政府信息"),
    ("art14-security", "《条例》第十四条", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    ("art15-third-party", "《条例》第十五条", "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害"),
    ("art16-internal", "《条例》第十六条第一款", "行政机关的内部事务信息"),
    ("art16-process", "《条例》第十六条第二款", "过程性信息及行政执法案卷信息"),
]


def add_grounds(apps, schema_editor):
    LegalGround = apps.get_model("workflow", "LegalGround")
    for code, article, title in GROUNDS:
        LegalGround.objects.get_or_create(code=code, defaults={"article": article, "title": title})


def remove_grounds(apps, schema_editor):
    apps.get_model("workflow", "LegalGround").objects.filter(code__in=[g[0] for g in GROUNDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(add_grounds, remove_grounds)]
