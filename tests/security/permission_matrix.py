"""The permission matrix: what every URL of the project answers to every role, for own-unit and
other-unit objects in each state. test_permission_matrix.py walks the URL configuration and fails
for any pattern without rows here, runs every cell, and lists every wrong one.

Reading a row: the URL's name, then the object it is called with, then one answer per column.

Answers: a status code; L = redirect to the login page; A = redirect to the admin's login page;
302 = any other redirect. The key rules: objects of others answer 404 exactly like missing ones;
anonymous visitors of the workbench go to the login page; the API answers 401 without
credentials; POST-only addresses answer 405 to a GET.

Columns (the users of tests/conftest.py's `org`, plus a superuser without any position):
    anon  anonymous visitor
    drft  drafter of 民政局/社会救助科, the author of every 民政局 (MZJ) item
    coll  drafter of 民政局/办公室: same unit, another section
    revw  confidentiality reviewer of 民政局
    shd   section head of 社会救助科
    uhd   unit head of 民政局
    dapp  approver of the district office (区政府办公室)
    supv  supervisor of the district (督查)
    offc  request officer of 民政局
    secr  reviewer of the secrecy bureau (区保密局)
    outs  outsider: drafter of 教育局 (JYJ), the author of every 教育局 item
    ohd   outsider head: unit head of 教育局
    root  superuser with no position (superuser status opens no item, by design)
    staff staff member without model permissions (admin rows only)

Objects (tests/security/permission_world.py builds them through the services):
    mzj.draft        民政局 item, draft, naming the district office to countersign
                     (every item has an attachment; every submitted one has scanner findings)
    mzj.review       under review, the task claimed by the reviewer, with findings and a redaction
    mzj.referred     referred to the secrecy bureau, its ruling task open
    mzj.countersign  passed review, waiting for 教育局 to countersign (会签)
    mzj.approval     passed review, district-wide, waiting for the district office's approval:
                     approval publishes at once (there is no "approved, not yet published"
                     state), so this is the last state before publication
    mzj.published    published (公开)
    mzj.withheld     approved as not disclosed (不予公开)
    jyj.*            the same states for 教育局 (no referral or countersignature)
    mzj.check        request to 民政局, waiting at the completeness check
    mzj.req          request to 民政局 being drafted by 社会救助科: a consultation, its letter, a
                     pending extension, the draft task, the drafter's notification
    jyj.req          the same for 教育局 (no extension)
    mzj.report       the 民政局's annual report on last year; jyj.report, district.report alike
    mzj.appeal       a reconsideration case of 民政局; jyj.appeal alike
    mzj.unit         民政局 (jyj.unit 教育局, bmj.unit the secrecy bureau)

Keys: "-" calls the URL without parameters; "mzj.draft" fills the parameters from the object as
PARAMS says ("" the object, ".task" its task, ":code" an attribute, "@" the text after "@" in the
key); "mzj.draft|jyj.draft" takes the first parameter from the left object and the nested ones
from the right: another object's child under one's own, which must answer 404 too;
"?preview={mzj.review.task}" adds a query string naming objects.
"""

LOGIN = "L"
ADMIN = "A"
REDIRECT = "302"
TOKENS = {LOGIN, ADMIN, REDIRECT, "200", "401", "403", "404", "405"}

ROLES = (
    "anon",
    "drft",
    "coll",
    "revw",
    "shd",
    "uhd",
    "dapp",
    "supv",
    "offc",
    "secr",
    "outs",
    "ohd",
    "root",
)
ADMIN_ROLES = ("anon", "drft", "outs", "staff", "root")

PARAMS = {
    "workflow:item_detail": {"pk": ""},
    "workflow:item_edit": {"pk": ""},
    "workflow:item_submit": {"pk": ""},
    "workflow:attachment_upload": {"pk": ""},
    "workflow:attachment_download": {"pk": "", "attachment_pk": ".attachment"},
    "workflow:task_detail": {"pk": ".task"},
    "workflow:task_claim": {"pk": ".task"},
    "workflow:task_release": {"pk": ".task"},
    "workflow:process_detail": {"pk": ".process"},
    "workflow:request_detail": {"pk": ""},
    "workflow:consultation_open": {"pk": ""},
    "workflow:consultation_close": {"pk": "", "consultation_pk": ".consultation"},
    "workflow:extension_request": {"pk": ""},
    "workflow:extension_decide": {"pk": "", "extension_pk": ".extension"},
    "workflow:request_convert": {"pk": ""},
    "workflow:request_reasons": {"pk": ""},
    "workflow:request_fee": {"pk": ""},
    "workflow:letter_download": {"pk": "", "letter_pk": ".letter", "fmt": "@"},
    "workflow:letter_print": {"pk": "", "letter_pk": ".letter"},
    "workflow:answer_letter_print": {"pk": ""},
    "workflow:disclosure_notice": {"pk": "", "consultation_pk": ".consultation"},
    "review:item_rescan": {"pk": ""},
    "review:finding_redact": {"pk": "", "finding_pk": ".finding"},
    "review:finding_dismiss": {"pk": "", "finding_pk": ".finding"},
    "review:findings_redact_kind": {"pk": ""},
    "review:passage_redact": {"pk": ""},
    "review:attachment_confirm_checked": {"pk": "", "attachment_pk": ".attachment"},
    "review:attachment_replace": {"pk": "", "attachment_pk": ".attachment"},
    "review:redaction_withdraw": {"pk": "", "redaction_pk": ".redaction"},
    "review:countersign_unit_add": {"pk": ""},
    "review:countersign_unit_remove": {"pk": "", "unit_pk": ".named_unit"},
    "review:countersign_detail": {"pk": ".countersign"},
    "notifications:open": {"pk": ".notification"},
    "notifications:read": {"pk": ".notification"},
    "portal:catalogue_detail": {"pk": ""},
    "portal:catalogue_attachment": {"pk": "", "attachment_pk": ".attachment"},
    "portal:guide": {"code": ":code"},
    "reports:report_detail": {"pk": ""},
    "reports:report_edit": {"pk": ""},
    "reports:report_submit": {"pk": ""},
    "reports:report_docx": {"pk": ""},
    "reports:report_xlsx": {"pk": ""},
    "reports:appeal_list": {"unit_pk": ""},
    "reports:appeal_edit": {"pk": ""},
    "api:catalogue_detail": {"pk": ""},
    "api:item_detail": {"pk": ""},
    "api:request_detail": {"pk": ""},
    "api:request_status": {"tracking_code": ":tracking_code"},
    "admin:app_list": {"app_label": "@"},
}
# Patterns without a name are keyed by their route; this is where they are called.
SAMPLE_PATHS = {r"api/^[\s\S]*$": "/api/v2/items/"}

# fmt: off
GET = {
    # Accounts and language: signing in and choosing a language are public; changing one's
    # password needs a session.
    "login": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "logout": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "405  405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "password_change": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "password_change_done": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "set_language": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "302  302  302  302  302  302  302  302  302  302  302  302  302",
    },
    # The workbench's lists and forms: anonymous visitors go to the login page; lists show each user
    # only what they may open, so they answer 200 to everyone logged in.
    "workflow:inbox": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
        "?preview={mzj.review.task}": "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "?preview={jyj.review.task}": "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "workflow:claim_next": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:approvals": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "workflow:item_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "workflow:item_create": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  404  404  404  404  404  404  404  200  404  404",
    },
    # Items in each state. Who reads an item: its author, its section (drafters and section head),
    # its unit (reviewers and unit head), the district office for district-wide items once they
    # reach its approval (mzj.approval; never a draft), the supervisors, the unit asked to rule on
    # a referral (here the secrecy bureau; never the bureau for a referral to another
    # department), the head of a unit asked to countersign. Everyone else: 404, as for a missing
    # item.
    "workflow:item_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.review":                 "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.referred":               "L    200  404  200  200  200  404  200  404  200  404  404  404",
        "mzj.countersign":            "L    200  404  200  200  200  404  200  404  404  404  200  404",
        "mzj.approval":               "L    200  404  200  200  200  200  200  404  404  404  404  404",
        "mzj.published":              "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.withheld":               "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "jyj.draft":                  "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.review":                 "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.approval":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.published":              "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.withheld":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "workflow:item_edit": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "L    200  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.review":                 "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.referred":               "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.countersign":            "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.approval":               "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.published":              "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.withheld":               "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.draft":                  "L    404  404  404  404  404  404  404  404  404  200  404  404",
        "jyj.review":                 "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.approval":               "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.published":              "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.withheld":               "L    404  404  404  404  404  404  404  404  404  404  404  404",
    },
    "workflow:item_submit": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:attachment_upload": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:attachment_download": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.review":                 "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.referred":               "L    200  404  200  200  200  404  200  404  200  404  404  404",
        "mzj.countersign":            "L    200  404  200  200  200  404  200  404  404  404  200  404",
        "mzj.approval":               "L    200  404  200  200  200  200  200  404  404  404  404  404",
        "mzj.published":              "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.withheld":               "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "jyj.draft":                  "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.review":                 "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.approval":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.published":              "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.withheld":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "mzj.draft|jyj.draft":        "L    404  404  404  404  404  404  404  404  404  404  404  404",
    },
    # Tasks and processes follow their item or request.
    "workflow:task_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.referred":               "L    200  404  200  200  200  404  200  404  200  404  404  404",
        "mzj.approval":               "L    200  404  200  200  200  200  200  404  404  404  404  404",
        "mzj.published":              "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "jyj.review":                 "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.approval":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "mzj.check":                  "L    404  404  404  404  404  404  200  200  404  404  404  404",
        "mzj.req":                    "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "workflow:task_claim": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.approval":               "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:task_release": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:process_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.referred":               "L    200  404  200  200  200  404  200  404  200  404  404  404",
        "mzj.countersign":            "L    200  404  200  200  200  404  200  404  404  404  200  404",
        "mzj.approval":               "L    200  404  200  200  200  200  200  404  404  404  404  404",
        "mzj.published":              "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.withheld":               "L    200  404  200  200  200  404  200  404  404  404  404  404",
        "jyj.review":                 "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.approval":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.published":              "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.withheld":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "mzj.check":                  "L    404  404  404  404  404  404  200  200  404  404  404  404",
        "mzj.req":                    "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    # Disclosure requests: the receiving unit's disclosure office, the handling unit and section,
    # the supervisors.
    "workflow:request_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "workflow:request_create": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    404  404  404  404  404  404  404  200  404  404  404  404",
    },
    "workflow:request_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.check":                  "L    404  404  404  404  404  404  200  200  404  404  404  404",
        "mzj.req":                    "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "workflow:consultation_open": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:consultation_close": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:extension_request": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:extension_decide": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:request_convert": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:request_reasons": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:request_fee": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "workflow:letter_download": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req@docx":               "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "mzj.req@pdf":                "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "mzj.req@txt":                "L    404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.req@docx":               "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "mzj.req|jyj.req@docx":       "L    404  404  404  404  404  404  404  404  404  404  404  404",
    },
    # A letter's print view: whoever may read the request, like its files.
    "workflow:letter_print": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "L    404  404  404  404  404  404  200  404  404  200  200  404",
        "mzj.req|jyj.req":            "L    404  404  404  404  404  404  404  404  404  404  404  404",
    },
    # The answer letter before it is issued (here: nothing drafted yet, said on the page).
    "workflow:answer_letter_print": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.check":                  "L    404  404  404  404  404  404  200  200  404  404  404  404",
        "mzj.req":                    "L    200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "L    404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "workflow:disclosure_notice": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    # The public request form and status lookup.
    "public:apply": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "public:applied": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "302  302  302  302  302  302  302  302  302  302  302  302  302",
    },
    # The request form's CAPTCHA picture: anyone, like the form itself.
    "public:captcha": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "public:status": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "?code={mzj.req:tracking_code}":"200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    # The confidentiality review's actions (POST only) and the countersignatures.
    "review:item_rescan": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:finding_redact": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:finding_dismiss": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:findings_redact_kind": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:passage_redact": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:attachment_confirm_checked": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:attachment_replace": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:redaction_withdraw": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:countersign_unit_add": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.review":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:countersign_unit_remove": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.countersign":            "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "review:countersign_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "review:countersign_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.countersign":            "L    200  404  200  200  200  404  200  404  404  404  200  404",
    },
    # Notifications: each user's own.
    "notifications:list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "notifications:open": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "notifications:read": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "notifications:read_all": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "notifications:preferences": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  200  200  200  200  200  200  200  200  200  200",
    },
    # Supervision: the supervisors alone.
    "supervision:dashboard": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    "supervision:export": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    # The public portal: published entries only, the same for everyone; a session never widens it.
    "portal:home": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "portal:catalogue": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "portal:feed": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "portal:catalogue_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.referred":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.countersign":            "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "mzj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "jyj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
    },
    "portal:catalogue_attachment": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.referred":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.countersign":            "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "mzj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "jyj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.published|jyj.published":"404  404  404  404  404  404  404  404  404  404  404  404  404",
    },
    "portal:guide_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "portal:guide": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.unit":                   "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "jyj.unit":                   "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "bmj.unit":                   "404  404  404  404  404  404  404  404  404  404  404  404  404",
    },
    # Annual reports: prepared by the unit's drafters and disclosure office, read also by its head;
    # the district's by the supervisors.
    "reports:report_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    200  200  404  404  200  404  200  200  404  200  200  404",
    },
    "reports:report_create": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "reports:published": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "reports:report_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.report":                 "L    200  200  404  404  200  404  404  200  404  404  404  404",
        "jyj.report":                 "L    404  404  404  404  404  404  404  404  404  200  200  404",
        "district.report":            "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    "reports:report_edit": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.report":                 "L    200  200  404  404  404  404  404  200  404  404  404  404",
        "jyj.report":                 "L    404  404  404  404  404  404  404  404  404  200  404  404",
        "district.report":            "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    "reports:report_submit": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.report":                 "L    405  405  405  405  405  405  405  405  405  405  405  405",
    },
    "reports:report_docx": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.report":                 "L    200  200  404  404  200  404  404  200  404  404  404  404",
        "jyj.report":                 "L    404  404  404  404  404  404  404  404  404  200  200  404",
        "district.report":            "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    "reports:report_xlsx": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.report":                 "L    200  200  404  404  200  404  404  200  404  404  404  404",
        "jyj.report":                 "L    404  404  404  404  404  404  404  404  404  200  200  404",
        "district.report":            "L    404  404  404  404  404  404  200  404  404  404  404  404",
    },
    "reports:appeal_index": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "L    302  302  404  404  302  404  404  302  404  302  302  404",
    },
    "reports:appeal_list": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.unit":                   "L    200  200  404  404  200  404  404  200  404  404  404  404",
        "jyj.unit":                   "L    404  404  404  404  404  404  404  404  404  200  200  404",
    },
    "reports:appeal_edit": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.appeal":                 "L    200  200  404  404  404  404  404  200  404  404  404  404",
        "jyj.appeal":                 "L    404  404  404  404  404  404  404  404  404  200  404  404",
    },
    # The API: the catalogue and the status lookup take no credentials; everything else is 401
    # without them and reads through the workbench's selectors.
    "api:schema": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:catalogue": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:catalogue_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.referred":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.countersign":            "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "mzj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "mzj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.draft":                  "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.review":                 "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.approval":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
        "jyj.published":              "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "jyj.withheld":               "404  404  404  404  404  404  404  404  404  404  404  404  404",
    },
    "api:categories": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:units": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:requests": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "401  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:request_status": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.req":                    "200  200  200  200  200  200  200  200  200  200  200  200  200",
        "jyj.req":                    "200  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:items": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "401  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    "api:item_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.draft":                  "401  200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.review":                 "401  200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.referred":               "401  200  404  200  200  200  404  200  404  200  404  404  404",
        "mzj.countersign":            "401  200  404  200  200  200  404  200  404  404  404  200  404",
        "mzj.approval":               "401  200  404  200  200  200  200  200  404  404  404  404  404",
        "mzj.published":              "401  200  404  200  200  200  404  200  404  404  404  404  404",
        "mzj.withheld":               "401  200  404  200  200  200  404  200  404  404  404  404  404",
        "jyj.draft":                  "401  404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.review":                 "401  404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.approval":               "401  404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.published":              "401  404  404  404  404  404  404  200  404  404  200  200  404",
        "jyj.withheld":               "401  404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "api:request_detail": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "mzj.check":                  "401  404  404  404  404  404  404  200  200  404  404  404  404",
        "mzj.req":                    "401  200  404  200  200  200  404  200  200  404  404  404  404",
        "jyj.req":                    "401  404  404  404  404  404  404  200  404  404  200  200  404",
    },
    "api:feed": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "401  200  200  200  200  200  200  200  200  200  200  200  200",
    },
    r"api/^[\s\S]*$": {
        # object                       anon drft coll revw shd  uhd  dapp supv offc secr outs ohd  root
        "-":                          "404  404  404  404  404  404  404  404  404  404  404  404  404",
    },
}
# fmt: on

# --- the admin -----------------------------------------------------------------------------------
# The rule for every admin pattern, enumerated from the URL configuration whatever it is: anonymous
# visitors and users who are not staff are sent to the admin's login page before any object is
# looked up. The rows below state the admin concretely, the rule's columns included, for the pages
# that are not under it (the login page) and for a representative set: every model's list and
# "add" page, and the change, history and delete pages of the records a mistake would matter most
# for. Read-only admins answer 403 to "add" even for a superuser.
ADMIN_RULE = {"anon": ADMIN, "drft": ADMIN, "outs": ADMIN}

# fmt: off
ADMIN_PAGES = {
    #                                                      anon drft outs staff root
    "admin:index":                                  {"-": "A    A    A    200  200"},
    "admin:login":                                  {"-": "200  200  200  302  302"},
    "admin:logout":                                 {"-": "302  302  302  405  405"},
    "admin:password_change":                        {"-": "A    A    A    200  200"},
    "admin:app_list":                               {"@workflow": "A    A    A    404  200"},
    "admin:auth_group_changelist":                  {"-": "A    A    A    403  200"},
    "admin:auth_group_add":                         {"-": "A    A    A    403  200"},
    "admin:auth_user_changelist":                   {"-": "A    A    A    403  200"},
    "admin:auth_user_add":                          {"-": "A    A    A    403  200"},
    "admin:authtoken_tokenproxy_changelist":        {"-": "A    A    A    403  200"},
    "admin:authtoken_tokenproxy_add":               {"-": "A    A    A    403  200"},
    "admin:viewflow_process_changelist":            {"-": "A    A    A    403  200"},
    "admin:viewflow_process_add":                   {"-": "A    A    A    403  403"},
    "admin:viewflow_task_changelist":               {"-": "A    A    A    403  200"},
    "admin:viewflow_task_add":                      {"-": "A    A    A    403  403"},
    "admin:audit_auditentry_changelist":            {"-": "A    A    A    403  200"},
    "admin:audit_auditentry_add":                   {"-": "A    A    A    403  403"},
    "admin:workflow_district_changelist":           {"-": "A    A    A    403  200"},
    "admin:workflow_district_add":                  {"-": "A    A    A    403  200"},
    "admin:workflow_unit_changelist":               {"-": "A    A    A    403  200"},
    "admin:workflow_unit_add":                      {"-": "A    A    A    403  200"},
    "admin:workflow_section_changelist":            {"-": "A    A    A    403  200"},
    "admin:workflow_section_add":                   {"-": "A    A    A    403  200"},
    "admin:workflow_position_changelist":           {"-": "A    A    A    403  200"},
    "admin:workflow_position_add":                  {"-": "A    A    A    403  200"},
    "admin:workflow_category_changelist":           {"-": "A    A    A    403  200"},
    "admin:workflow_category_add":                  {"-": "A    A    A    403  200"},
    "admin:workflow_legalground_changelist":        {"-": "A    A    A    403  200"},
    "admin:workflow_legalground_add":               {"-": "A    A    A    403  200"},
    "admin:workflow_item_changelist":               {"-": "A    A    A    403  200"},
    "admin:workflow_item_add":                      {"-": "A    A    A    403  403"},
    "admin:workflow_calendaryear_changelist":       {"-": "A    A    A    403  200"},
    "admin:workflow_calendaryear_add":              {"-": "A    A    A    403  200"},
    "admin:workflow_lettertemplate_changelist":     {"-": "A    A    A    403  200"},
    "admin:workflow_lettertemplate_add":            {"-": "A    A    A    403  200"},
    "admin:review_reviewdecision_changelist":       {"-": "A    A    A    403  200"},
    "admin:review_reviewdecision_add":              {"-": "A    A    A    403  403"},
    "admin:review_referral_changelist":             {"-": "A    A    A    403  200"},
    "admin:review_referral_add":                    {"-": "A    A    A    403  403"},
    "admin:review_negativelistterm_changelist":     {"-": "A    A    A    403  200"},
    "admin:review_negativelistterm_add":            {"-": "A    A    A    403  200"},
    "admin:review_scan_changelist":                 {"-": "A    A    A    403  200"},
    "admin:review_scan_add":                        {"-": "A    A    A    403  403"},
    "admin:review_scanfinding_changelist":          {"-": "A    A    A    403  200"},
    "admin:review_scanfinding_add":                 {"-": "A    A    A    403  403"},
    "admin:review_redaction_changelist":            {"-": "A    A    A    403  200"},
    "admin:review_redaction_add":                   {"-": "A    A    A    403  403"},
    "admin:review_countersignunit_changelist":      {"-": "A    A    A    403  200"},
    "admin:review_countersignunit_add":             {"-": "A    A    A    403  403"},
    "admin:review_countersign_changelist":          {"-": "A    A    A    403  200"},
    "admin:review_countersign_add":                 {"-": "A    A    A    403  403"},
    "admin:notifications_deadlinealert_changelist": {"-": "A    A    A    403  200"},
    "admin:notifications_deadlinealert_add":        {"-": "A    A    A    403  403"},
    "admin:notifications_notification_changelist":  {"-": "A    A    A    403  200"},
    "admin:notifications_notification_add":         {"-": "A    A    A    403  403"},
    "admin:notifications_delivery_changelist":      {"-": "A    A    A    403  200"},
    "admin:notifications_delivery_add":             {"-": "A    A    A    403  403"},
    "admin:notifications_digest_changelist":        {"-": "A    A    A    403  200"},
    "admin:notifications_digest_add":               {"-": "A    A    A    403  403"},
    "admin:notifications_outboxmessage_changelist": {"-": "A    A    A    403  200"},
    "admin:notifications_outboxmessage_add":        {"-": "A    A    A    403  403"},
    "admin:notifications_taskfailure_changelist":   {"-": "A    A    A    403  200"},
    "admin:notifications_taskfailure_add":          {"-": "A    A    A    403  403"},
    "admin:notifications_preference_changelist":    {"-": "A    A    A    403  200"},
    "admin:notifications_preference_add":           {"-": "A    A    A    403  200"},
    # Messages to applicants: seeded one per event, edited (audited), never added; what was sent
    # is read-only.
    "admin:notifications_applicanttemplate_changelist": {"-": "A    A    A    403  200"},
    "admin:notifications_applicanttemplate_add":    {"-": "A    A    A    403  403"},
    "admin:notifications_applicantnotice_changelist": {"-": "A    A    A    403  200"},
    "admin:notifications_applicantnotice_add":      {"-": "A    A    A    403  403"},
    "admin:portal_guide_changelist":                {"-": "A    A    A    403  200"},
    "admin:portal_guide_add":                       {"-": "A    A    A    403  200"},
    "admin:reports_annualreport_changelist":        {"-": "A    A    A    403  200"},
    "admin:reports_annualreport_add":               {"-": "A    A    A    403  403"},
    "admin:reports_appeal_changelist":              {"-": "A    A    A    403  200"},
    "admin:reports_appeal_add":                     {"-": "A    A    A    403  200"},
    "admin:workflow_item_change":                   {"mzj.published": "A    A    A    403  200",
                                                     "mzj.draft": "A    A    A    403  200"},
    "admin:workflow_item_history":                  {"mzj.draft": "A    A    A    403  200"},
    "admin:workflow_item_delete":                   {"mzj.draft": "A    A    A    403  403"},
    "admin:auth_user_change":                       {"user.outsider": "A    A    A    403  200"},
    "admin:viewflow_task_change":                   {"mzj.review.task": "A    A    A    403  200"},
    "admin:viewflow_process_change":                {"mzj.review.process": "A    A    A    403  200"},
    "admin:review_redaction_change":                {"mzj.review.redaction": "A    A    A    403  200"},
    "admin:review_countersign_change":              {"mzj.countersign.countersign": "A    A    A    403  200"},
    "admin:notifications_notification_change":      {"mzj.req.notification": "A    A    A    403  200"},
    "admin:reports_annualreport_change":            {"mzj.report": "A    A    A    403  200"},
    "admin:reports_appeal_change":                  {"mzj.appeal": "A    A    A    403  200"},
}
# fmt: on

# --- state-changing requests -----------------------------------------------------------------
# POSTed by anonymous visitors, outsiders and colleagues in the wrong role, never by the one who
# may (that is tested beside each feature). Whatever the answer, nothing may change: the test
# compares the database before and after each request. The payloads are valid, so that a missing
# check would show as a change. A 302 here is a refusal with a message; a 200 redisplays a form
# with its error.
# fmt: off
POST = {
    "workflow:claim_next":             {"-":                     "anon=L coll=302 root=302"},
    "workflow:item_create":            {"-":                     "anon=L revw=404 outs=200"},
    "workflow:item_edit":              {"mzj.draft":             "anon=L coll=404 revw=404 shd=404 outs=404"},
    "workflow:item_submit":            {"mzj.draft":             "anon=L coll=404 shd=302 outs=404"},
    "workflow:attachment_upload":      {"mzj.draft":             "anon=L shd=302 outs=404 root=404"},
    "workflow:task_detail":            {"mzj.approval":          "anon=L revw=302 shd=302 outs=404",
                                        "mzj.req":               "anon=L offc=302 outs=404"},
    "workflow:task_claim":             {"mzj.approval":          "anon=L shd=302 revw=302 outs=404",
                                        "jyj.approval":          "anon=L uhd=404 dapp=404"},
    "workflow:task_release":           {"mzj.review":            "anon=L drft=302 uhd=302 outs=404"},
    "workflow:request_create":         {"-":                     "anon=L drft=404 outs=404"},
    "workflow:consultation_open":      {"mzj.req":               "anon=L revw=302 outs=404"},
    "workflow:consultation_close":     {"mzj.req":               "anon=L revw=302 outs=404"},
    "workflow:disclosure_notice":      {"mzj.req":               "anon=L revw=302 outs=404"},
    "workflow:extension_request":      {"jyj.req":               "anon=L drft=404 offc=404 ohd=302"},
    "workflow:extension_decide":       {"mzj.req":               "anon=L offc=302 drft=302 outs=404"},
    "workflow:request_convert":        {"mzj.req":               "anon=L revw=302 outs=404"},
    "workflow:request_reasons":        {"mzj.req":               "anon=L revw=302 outs=404"},
    "workflow:request_fee":            {"mzj.req":               "anon=L revw=302 outs=404"},
    # Only the drafter before submission and the reviewer holding the review rescan: a reader of
    # the item is refused with a message (302), nothing scanned.
    "review:item_rescan":              {"jyj.draft":             "anon=L drft=404 revw=404 uhd=404",
                                        "mzj.draft":             "coll=404 revw=302 shd=302 uhd=302 supv=302",
                                        "mzj.review":            "drft=302 shd=302 uhd=302 supv=302"},
    "review:finding_redact":           {"mzj.review":            "anon=L drft=302 shd=302 outs=404",
                                        "mzj.review|jyj.review": "revw=404"},
    "review:finding_dismiss":          {"mzj.review":            "anon=L drft=302 shd=302 outs=404",
                                        "mzj.review|jyj.review": "revw=404"},
    "review:findings_redact_kind":     {"mzj.review":            "anon=L drft=302 shd=302 outs=404"},
    "review:passage_redact":           {"mzj.review":            "anon=L drft=302 uhd=302 outs=404"},
    # Only the reviewer holding the review confirms a file was read by eye or replaces it.
    "review:attachment_confirm_checked": {"mzj.review":          "anon=L drft=302 shd=302 outs=404",
                                        "mzj.review|jyj.review": "revw=404"},
    "review:attachment_replace":       {"mzj.review":            "anon=L drft=302 shd=302 outs=404",
                                        "mzj.review|jyj.review": "revw=404"},
    "review:redaction_withdraw":       {"mzj.review":            "anon=L drft=302 outs=404"},
    "review:countersign_unit_add":     {"mzj.draft":             "anon=L shd=302 revw=302 outs=404"},
    "review:countersign_unit_remove":  {"mzj.draft":             "anon=L shd=302 revw=302 outs=404",
                                        "mzj.countersign":       "anon=L drft=302 ohd=302 outs=404"},
    "review:countersign_detail":       {"mzj.countersign":       "anon=L uhd=200 revw=200 outs=404"},
    "notifications:open":              {"mzj.req":               "anon=L coll=404 outs=404 root=404"},
    "notifications:read":              {"mzj.req":               "anon=L coll=404 outs=404 root=404"},
    "notifications:read_all":          {"-":                     "anon=L root=302"},
    "notifications:preferences":       {"-":                     "anon=L"},
    "password_change":                 {"-":                     "anon=L"},
    "reports:report_create":           {"-":                     "anon=L uhd=200 outs=200 secr=404"},
    "reports:report_edit":             {"mzj.report":            "anon=L uhd=404 supv=404 outs=404"},
    "reports:report_submit":           {"mzj.report":            "anon=L uhd=404 outs=404"},
    "reports:appeal_list":             {"mzj.unit":              "anon=L uhd=404 outs=404"},
    "reports:appeal_edit":             {"mzj.appeal":            "anon=L uhd=404 outs=404"},
    "api:items":                       {"-":                     "anon=401 outs=405"},
    "api:item_detail":                 {"mzj.draft":             "anon=401 drft=405 outs=405"},
    "api:request_detail":              {"mzj.req":               "anon=401 offc=405 outs=405"},
    "admin:workflow_position_add":     {"-":                     "anon=A drft=A staff=403"},
    "admin:auth_user_change":          {"user.outsider":         "anon=A outs=A staff=403"},
    "admin:workflow_item_change":      {"mzj.published":         "anon=A drft=A staff=403"},
}
# fmt: on

# Addresses that take a POST but are not in POST, and why. A POST-only address (405 to a GET)
# missing from both fails the test.
POST_EXEMPT = {
    "login": "signing in is guarded by the form and django-axes, not by a role",
    "logout": "ends one's own session",
    "set_language": "sets one's own language",
    "public:apply": "anyone may submit a disclosure request (Art. 29)",
    "api:requests": "anyone may submit a disclosure request through the API (Art. 29)",
}
