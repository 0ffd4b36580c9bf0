"""Settings for budgetoffice.

Everything that differs between a laptop and a server is read from the environment
(DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS); the defaults are safe for development only.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from budgetoffice.env import env_bool, env_list, env_str
from budgetoffice.release import code_digest

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Sessions, CSRF tokens and password-reset links are signed with it: a guessable key forges all three.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value (50+ characters) when DEBUG is off; generate one with "
        "python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "budgetoffice.apps.LoginProtectionConfig",  # django-axes
    "import_export",
    "django_tables2",
    "django_filters",
    # The ledger: master data, the budgets and their parts.
    "accounts",
    "catalog",
    "departments",
    "performance",
    "budgets",
    # Above it: what is derived from budgets, and the pages, imports, exports and workflow over them.
    "disclosure",
    "audit",
    "workflow",
    "importing",
    "exports",
    "entry",
    "pages",
    "demo",
    "bench",
    "django_tasks",
    "budgetoffice.apps.BackgroundTasksConfig",  # django-tasks-db
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "web.middleware.UploadSizeLimitMiddleware",  # before CSRF, which parses the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "web.middleware.FormOnlyRedirectMiddleware",  # after messages, which it uses
    "web.middleware.BusyDatabaseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "budgetoffice.urls"

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
                "workflow.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "budgetoffice.wsgi.application"

_DEFAULT_SQLITE = BASE_DIR / "var" / "db.sqlite3"
_DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_DEFAULT_SQLITE}"),
        # Persistent connections, checked before reuse: a gunicorn worker keeps its connection between requests
        # and reconnects by itself after a PostgreSQL restart or a dropped idle connection.
        conn_max_age=int(env_str("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once too. Every transaction takes the write lock when it
    # begins (BEGIN IMMEDIATE) and waits for it up to SQLITE_BUSY_TIMEOUT seconds: two overlapping writes queue
    # instead of one failing halfway with "database is locked". WAL lets pages be read while a write runs.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(env_str("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),  # what DATABASE_URL's query string asks for wins
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese for what the libraries that ship none show in the admin (django-axes, django-tasks-db).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The figures entry page posts every line of a budget at once (8 fields a row, up to 2000 rows).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Static files are served by WhiteNoise from every app server (no separate web server needed). Without DEBUG they
# are the hashed, compressed copies `manage.py collectstatic` writes to STATIC_ROOT (cached for a year by browsers).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Uploaded and generated files (import previews waiting for confirmation, the year exports, the published
# disclosures) go through Django's default storage only, never a path on disk, so that several app servers and
# workers can share them: the local MEDIA_ROOT (default; one machine, or a shared file system) or an
# S3-compatible bucket (STORAGE_BACKEND=s3). They are served only through permission-checked views, never as /media/.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# An uploaded workbook waits this long for its import to be confirmed (importing.pending; manage.py purge_imports).
PENDING_IMPORT_HOURS = 24
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "filesystem":
    _DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", ""),
            # Any S3-compatible service (MinIO, Ceph, a cloud's object storage): its URL; empty for AWS itself.
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
            "location": env_str("AWS_LOCATION", ""),
            # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3 itself), or an instance role.
            "default_acl": "private",
            "querystring_auth": True,
            # Never overwrite: a new file under a taken name gets another name, as on the file system.
            "file_overwrite": False,
        },
    }
    if not _DEFAULT_STORAGE["OPTIONS"]["bucket_name"]:  # type: ignore[index]
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, got {STORAGE_BACKEND!r}")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# What only a write can change is computed once and kept here (budgets.computed): Redis on a server (REDIS_URL,
# e.g. redis://127.0.0.1:6379/1, shared by all workers), else each process's memory. Keys name what the value was
# computed from, the code's release included, so no setting here can serve a stale table.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
    | {"KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "") or f"bo-{code_digest(BASE_DIR)}", "TIMEOUT": 7 * 24 * 3600}
}

# Background jobs (django-tasks). "immediate" (default): a task runs at once in the process that enqueues it, no
# worker needed; "database": tasks wait in the database (django_tasks_db) for `manage.py db_worker` processes,
# any number of them on any machine that reaches the database.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, got {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# How export jobs run: "queue" (a django-tasks task: on the db_worker processes when TASKS_BACKEND=database),
# "thread" (in a thread of this process, no worker: the embedded default), "inline" (in the request) or "worker"
# (left queued for `manage.py run_export_jobs --loop`); see exports/runner.py.
EXPORT_RUNNER = env_str("EXPORT_RUNNER", "queue" if TASKS_BACKEND == "database" else "thread")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Notifications (退回, 批复, 控制数下达) are also mailed to users who have an address. Development prints mails
# on the console; a server sets EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST etc.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "budgetoffice@localhost")

# --- Security (docs/security.md maps each item to its threat and test) ---------------------------------------
# A session lasts one working day and ends with the browser. (No idle timeout: SESSION_SAVE_EVERY_REQUEST would
# write the session on every request, and an accountant typing figures for hours would lose them on saving.)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # The server (DEBUG=0) gets everything `manage.py check --deploy` asks for.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A TLS proxy that redirects http itself may turn this off (SECURE_SSL_REDIRECT=0).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy, name the header it sets (e.g. HTTP_X_FORWARDED_PROTO). Opt-in only: the proxy
# must overwrite that header, or any client could claim https.
if _ssl_header := env_str("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (_ssl_header, "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy (web.middleware): no inline script or style, nothing from other origins.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# The disclosure documents are self-contained HTML (stored and fingerprinted as published): inline style only.
CSP_INLINE_STYLE_URL_NAMES = ["budget_publication", "public_index", "public_document"]

# Failed-login throttling (django-axes): 5 wrong passwords lock that username for 15 minutes, whatever the IP
# (offices share one NAT address, so locking by IP would lock out a whole department).
AUTHENTICATION_BACKENDS = [
    "budgetoffice.auth_backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，该账号已暂时锁定，请15分钟后再试。"
# axes.W006 wants ip_address among the parameters; locking by username alone cannot be dodged by changing
# User-Agent, cookies or address, and keeps one office's mistypes from locking its colleagues out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Uploaded workbooks: the body is refused from its Content-Length before it is read (web.middleware);
# the 10 MB file limit of official.xlsx_safety plus room for the form's other fields.
MAX_WORKBOOK_UPLOAD_BYTES = 10 * 1024 * 1024 + 64 * 1024

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The PDF renderer (disclosure.document) logs every layout step and font subset at INFO.
    # django-axes announces itself at start-up (so would every manage.py command, `check --deploy` included).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}
