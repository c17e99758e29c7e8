"""Settings shared by every environment.

Everything that differs between machines comes from environment variables; the
`dev`, `test` and `production` modules only adjust what this file sets.
"""

import os
from pathlib import Path

import dj_database_url

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "institutes",
    "curriculum",
    "students",
    "training",
    "certificates",
    "notifications",
    "contact",
    "portal",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "institutes.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "institutes.middleware.NoStoreForSignedInMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so a locked-out login is answered before any view runs.
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000;"
            ),
        }
    )
    # Connections are kept (DB_CONN_MAX_AGE) as for PostgreSQL: opening one runs the
    # pragmas above, a large part of a rendered page's time.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nursing",
        }
    }
else:
    # Without Redis the cache still has to be shared by every process on the machine
    # (gunicorn workers, the task worker, scheduled publishing): publishing in one of
    # them must invalidate the public pages the others serve, and rate limits must
    # count every worker's requests. A per-process (local memory) cache would do
    # neither. Files under var/ need no set-up and cost no database query.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": "nursing",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # Wagtail writes a rendition to its cache each time it is used (a file write
        # per image per page render with a file cache); renditions never change
        # under a key, so each process keeps its own.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# Background work: the database queue is the zero-set-up default, RQ on Redis the
# scale-out path (TASKS_BACKEND=rq and REDIS_URL).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication and sessions -------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "institutes.access.RoleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "institutes.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A working day of inactivity ends the session; every request slides the window.
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "wagtailadmin_login"

# django-axes: five failures for one username or one address lock that login for 30 min.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "institutes/lockout.html"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Reverse proxies (load balancer, CDN) in front of the app that append to
# X-Forwarded-For; 0 = none, the client is REMOTE_ADDR. See institutes.client_address.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", os.environ.get("PROXY_COUNT", "0"))
)
AXES_CLIENT_IP_CALLABLE = "institutes.client_address.client_ip"

# --- Languages -------------------------------------------------------------------
LANGUAGE_CODE = "ar"
# Arabic screens print Western digits: "65.3", not Django's "65,3" (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Cairo")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAIL_LOCALIZE_DEFAULT_LANGUAGE = "ar"

# --- People ----------------------------------------------------------------------
# The country whose citizens are "nationals" on the staff dashboards, and the identity
# document forms and imports offer first (an Omani deployment: "OM" and
# "om_civil_number"). See docs/people.md.
IDENTITY_DEFAULT_COUNTRY = os.environ.get("IDENTITY_DEFAULT_COUNTRY", "EG")
IDENTITY_DEFAULT_DOCUMENT_TYPE = os.environ.get(
    "IDENTITY_DEFAULT_DOCUMENT_TYPE", "eg_national_id"
)

# --- Static and media ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [path for path in [BASE_DIR / "static"] if path.is_dir()]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attendance rosters post one field per person and column: 1,500 people fit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@nursing.example")

# --- Notifications (docs/contact-centre.md) ---------------------------------------
# SMS: notifications.sms.ConsoleBackend (development), LocmemBackend (tests) or
# HttpBackend (production, configured by the SMS_HTTP_* variables).
NOTIFICATIONS_SMS_BACKEND = os.environ.get(
    "NOTIFICATIONS_SMS_BACKEND", "notifications.sms.ConsoleBackend"
)
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_SENDER = os.environ.get("SMS_HTTP_SENDER", "")
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "5"))

# --- Contact centre ----------------------------------------------------------------
# Target days per kind when a request has no topic (a topic's own target wins).
CONTACT_TARGET_DAYS = {"complaint": 7, "report": 3, "inquiry": 3, "suggestion": 14}
CONTACT_ESCALATE_AUTHORITY_AFTER_DAYS = int(
    os.environ.get("CONTACT_ESCALATE_AUTHORITY_AFTER_DAYS", "2")
)
CONTACT_REOPEN_DAYS = int(os.environ.get("CONTACT_REOPEN_DAYS", "14"))
CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "730"))
# The offices' working week: targets and escalation count these hours only, skipping
# the public holidays kept under Contact centre → Public holidays. Egypt and Oman both
# work Sunday to Thursday (docs/contact-centre.md, "Deadlines in working time").
CONTACT_WORKING_WEEK = {
    "days": ["sun", "mon", "tue", "wed", "thu"],
    "opens": os.environ.get("CONTACT_WORKING_OPENS", "08:00"),
    "closes": os.environ.get("CONTACT_WORKING_CLOSES", "15:00"),
}

# --- Wagtail ---------------------------------------------------------------------
# In the admin language (Wagtail prints it on the dashboard and the sign-in page).
WAGTAIL_SITE_NAME = _("Technical Nursing Institutes")
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatar look-ups on a third-party service: nothing leaves the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# --- Security headers (tightened further in production) --------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The public site runs under an enforced policy. Wagtail's admin uses inline styles
# and scripts, so there the same policy is sent report-only.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": [
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
    # Violations are POSTed here and logged on `security.csp` (institutes.views).
    "report-uri": ["/csp-report/"],
}
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": _CSP_DIRECTIVES,
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
CSP_REPORT_RATE = (60, 600)  # reports per client address per seconds
CSP_REPORT_MAX_BYTES = 16 * 1024

# --- Logging ---------------------------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "security.auth": {
            "handlers": ["console"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
        "security.csp": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
        },
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {
            "handlers": ["console"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}

# --- Project settings ------------------------------------------------------------
# Demo accounts get this password; production refuses to load demo accounts at all.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026!")
DEMO_DATA_ALLOWED = True
DJANGO_TABLES2_TEMPLATE = "institutes/tables/wagtail_table.html"
DJANGO_TABLES2_PAGE_RANGE = 6

# --- certificates ---
# Issued PDFs are private (served by the scoped download view, never under MEDIA_URL).
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL)
CERTIFICATES_FILES_ROOT = Path(
    os.environ.get("CERTIFICATES_FILES_ROOT", BASE_DIR / "var" / "documents")
)
CERTIFICATES_STORAGE = os.environ.get("CERTIFICATES_STORAGE", "")  # a STORAGES key

# Imports: an uploaded file waits here, never under MEDIA, between preview and confirm
# (institutes.tabular_import.stash). With several app servers, set IMPORTS_STORAGE to a
# STORAGES key they all share (e.g. the private bucket of the documents).
IMPORTS_UPLOAD_ROOT = Path(
    os.environ.get("IMPORTS_UPLOAD_ROOT", BASE_DIR / "var" / "import-uploads")
)
IMPORTS_STORAGE = os.environ.get("IMPORTS_STORAGE", "")  # a STORAGES key
CERTIFICATES_RENDER_TIME_LIMIT = float(
    os.environ.get("CERTIFICATES_RENDER_TIME_LIMIT", "30")
)
# Worker processes for bulk runs (0 = one per CPU core).
CERTIFICATES_RENDER_PROCESSES = int(
    os.environ.get("CERTIFICATES_RENDER_PROCESSES", "0")
)
CERTIFICATES_VERIFY_RATE = (30, 600)  # look-ups per client address per seconds

# --- portal (self-service, /ar/my/; docs/portal.md) ---
PORTAL_CODE_MINUTES = int(os.environ.get("PORTAL_CODE_MINUTES", "10"))
PORTAL_CODE_MAX_ATTEMPTS = 5  # wrong tries before a code is locked
PORTAL_CODES_PER_PERSON_PER_HOUR = 3
PORTAL_SIGN_IN_RATE = (10, 15 * 60)  # code requests per client address per seconds
PORTAL_IDLE_MINUTES = int(os.environ.get("PORTAL_IDLE_MINUTES", "30"))

# --- cms (public site) ---
# Cache hits for anonymous visitors are answered right after the security and static
# file middlewares, before sessions and URL routing (see cms.cache).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "cms.cache.AnonymousPageCacheMiddleware",
)
CMS_PAGE_CACHE_SECONDS = int(os.environ.get("CMS_PAGE_CACHE_SECONDS", "600"))

# --- training (placements) ---
# A clinical supervisor sees a student placed in their ward from the placement's first
# day until this many days after its last, so the last days' hours can still be
# approved (see training.placements.supervision and docs/architecture.md).
PLACEMENT_SUPERVISION_GRACE_DAYS = int(
    os.environ.get("PLACEMENT_SUPERVISION_GRACE_DAYS", "14")
)
