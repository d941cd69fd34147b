"""Letters that carry what a 答复告知书 must (issue 21, points 10-11).

Schema: the unit's full name, document-number prefix, reconsideration body and court; the
document-number sequence per unit and year; the letter's issuing unit, number and date.

Model texts: every letter gets its document number, the agency's full name over the date with the
place for the seal, and the remedies naming the reconsideration body and the court; texts citing
the wrong article are corrected (the Art. 34 consultation of another agency, the reconfirm answer,
the "other" answer), and the missing letters are added (the third party told of disclosure over
its objection, the Art. 35 request for reasons, the fee notice, the acknowledgement of receipt).
A text still as an earlier migration seeded it is replaced; a text an administrator edited is left
as it is, and the admin and the issuing service name what it lacks until it is completed.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

REGULATION = "《中华人民共和国政府信息公开条例》"
SHORT = "《条例》"
ANSWER_TITLE = "政府信息公开申请答复告知书"
SEAL = "（印章）"

HEAD = "{number}\n{applicant}：\n"
RECEIVED = (
    "　　本机关于{received_on}收到您提出的政府信息公开申请（申请编号：{tracking_code}），"
    "您申请公开的政府信息为：“{description}”。\n"
)
OPENING = HEAD + RECEIVED
# 行政复议法 (2023) Art. 20 (60 days), Art. 24 (the body: the government at the same level);
# 行政诉讼法 Art. 46 (6 months).
REMEDY = (
    "　　如对本答复不服，可以自收到本答复之日起60日内向{reconsideration_body}申请行政复议，"
    "或者自收到本答复之日起6个月内向{court}提起行政诉讼。\n"
)
# 行政复议法 (2023) Art. 23 ¶1 (四): against a refusal to disclose, reconsideration first;
# 行政诉讼法 Art. 45: suit within 15 days of receiving the reconsideration decision.
REMEDY_REVIEW_FIRST = (
    "　　如对本答复不服，可以自收到本答复之日起60日内向{reconsideration_body}申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内向{court}提起行政诉讼。"
    "依照《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，"
    "对不予公开政府信息的决定不服的，应当先申请行政复议。\n"
)
SIGNATURE = f"\n{SEAL}\n{{agency}}\n{{date}}"


def answer(decision: str, remedy: str = REMEDY) -> tuple[str, str]:
    return ANSWER_TITLE, OPENING + decision + remedy + SIGNATURE


def party_letter(title: str, text: str) -> tuple[str, str]:
    # To a third party or another agency: the unit's reference, never the tracking code.
    opening = (
        "{number}\n{party}：\n"
        "　　本机关于{received_on}收到一份政府信息公开申请（编号：{reference}），"
        "申请公开的政府信息为：“{description}”。"
    )
    return title, opening + text + SIGNATURE


TEMPLATES = {
    "already_public": answer(
        f"　　经审查，您申请公开的政府信息本机关已经主动公开。根据{REGULATION}"
        "第三十六条第（一）项的规定，现将获取该政府信息的方式、途径告知如下：\n"
        "　　{answer}\n"
    ),
    "disclosed": answer(
        f"　　经审查，您申请公开的政府信息属于可以公开的政府信息。根据{REGULATION}"
        "第三十六条第（二）项的规定，本机关决定予以公开，具体如下：\n"
        "　　{answer}\n"
    ),
    "partly_disclosed": answer(
        "　　经审查，您申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理。"
        f"根据{REGULATION}（以下简称{SHORT}）第三十七条的规定，本机关向您提供可以公开的政府信息内容，"
        "并对不予公开的内容说明理由，具体如下：\n"
        "　　{answer}\n"
        "　　不予公开部分的依据：{legal_ground}。\n"
        "　　删减情况说明：\n{redactions}\n",
        REMEDY_REVIEW_FIRST,
    ),
    "not_disclosed": answer(
        f"　　经审查，根据{REGULATION}（以下简称{SHORT}）第三十六条第（三）项的规定，"
        "本机关决定对您申请公开的政府信息不予公开。\n"
        "　　不予公开的依据：{legal_ground}。\n"
        "　　不予公开的理由：{answer}\n",
        REMEDY_REVIEW_FIRST,
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
        "　　经审查，您申请公开的内容需要本机关对现有政府信息进行加工、分析方能形成。"
        f"根据{REGULATION}第三十八条的规定，行政机关向申请人提供的信息，应当是已制作或者获取的"
        "政府信息，需要对现有政府信息进行加工、分析的，可以不予提供。本机关不予提供。\n"
        "　　{answer}\n"
    ),
    # Art. 30 ends the correction; the annual report counts this as 无法提供 (not 不予处理).
    "still_unclear": answer(
        "　　因您的申请内容不明确，本机关已一次性告知您作出补正。经审查，您补正后的申请内容仍不明确，"
        f"本机关无法确定您申请公开的政府信息。根据{REGULATION}第三十条的规定，本机关无法向您提供"
        "所申请的政府信息。您可以在明确所需政府信息的名称、文号或者其他特征性描述后重新提出申请。\n"
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
    # Each sentence under its own article: Art. 38 says what is provided (information already
    # made or obtained); Art. 39 ¶1 says a request that is not one for information is not
    # handled as such.
    "reconfirm": answer(
        "　　经审查，您的申请系要求本机关对您已经获取的政府信息予以确认或者重新出具。"
        f"根据{REGULATION}（以下简称{SHORT}）第三十八条的规定，行政机关向申请人提供的信息，"
        "应当是已制作或者获取的政府信息；对已获取的信息予以确认或者重新出具，需要本机关制作新的信息，"
        "不属于依申请提供政府信息的范围。"
        f"依照{SHORT}第三十九条第一款的规定，本机关对该申请不作为政府信息公开申请处理，"
        "您可以通过相应渠道提出。\n"
        "　　{answer}\n"
    ),
    "fee_unpaid": answer(
        f"　　本机关已根据{REGULATION}第四十二条和《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号）向您发出收费通知，您未在规定期限内缴纳信息处理费，"
        "视为放弃本次申请，本机关不再处理该政府信息公开申请。\n"
        "　　{answer}\n"
    ),
    # Art. 33 sets time limits and is no ground: the drafted answer names the provision relied on.
    "other": answer(
        "　　经审查，现将本机关对您申请的处理决定及其所依据的规定、理由告知如下：\n　　{answer}\n"
    ),
    # Issued by the correction step when the date passes (Art. 30).
    "abandoned": (
        "视为放弃申请告知书",
        OPENING
        + "　　因您的申请内容不明确，本机关已一次性告知您作出补正，补正期限至{correction_due_on}。"
        "您无正当理由逾期未补正。"
        f"根据{REGULATION}第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。\n"
        + REMEDY
        + SIGNATURE,
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
    "receipt": (
        "政府信息公开申请受理回执",
        OPENING + f"　　根据{REGULATION}第三十三条的规定，本机关将自收到申请之日起20个工作日内，"
        "即于{due_on}前作出答复；需要延长答复期限的，将另行告知。"
        "征求第三方和其他机关意见所需时间不计算在上述期限内。\n"
        "　　您可以凭申请编号在{status_url}查询办理进度。\n" + SIGNATURE,
    ),
    "reasons_request": (
        "申请人说明理由通知书",
        OPENING + "　　经审查，您申请公开政府信息的数量、频次明显超过合理范围。"
        f"根据{REGULATION}（以下简称{SHORT}）第三十五条的规定，请您于{{reasons_due_on}}前"
        "向本机关书面说明申请理由。\n"
        "　　{reason}\n"
        "　　本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，"
        f"但是无法在{SHORT}第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知您。\n"
        + SIGNATURE,
    ),
    # 国办函〔2020〕109号: the notice states basis, amount and how to pay; payment within 20 working
    # days of the day after receipt, or the request is treated as abandoned; the time from the
    # notice to payment is not counted in the time limit.
    "fee_notice": (
        "政府信息公开信息处理费收费通知",
        OPENING + "　　经审查，您申请公开政府信息的数量、频次明显超过合理范围。"
        f"根据{REGULATION}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
        "的规定，本机关决定向您收取信息处理费，现通知如下：\n"
        "　　一、收费金额：{fee_amount}。\n"
        "　　二、计费依据：{fee_basis}。\n"
        "　　三、缴费方式：{fee_payment}。\n"
        "　　四、缴费期限：请您自收到本通知次日起20个工作日内，即于{fee_due_on}前缴纳。"
        "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
        "　　自本机关发出本通知之日起至您缴纳费用之日止的期间，不计算在答复期限内；"
        "本机关收到费用后继续办理您的申请。\n" + SIGNATURE,
    ),
    "consultation": party_letter(
        "征求第三方意见函",
        "\n　　经审查，本机关认为公开该政府信息可能损害贵方的合法权益。"
        f"根据{REGULATION}第三十二条的规定，现书面征求贵方意见。\n"
        "　　{reason}\n"
        "　　请贵方自收到本函之日起15个工作日内向本机关提出书面意见；不同意公开的，请说明理由。"
        "逾期未提出意见的，由本机关依照上述条例的规定决定是否公开。\n"
        "　　特此函告。\n",
    ),
    # Art. 34: information two or more agencies made together; the other's silence is consent.
    "consultation_agency": party_letter(
        "征求意见函",
        "该政府信息由本机关与贵机关共同制作，本机关为牵头制作机关。\n"
        f"　　根据{REGULATION}第三十四条的规定，现征求贵机关意见。\n"
        "　　{reason}\n"
        "　　请贵机关自收到本函之日起15个工作日内向本机关提出意见；逾期未提出意见的，视为同意公开。\n"
        "　　特此函告。\n",
    ),
    # Art. 32: disclosure over the third party's objection, with its content and reasons; it
    # follows 15 working days after the notice, so the third party can seek a remedy first.
    "third_party_disclosure": party_letter(
        "决定公开政府信息告知书",
        "本机关已就此书面征求贵方意见，贵方不同意公开。\n"
        "　　经审查，本机关认为不公开可能对公共利益造成重大影响。"
        f"根据{REGULATION}第三十二条的规定，本机关决定予以公开，现将决定公开的政府信息内容和理由告知如下：\n"
        "　　决定公开的政府信息内容：{answer}\n"
        "　　决定公开的理由：{reason}\n"
        "　　本机关将在本告知书发出之日起15个工作日届满后，即{disclosure_on}之后，公开上述政府信息。\n"
        "　　如对本决定不服，可以自收到本告知书之日起60日内向{reconsideration_body}申请行政复议，"
        "或者自收到本告知书之日起6个月内向{court}提起行政诉讼。\n",
    ),
}


def _earlier_seeds() -> dict[str, set[tuple[str, str]]]:
    """(title, body) of every kind as migrations 0004, 0007 and 0008 seeded it."""
    m0004 = importlib.import_module("workflow.migrations.0004_letter_templates")
    m0007 = importlib.import_module("workflow.migrations.0007_partial_disclosure_redaction_log")
    m0008 = importlib.import_module(
        "workflow.migrations.0008_catalogue_search_and_annual_report_rows"
    )
    seeds: dict[str, set[tuple[str, str]]] = {}
    for kind, pair in m0004.TEMPLATES.items():
        seeds.setdefault(kind, set()).add(pair)
    title, body = m0004.TEMPLATES["partly_disclosed"]
    seeds["partly_disclosed"].add((title, body.replace(m0007.OLD, m0007.NEW)))
    for kind, decision in m0008.LETTERS.items():
        seeds.setdefault(kind, set()).add(
            (m0008.ANSWER_TITLE, m0008.OPENING + decision + m0008.REMEDY + m0008.SIGNATURE)
        )
    return seeds


def templates_forward(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    seeds = _earlier_seeds()
    for kind, (title, body) in TEMPLATES.items():
        template = LetterTemplate.objects.filter(kind=kind).first()
        if template is None:
            LetterTemplate.objects.create(kind=kind, title=title, body=body)
        elif (template.title, template.body) in seeds.get(kind, set()):
            template.title, template.body = title, body
            template.save(update_fields=["title", "body"])


def templates_backward(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    seeds = _earlier_seeds()
    for kind, (title, body) in TEMPLATES.items():
        template = LetterTemplate.objects.filter(kind=kind, title=title, body=body).first()
        if template is None:
            continue
        earlier = sorted(seeds.get(kind, set()), key=lambda pair: len(pair[1]))
        if earlier:
            template.title, template.body = earlier[-1]
            template.save(update_fields=["title", "body"])
        else:
            template.delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0020_request_clock")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="full_name",
            field=models.CharField(
                blank=True,
                help_text="The agency's name as it signs letters, e.g. 示范区民政局. Required for units that answer disclosure requests.",
                max_length=200,
                verbose_name="full name",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="letter_prefix",
            field=models.CharField(
                blank=True,
                help_text="The first part of the document numbers (文号) of the unit's letters, e.g. 示民公开 for 示民公开〔2026〕12号. The whole format is the LETTER_NUMBER_FORMAT setting.",
                max_length=30,
                verbose_name="document number prefix (发文机关代字)",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="reconsideration_body",
            field=models.CharField(
                blank=True,
                help_text="Named in the remedies of every decision letter: where the applicant may apply for administrative reconsideration within 60 days, e.g. 示范区人民政府.",
                max_length=200,
                verbose_name="administrative reconsideration body",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="court",
            field=models.CharField(
                blank=True,
                help_text="Named in the remedies of every decision letter: the court where the applicant may sue within 6 months, e.g. 示范区人民法院.",
                max_length=200,
                verbose_name="court for administrative litigation",
            ),
        ),
        migrations.CreateModel(
            name="LetterSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField()),
                ("last_serial", models.PositiveIntegerField(default=0)),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="workflow.unit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "year"), name="letter_sequence_unique_unit_year"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="letter",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="workflow.unit",
                verbose_name="issued by",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="number",
            field=models.CharField(
                blank=True, max_length=60, verbose_name="document number (文号)"
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="number_year",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="number_serial",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letter",
            name="issued_on",
            field=models.DateField(blank=True, null=True, verbose_name="dated"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                condition=models.Q(number_serial__isnull=False),
                fields=("unit", "number_year", "number_serial"),
                name="letter_number_unique_per_unit_year",
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="body",
            field=models.TextField(
                help_text="One paragraph per line; a line starting with full-width spaces is indented. The placeholders this kind may use and the parts it must carry are listed below.",
                verbose_name="text",
            ),
        ),
        migrations.RunPython(templates_forward, templates_backward),
    ]
