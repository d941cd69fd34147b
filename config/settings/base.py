"""Settings shared by every environment. Values that differ per machine come from the environment."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "workflow",
    "review",
    "notifications",
    "supervision",
    "portal",
    "reports",
    "api",
    "security",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Anonymous reads of the public pages may go to the read replica (config.db_router).
    "config.db_router.PublicReadsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "workflow.context_processors.navigation",
                "notifications.context_processors.unread",
                "supervision.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{env('SQLITE_PATH', default=str(BASE_DIR / 'db.sqlite3'))}",
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A streaming replica of "default", read by anonymous visitors of the public portal, the public
# API and the CMS feed; staff, the workflow and every write use "default" (config.db_router,
# docs/scaling.md "Read replicas"). Unset, or with the embedded SQLite: everything uses "default".
if env("DATABASE_REPLICA_URL", default="") and "sqlite" not in DATABASES["default"]["ENGINE"]:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username from an address before a password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Passwords of a government network (GB/T 22239-2019 8.1.4.1 a: "口令应有复杂度要求并定期更换"):
# long, of at least three kinds of character, unlike the user's name and not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "security.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)},
    },
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:inbox"
LOGOUT_REDIRECT_URL = "login"
# guardian: no anonymous user row; outsiders get nothing.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Our catalogue first, then translations of third-party apps whose zh_Hans catalogues are empty.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.ServedAppDirectoriesFinder",  # every app's but viewflow's (never served)
]
# Uploaded attachments are never served from a public URL: downloads go through a
# permission-checked view, so MEDIA_ROOT sits outside STATIC_ROOT and has no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Reading attachments' text for the confidentiality scanner (review/scanner/read.py). A .docx or
# .xlsx declaring more unpacked bytes than this is refused before it is opened (a "zip bomb");
# the text of an upload is read in a child process within the timeout and the memory (MB beyond
# the web or worker process's own); pictures and scans are read by OCR on the worker.
EXTRACTION_MAX_UNPACKED_BYTES = env.int("EXTRACTION_MAX_UNPACKED_BYTES", default=20 * 1024 * 1024)
EXTRACTION_TIMEOUT_SECONDS = env.float("EXTRACTION_TIMEOUT_SECONDS", default=5.0)
EXTRACTION_MEMORY_MB = env.int("EXTRACTION_MEMORY_MB", default=512)
OCR_TIMEOUT_SECONDS = env.int("OCR_TIMEOUT_SECONDS", default=120)
OCR_TESSERACT_COMMAND = env("OCR_TESSERACT_COMMAND", default="tesseract")

# 索引号 format; fields: unit_code, year, serial. Serial is gap-free per unit and year.
# Disclosure requests: attachments to the public form, and when an applicant's request count in
# 12 months flags a request as possibly excessive (Regulation Art. 35) for the officer to judge.
REQUEST_ATTACHMENT_MAX_BYTES = env.int("REQUEST_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
REQUEST_EXCESSIVE_PER_YEAR = env.int("REQUEST_EXCESSIVE_PER_YEAR", default=10)
# Art. 35: the applicant's time to state the reasons for an excessive request, in working days
# from the date of the letter (services.reasons). The Regulation fixes no time. Working days, not
# calendar days, because every period the Regulation gives for a written answer is counted in
# working days (Art. 30's 7, Arts. 32 and 34's 15, Art. 33's 20), and a period that could run over
# a Golden Week would leave an applicant almost no time; 15 is the time Arts. 32 and 34 give a
# third party or another agency to answer a written question. The letter states the date.
REQUEST_REASONS_WORKDAYS = env.int("REQUEST_REASONS_WORKDAYS", default=15)
# Art. 42 and 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号): the scale of the information
# processing fee (workflow.services.fees). Both methods are "超额累进" (第三条): each unit is charged
# at the rate of the band it falls in. "bands" are (up to and including this many units, yuan per
# unit); beyond the last band:
# - per request (按件计收, 第四条): the applicant's requests to the agency in one natural month:
#   1-10 free, 11-30 at 100 yuan, from the 31st every further 10 requests one band higher, each
#   band 100 yuan more a request (31-40 at 200, 41-50 at 300, ...);
# - per page (按量计收, 第五条): the pages of one request: 1-30 free, 31-100 at 10 yuan, 101-200 at
#   20 yuan, from the 201st at 40 yuan.
# The default is the notice's own scale; a province may not raise it, so override only to follow
# a later national notice (INFORMATION_FEE_SCALE as JSON in the environment).
INFORMATION_FEE_SCALE = env.json(
    "INFORMATION_FEE_SCALE",
    default={
        "per_request": {
            "bands": [[10, 0], [30, 100]],
            "then_every": 10,
            "then_increase": 100,
        },
        "per_page": {"bands": [[30, 0], [100, 10], [200, 20]], "then_rate": 40},
    },
)
# How the applicant pays, as the fee notice says it (缴费方式, 国办函〔2020〕109号); the handler may
# write another for a notice. Each office puts its own non-tax payment channel here.
INFORMATION_FEE_PAYMENT = env.str(
    "INFORMATION_FEE_PAYMENT",
    default="通过非税收入缴费渠道缴纳，缴费时请注明申请编号",
)
# Art. 44: propose making information proactive once this many applicants asked for it.
REQUEST_CONVERSION_APPLICANTS = env.int("REQUEST_CONVERSION_APPLICANTS", default=2)
# Art. 31(三): an online or faxed request is received on the day both sides confirm it, and the law
# sets no day for that. One working day after arrival lets the office reach the applicant in office
# hours (a form sent at night or on a Sunday) without leaving the start of the clock to the
# office's convenience; the confirmation is reminded and escalated like any deadline. An ordinary
# letter must be confirmed on the day it arrives (Art. 31(二)): that one is not a setting.
RECEIPT_CONFIRMATION_WORKDAYS = env.int("RECEIPT_CONFIRMATION_WORKDAYS", default=1)
# Arts. 32, 34: the consulted party's 15 working days run from its receipt of the letter. Until the
# receipt date is recorded, the pause is bounded by sending date + this allowance for delivery + 15
# working days, so that a consultation never pauses a request without end.
CONSULTATION_DELIVERY_ALLOWANCE_DAYS = env.int("CONSULTATION_DELIVERY_ALLOWANCE_DAYS", default=5)
# Art. 26: the earliest day an item's information may be formed or changed (ISO date); earlier
# dates are refused as mistyped (workflow.services.dates). The Regulation took effect 2008-05-01.
ITEM_FORMED_ON_FLOOR = env("ITEM_FORMED_ON_FLOOR", default="2008-05-01")
INDEX_NUMBER_FORMAT = env("INDEX_NUMBER_FORMAT", default="{unit_code}/{year}-{serial:05d}")
# Document numbers (文号) of letters, per unit and year, gap-free (workflow.services.letters).
# GB/T 9704-2012 7.2.5: 机关代字〔年份〕序号 with no 第 and no leading zeros, e.g. 示民公开〔2026〕12号;
# offices that write 第12号 set "{prefix}〔{year}〕第{serial}号". Also {unit_code}.
LETTER_NUMBER_FORMAT = env("LETTER_NUMBER_FORMAT", default="{prefix}〔{year}〕{serial}号")
# TrueType CJK fonts for letters in PDF, the first found is embedded (workflow.letters.pdf_font):
# "path" or "path#face" in a collection. Debian: fonts-arphic-uming (a 宋体/明体 face).
LETTER_PDF_FONTS = env.list(
    "LETTER_PDF_FONTS",
    default=[
        "/usr/share/fonts/truetype/arphic/uming.ttc#UMingCN",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ],
)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when Redis is away: the web request records the message in the outbox instead.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged message (its worker died) is handed out again after this many seconds.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0),
    # How often a worker looks for such messages (roughly interval x throttle seconds).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "fire-viewflow-timers": {
        "task": "notifications.tasks.fire_due_timers",
        "schedule": timedelta(seconds=env.int("TIMER_SWEEP_SECONDS", default=60)),
    },
    "sweep-deadlines": {
        "task": "notifications.tasks.sweep_deadlines",
        "schedule": timedelta(seconds=env.int("DEADLINE_SWEEP_SECONDS", default=300)),
    },
    "flush-outbox": {
        "task": "notifications.tasks.flush_outbox",
        "schedule": timedelta(seconds=env.int("OUTBOX_FLUSH_SECONDS", default=60)),
    },
    # Messages held for working hours (staff SMS) go out when their time comes.
    "send-scheduled": {
        "task": "notifications.tasks.send_scheduled",
        "schedule": timedelta(seconds=env.int("SCHEDULED_SEND_SECONDS", default=60)),
    },
    "send-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(
            hour=env.int("NOTIFICATION_DIGEST_HOUR", default=8),
            minute=env.int("NOTIFICATION_DIGEST_MINUTE", default=0),
        ),
    },
}

# Deadlines: reminders at these working days left (0 = on the due day), then one escalation
# rung (holder -> section head -> unit head -> district office and supervisors) per
# ESCALATION_STEP_WORKDAYS working days overdue. At the rungs listed in
# ESCALATION_REASSIGN_RUNGS the overdue task is also taken from its holder.
# Confidentiality review. A referral's ruling is due in this many working days (State Secrets
# implementing regulation Art. 25 ¶2: the secrecy bureau decides within 10 working days); a named
# unit's countersignature (会签) is due in COUNTERSIGN_DAYS working days (local practice).
REFERRAL_RULING_DAYS = env.int("REFERRAL_RULING_DAYS", default=10)
COUNTERSIGN_DAYS = env.int("COUNTERSIGN_DAYS", default=5)

REMINDER_THRESHOLDS = [
    int(n) for n in env.list("REMINDER_THRESHOLDS", default=["5", "3", "1", "0"])
]
ESCALATION_STEP_WORKDAYS = env.int("ESCALATION_STEP_WORKDAYS", default=2)
ESCALATION_REASSIGN_RUNGS = env.list("ESCALATION_REASSIGN_RUNGS", default=[])

# SMS (notifications.sms): a gateway class with `send(phone=, text=, ref=)`; empty = no SMS
# channel. The console gateway prints each message (make run); a real one wraps the operator's
# SMS platform. Staff SMS waits outside working time: STAFF_SMS_QUIET_HOURS each day plus every
# non-working day of the calendar, until the next working morning. Applicants get SMS only with
# APPLICANT_SMS on and their consent on the request, never in APPLICANT_SMS_QUIET_HOURS.
SMS_GATEWAY = env("SMS_GATEWAY", default="")
STAFF_SMS_QUIET_HOURS = env("STAFF_SMS_QUIET_HOURS", default="18:00-08:30")
APPLICANT_SMS = env.bool("APPLICANT_SMS", default=False)
APPLICANT_SMS_QUIET_HOURS = env("APPLICANT_SMS_QUIET_HOURS", default="21:00-08:00")

# Notifications: in-app always; outside channels by code -> class (notifications.channels).
NOTIFICATION_CHANNELS = env.dict(
    "NOTIFICATION_CHANNELS",
    default={
        "email": "notifications.channels.EmailChannel",
        **({"sms": "notifications.channels.SmsChannel"} if SMS_GATEWAY else {}),
    },
)
NOTIFICATION_DEFAULT_MODES = env.dict("NOTIFICATION_DEFAULT_MODES", default={"email": "immediate"})
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=10)
NOTIFICATION_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATION_REQUEUE_AFTER_SECONDS", default=900)
NOTIFICATION_EMAIL_SUBJECT_PREFIX = env(
    "NOTIFICATION_EMAIL_SUBJECT_PREFIX", default="[政府信息公开] "
)
OUTBOX_FLUSH_MIN_AGE_SECONDS = env.int("OUTBOX_FLUSH_MIN_AGE_SECONDS", default=30)
OUTBOX_KEEP_SECONDS = env.int("OUTBOX_KEEP_SECONDS", default=24 * 3600)
# Links in e-mails point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# --- Sessions, cookies and security headers --------------------------------------------------------
# A workbench session ends after a working day without use, and when the browser closes: shared
# office computers are common.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "disclosure_session"
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not read it at all.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp): our pages have no inline script, inline style or
# third-party resource, so nothing but our own static files may run or style a page. An injected
# <script> or onclick= that slipped past the escaping would not execute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Where the client's address is read from: the socket, or X-Forwarded-For when this many trusted
# reverse proxies stand in front of gunicorn (each appends one address). Login throttling and the
# API's throttles both read it through security.client_ip; too high a value lets a client choose
# its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("API_NUM_PROXIES", default=0))

# --- Login throttling (django-axes) -----------------------------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is locked
# for AXES_COOLOFF_MINUTES. Per pair, not per address: a whole bureau often shares one NAT address,
# and one colleague's typos must not lock the others out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_CLIENT_IP_CALLABLE = "security.client_ip.client_ip"
# Keep failures (the security officer's evidence) but not a row for every successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "old_password", "new_password1"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every start and every failed login at INFO; lockouts are WARNING.
    "loggers": {"axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")}},
}

# --- Anonymous visitors of the public portal (security.limits) -----------------------------------
# So that visitors cannot take the staff's capacity: a rate per address for the catalogue's pages
# and searches, and at most PUBLIC_SEARCH_CONCURRENCY public searches at once on the whole site
# (keep it below the number of web workers). Counted in the cache, like the API's throttles.
PUBLIC_RATE_LIST = env("PUBLIC_RATE_LIST", default="300/minute")
PUBLIC_RATE_SEARCH = env("PUBLIC_RATE_SEARCH", default="30/minute")
PUBLIC_SEARCH_CONCURRENCY = env.int("PUBLIC_SEARCH_CONCURRENCY", default=4)
# A search slot frees itself after this long even if its process died mid-search.
PUBLIC_SEARCH_SLOT_SECONDS = env.int("PUBLIC_SEARCH_SLOT_SECONDS", default=30)
# The public request form (workflow.views.public): submissions per address, like the API's
# API_THROTTLE_REQUEST_SUBMIT, and a CAPTCHA drawn on this server (security.captcha). Its code
# is good for one try and CAPTCHA_MAX_AGE_SECONDS; pictures are limited per address too.
REQUEST_FORM_RATE = env("REQUEST_FORM_RATE", default="10/hour")
REQUEST_FORM_CAPTCHA = env.bool("REQUEST_FORM_CAPTCHA", default=True)
CAPTCHA_LENGTH = env.int("CAPTCHA_LENGTH", default=4)
CAPTCHA_MAX_AGE_SECONDS = env.int("CAPTCHA_MAX_AGE_SECONDS", default=20 * 60)
CAPTCHA_IMAGE_RATE = env("CAPTCHA_IMAGE_RATE", default="60/minute")

# --- The catalogue's search (workflow.search, portal.selectors) ---------------------------------
# Counts of a search are exact up to this many entries; above it the page says "more than" (1万+)
# and its pages reach the first this many. Counting reads at most this many matches.
CATALOGUE_COUNT_CAP = env.int("CATALOGUE_COUNT_CAP", default=10_000)
# No statement of a public list or search runs longer (PostgreSQL's statement_timeout, in the
# transaction of the page's reads): the visitor is asked to narrow the search instead.
CATALOGUE_STATEMENT_TIMEOUT_MS = env.int("CATALOGUE_STATEMENT_TIMEOUT_MS", default=2_000)
# PostgreSQL's work_mem for those statements (MB): room for the bitmap of a common word's matches.
CATALOGUE_WORK_MEM_MB = env.int("CATALOGUE_WORK_MEM_MB", default=32)

# --- REST API (api/): DRF + drf-spectacular -------------------------------------------------------
# Throttle counters live in the Django cache: local memory here (one process), Redis in production
# (config.settings.production) so that every gunicorn worker counts against the same budget.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its `WWW-Authenticate: Token` header turns "not logged in" into 401, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=20),
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AnonThrottle",
        "api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        # Submitting a request writes rows and starts a workflow: a hard limit per IP address.
        "request_submit": env("API_THROTTLE_REQUEST_SUBMIT", default="10/hour"),
        # Tracking codes are 8 random characters; a low rate keeps guessing them hopeless.
        "request_status": env("API_THROTTLE_REQUEST_STATUS", default="30/minute"),
    },
}
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
# The feed holds back entries published in the last few seconds: publication transactions can
# commit out of timestamp order, and a cursor already past an entry would never see it.
API_FEED_SETTLE_SECONDS = env.int("API_FEED_SETTLE_SECONDS", default=30)

SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开 API · Government Information Disclosure API",
    "DESCRIPTION": (
        "公开目录（只读、无需登录）、依申请公开的在线提交与进度查询，以及供业务系统和网站内容管理系统"
        "使用的令牌接口。\n\n"
        "The public disclosure catalogue (read-only, anonymous), online disclosure requests "
        "(Regulation Art. 29) and their progress, and token-authenticated endpoints for "
        "integrations and website CMSs. Errors are JSON with a `detail` reason in the user's "
        "language (Chinese by default); authenticate with `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVERS": [{"url": SITE_URL, "description": "政府信息公开平台 · disclosure platform"}],
    "TAGS": [
        {"name": "catalogue", "description": "公开目录 · the disclosure catalogue (Art. 12)"},
        {"name": "requests", "description": "依申请公开 · disclosure requests (Arts. 27-45)"},
        {"name": "items", "description": "政府信息（工作台） · items of the workbench"},
        {"name": "feed", "description": "新发布条目推送 · newly published entries for a CMS"},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "workflow.models.Item.Status",
        "ItemAttributeEnum": "workflow.models.Item.Attribute",
        "ItemScopeEnum": "workflow.models.Item.Scope",
        "RequestStatusEnum": "workflow.models.DisclosureRequest.Status",
        "RequestStageEnum": "workflow.models.DisclosureRequest.Stage",
    },
}

# --- Audit chain (audit/) ---
# Key of the audit log's HMAC hash chain (docs/audit.md). Empty: derived from SECRET_KEY, so
# rotating SECRET_KEY without first pinning the derived value here makes every row sealed before
# the rotation fail `manage.py audit_verify`. Keep it out of the database and its backups.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", default="")
# The sealer chains new audit rows this often, at most AUDIT_SEAL_BATCH rows per transaction.
AUDIT_SEAL_SECONDS = env.int("AUDIT_SEAL_SECONDS", default=60)
AUDIT_SEAL_BATCH = env.int("AUDIT_SEAL_BATCH", default=1000)
CELERY_BEAT_SCHEDULE["seal-audit-chain"] = {
    "task": "audit.tasks.seal_audit_chain",
    "schedule": timedelta(seconds=AUDIT_SEAL_SECONDS),
    # A run queued behind a stopped worker is stale by the next one; don't let them pile up.
    "options": {"expires": AUDIT_SEAL_SECONDS},
}
# --- end of audit chain ---
