"""Model texts (答复示范文本) for every answer to a disclosure request and for the three notices.

Kinds are the values of requests.Outcome plus LetterTemplate.Kind, written out here because a
migration must not depend on how the model code looks later. get_or_create keyed on the kind:
re-running never overwrites an administrator's edits. Lines starting with full-width spaces are
indented paragraphs; the last two lines (unit and date) are set flush right by workflow.letters.
"""

from django.db import migrations

REGULATION = "《中华人民共和国政府信息公开条例》"
ANSWER_TITLE = "政府信息公开申请答复告知书"

OPENING = (
    "{applicant}：\n"
    "　　本机关于{received_on}收到您提出的政府信息公开申请（申请编号：{tracking_code}），"
    "您申请公开的政府信息为：“{description}”。\n"
)
# Art. 51 of the Regulation; time limits of 行政复议法 Art. 20 and 行政诉讼法 Art. 46.
REMEDY = (
    "　　如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
    "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。\n"
)
SIGNATURE = "\n{unit}\n{date}"


def answer(decision: str) -> tuple[str, str]:
    return ANSWER_TITLE, OPENING + decision + REMEDY + SIGNATURE


TEMPLATES = {
    "already_public": answer(
        f"　　经查，您申请公开的政府信息本机关已经主动公开。根据{REGULATION}第三十六条第（一）项的规定，"
        "现将获取该政府信息的方式、途径告知如下：\n"
        "　　{answer}\n"
    ),
    "disclosed": answer(
        f"　　经审查，您申请公开的政府信息属于可以公开的政府信息。根据{REGULATION}第三十六条第（二）项的规定，"
        "本机关决定予以公开，具体如下：\n"
        "　　{answer}\n"
    ),
    "partly_disclosed": answer(
        "　　经审查，您申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。"
        f"根据{REGULATION}（以下简称《条例》）第三十七条的规定，本机关向您提供可以公开的政府信息内容，"
        "并对不予公开的内容说明理由，具体如下：\n"
        "　　{answer}\n"
        "　　不予公开部分的依据：{legal_ground}。\n"
    ),
    "not_disclosed": answer(
        f"　　经审查，根据{REGULATION}（以下简称《条例》）第三十六条第（三）项的规定，"
        "本机关决定对您申请公开的政府信息不予公开。\n"
        "　　不予公开的依据：{legal_ground}。\n"
        "　　不予公开的理由：{answer}\n"
    ),
    "not_held": answer(
        "　　经检索，本机关没有制作或者获取您申请公开的政府信息。"
        f"根据{REGULATION}第三十六条第（四）项的规定，现告知您该政府信息不存在。\n"
        "　　{answer}\n"
    ),
    "not_competent": answer(
        f"　　经审查，根据{REGULATION}第三十六条第（五）项的规定，现告知您："
        "您申请公开的政府信息不属于本机关负责公开的范围。\n"
        "　　{answer}\n"
        "　　负责公开该政府信息的行政机关及联系方式：{competent_agency}。您可以向该机关提出申请。\n"
    ),
    "needs_compilation": answer(
        "　　经审查，行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。"
        "您申请公开的内容需要本机关对现有政府信息进行加工、分析方能形成。"
        f"根据{REGULATION}第三十八条的规定，本机关不予提供。\n"
        "　　{answer}\n"
    ),
    "still_unclear": answer(
        "　　因您的申请内容不明确，本机关已一次性告知您作出补正。经审查，您补正后的申请内容仍不明确，"
        f"本机关无法确定您申请公开的政府信息。根据{REGULATION}第三十条的规定，本机关对该申请不予处理。"
        "您可以在明确所需政府信息的名称、文号或者其他特征性描述后重新提出申请。\n"
        "　　{answer}\n"
    ),
    "repeated": answer(
        "　　经审查，本机关已就您提出的政府信息公开申请作出答复，您本次系重复申请公开相同政府信息。"
        f"根据{REGULATION}第三十六条第（六）项的规定，本机关不予重复处理。\n"
        "　　{answer}\n"
    ),
    "petition": answer(
        "　　经审查，您提出的申请系以政府信息公开申请的形式进行信访、投诉、举报等活动。"
        f"根据{REGULATION}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，"
        "您可以通过相应渠道提出。\n"
        "　　{answer}\n"
    ),
    "publication": answer(
        "　　经审查，您申请获取的内容为政府公报、报刊、书籍等公开出版物。"
        f"根据{REGULATION}第三十九条第二款的规定，现将获取的途径告知如下：\n"
        "　　{answer}\n"
    ),
    "excessive": answer(
        "　　经审查，您申请公开政府信息的数量、频次明显超过合理范围。本机关已要求您说明理由，"
        f"经审查认为申请理由不合理。根据{REGULATION}第三十五条的规定，本机关对该申请不予处理。\n"
        "　　{answer}\n"
    ),
    "special_statute": answer(
        "　　经审查，您申请公开的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
        f"根据{REGULATION}第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定办理。\n"
        "　　{answer}\n"
    ),
    "abandoned": answer(
        "　　因您的申请内容不明确，本机关已一次性告知您作出补正，补正期限至{correction_due_on}。"
        "您无正当理由逾期未补正。"
        f"根据{REGULATION}第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。\n"
    ),
    "correction": (
        "补正申请告知书",
        OPENING + "　　经审查，您的申请内容不明确，本机关无法据此确定您申请公开的政府信息。"
        f"根据{REGULATION}第三十条的规定，现一次性告知您需要补正的事项如下：\n"
        "　　{reason}\n"
        "　　请您于{correction_due_on}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
        "　　补正过程中如需指导和释明，请与本机关政府信息公开工作机构联系。\n" + SIGNATURE,
    ),
    "extension": (
        "延长答复期限告知书",
        OPENING
        + f"　　根据{REGULATION}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{extension_days}个工作日，本机关将于{due_on}前作出答复。\n"
        "　　延长答复期限的理由：{reason}\n"
        "　　依照该条第三款的规定，征求第三方和其他机关意见所需时间不计算在上述期限内。\n"
        + SIGNATURE,
    ),
    # Addressed to the third party, whose name is filled in by hand: no placeholder carries it,
    # and the applicant's identity is deliberately not passed on.
    "consultation": (
        "征求第三方意见函",
        "________：\n"
        "　　本机关于{received_on}收到一份政府信息公开申请（申请编号：{tracking_code}），"
        "申请公开的政府信息为：“{description}”。\n"
        "　　经审查，本机关认为公开该政府信息可能损害贵方的合法权益。"
        f"根据{REGULATION}第三十二条的规定，现书面征求贵方意见。\n"
        "　　{reason}\n"
        "　　请贵方自收到本函之日起15个工作日内向本机关提出书面意见；不同意公开的，请说明理由。"
        "逾期未提出意见的，由本机关依照上述条例的规定决定是否公开。\n"
        "　　特此函告。\n" + SIGNATURE,
    ),
}


def add_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    for kind, (title, body) in TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def remove_templates(apps, schema_editor):
    apps.get_model("workflow", "LetterTemplate").objects.filter(kind__in=TEMPLATES).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_requests_and_calendar")]
    operations = [migrations.RunPython(add_templates, remove_templates)]
