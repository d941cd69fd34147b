"""Messages to applicants (notifications.applicant) with their texts seeded in Chinese, staff SMS
held for working hours (Delivery.not_before, status "scheduled"), and the address a channel needs
(Preference.address: a mobile number for SMS)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FOOTER = "\n\n{unit}\n（本邮件由系统自动发送，请勿直接回复。）"

TEXTS = {
    # 受理: the receipt date fixed (Art. 31), and the time limit it starts (Art. 33 ¶2).
    "received": (
        "您的政府信息公开申请已受理（查询码：{tracking_code}）",
        "{applicant}：\n\n"
        "您向{unit}提出的政府信息公开申请（查询码：{tracking_code}）已于{received_on}收到并受理。\n\n"
        "依照《中华人民共和国政府信息公开条例》第三十三条，我们将自收到申请之日起20个工作日内，"
        "即{due_on}前作出答复；如需延长答复期限，将另行告知。\n\n"
        "您可凭查询码在以下网址查询办理进度：{status_url}" + FOOTER,
        "您的政府信息公开申请（查询码{tracking_code}）已于{received_on}受理，将于{due_on}前答复。"
        "进度查询：{status_url}",
    ),
    # 补正 (Art. 30): what to correct, by when, and what happens otherwise.
    "correction": (
        "请补正您的政府信息公开申请（查询码：{tracking_code}）",
        "{applicant}：\n\n"
        "您向{unit}提出的政府信息公开申请（查询码：{tracking_code}）内容不够明确。依照《中华人民共和国"
        "政府信息公开条例》第三十条，请您补正以下事项：\n\n{correction}\n\n"
        "请于{correction_due_on}前提交补正后的申请。答复期限自我们收到补正后的申请之日起计算；"
        "无正当理由逾期不补正的，视为放弃申请，我们将不再处理该申请。\n\n"
        "《补正告知书》另按您选择的方式送达。进度查询：{status_url}" + FOOTER,
        "您的政府信息公开申请（查询码{tracking_code}）需要补正，请于{correction_due_on}前补正，"
        "逾期不补正视为放弃申请。补正事项见邮件或补正告知书。",
    ),
    # 延期 (Art. 33 ¶2): with the consent of the head of the disclosure office, at most 20 days.
    "extension": (
        "您的政府信息公开申请答复期限已延长（查询码：{tracking_code}）",
        "{applicant}：\n\n"
        "您向{unit}提出的政府信息公开申请（查询码：{tracking_code}）需要延长答复期限，理由：{reason}。"
        "经政府信息公开工作机构负责人同意，依照《中华人民共和国政府信息公开条例》第三十三条第二款，"
        "答复期限延长{extension_days}个工作日，我们将于{due_on}前作出答复。\n\n"
        "《延期答复告知书》另按您选择的方式送达。进度查询：{status_url}" + FOOTER,
        "您的政府信息公开申请（查询码{tracking_code}）答复期限延长{extension_days}个工作日，"
        "将于{due_on}前答复。",
    ),
    # 答复 (Arts. 36-39): the letter itself goes as the applicant chose; the remedies are in it.
    "answered": (
        "您的政府信息公开申请已答复（查询码：{tracking_code}）",
        "{applicant}：\n\n"
        "您向{unit}提出的政府信息公开申请（查询码：{tracking_code}）已于{answered_on}作出答复"
        "（{outcome}）。答复告知书按您选择的获取方式送达，请注意查收。\n\n"
        "如对答复不服，可以依法申请行政复议或者提起行政诉讼，具体途径和期限见答复告知书。\n\n"
        "进度查询：{status_url}" + FOOTER,
        "您的政府信息公开申请（查询码{tracking_code}）已于{answered_on}答复，答复告知书按您选择的"
        "方式送达，请注意查收。",
    ),
    # 收费 (国办函〔2020〕109号): the time from the notice to payment is not counted; no payment
    # in time counts as abandoning the request.
    "fee": (
        "政府信息公开申请信息处理费缴费通知（查询码：{tracking_code}）",
        "{applicant}：\n\n"
        "您向{unit}提出的政府信息公开申请（查询码：{tracking_code}），依照《政府信息公开信息处理费"
        "管理办法》（国办函〔2020〕109号），需缴纳信息处理费{amount}元。\n\n"
        "缴费方式：{payment}\n请于{pay_by}前缴纳。自发出收费通知之日起至您缴费完成之日止的期间，"
        "不计算在答复期限内；逾期未缴纳的，视为放弃申请，我们将不再处理该申请。\n\n"
        "《收费通知》另按您选择的方式送达。进度查询：{status_url}" + FOOTER,
        "您的政府信息公开申请（查询码{tracking_code}）需缴纳信息处理费{amount}元，请于{pay_by}前"
        "缴纳，逾期视为放弃申请。详见收费通知。",
    ),
}


def seed_texts(apps, schema_editor):
    ApplicantTemplate = apps.get_model("notifications", "ApplicantTemplate")
    for event, (subject, body, sms) in TEXTS.items():
        ApplicantTemplate.objects.get_or_create(
            event=event, defaults={"subject": subject, "body": body, "sms": sms}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_receipt_confirmation_deadline'),
        ('workflow', '0020_request_clock'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicantNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('event', models.CharField(choices=[('received', 'Request received (受理)'), ('correction', 'Correction asked for (补正, Art. 30)'), ('extension', 'Time limit extended (延期, Art. 33 ¶2)'), ('answered', 'Request answered (答复)'), ('fee', 'Fee notice (收费)')], max_length=20, verbose_name='event')),
                ('key', models.CharField(max_length=120)),
                ('channel', models.CharField(max_length=30, verbose_name='channel')),
                ('address', models.CharField(max_length=254, verbose_name='address')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('body', models.TextField(verbose_name='text')),
                ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('scheduled', "Held until the channel's hours"), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=20, verbose_name='status')),
                ('not_before', models.DateTimeField(blank=True, null=True, verbose_name='held until')),
            ],
            options={
                'verbose_name': 'message to an applicant',
                'verbose_name_plural': 'messages sent to applicants',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ApplicantTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('received', 'Request received (受理)'), ('correction', 'Correction asked for (补正, Art. 30)'), ('extension', 'Time limit extended (延期, Art. 33 ¶2)'), ('answered', 'Request answered (答复)'), ('fee', 'Fee notice (收费)')], max_length=20, unique=True, verbose_name='event')),
                ('subject', models.CharField(max_length=200, verbose_name='e-mail subject')),
                ('body', models.TextField(help_text='Placeholders: {applicant} {tracking_code} {unit} {submitted_on} {received_on} {due_on} {correction} {correction_due_on} {extension_days} {reason} {answered_on} {outcome} {status_url}; fee notices also {amount} {pay_by} {payment}', verbose_name='e-mail text')),
                ('sms', models.CharField(blank=True, help_text='Short: one or two SMS (70 characters each). Empty: no SMS for this event.', max_length=300, verbose_name='SMS text')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'message to applicants',
                'verbose_name_plural': 'messages to applicants',
                'ordering': ['event'],
            },
        ),
        migrations.AddField(
            model_name='delivery',
            name='not_before',
            field=models.DateTimeField(blank=True, null=True, verbose_name='held until'),
        ),
        migrations.AddField(
            model_name='preference',
            name='address',
            field=models.CharField(blank=True, max_length=254, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to be sent'), ('scheduled', 'Held until working hours'), ('for_digest', 'Waiting for the daily digest'), ('sent', 'Sent'), ('in_digest', 'Sent in a digest'), ('skipped', 'Skipped: no address on this channel'), ('failed', 'Failed')], max_length=20, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(condition=models.Q(('status', 'scheduled')), fields=['not_before'], name='delivery_scheduled'),
        ),
        migrations.AddField(
            model_name='applicantnotice',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applicant_notices', to='workflow.disclosurerequest', verbose_name='request'),
        ),
        migrations.AddField(
            model_name='applicanttemplate',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddIndex(
            model_name='applicantnotice',
            index=models.Index(condition=models.Q(('status', 'scheduled')), fields=['not_before'], name='applicant_notice_scheduled'),
        ),
        migrations.AddConstraint(
            model_name='applicantnotice',
            constraint=models.UniqueConstraint(fields=('request', 'event', 'key', 'channel'), name='applicant_notice_once'),
        ),
        migrations.RunPython(seed_texts, migrations.RunPython.noop),
    ]
