"""Settings read from the environment (see .env.example)."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("CRMWEB_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into instance/ and kept."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_PATH / "secret_key"
    if not key_file.exists():
        INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def load_config() -> dict:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_PATH / 'crmweb.sqlite3'}"
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A pooled connection the database dropped (PostgreSQL restarted) is noticed and replaced
        # before a request uses it, instead of failing that request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "TZ_NAME": os.environ.get("TZ_NAME", "Asia/Shanghai"),
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "crmweb@localhost"),
        # Where people reach the app: links in emails (unsubscribe) are made from it.
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "console"),
        "SMS_SIGN_NAME": os.environ.get("SMS_SIGN_NAME", ""),
        "ALIYUN_ACCESS_KEY_ID": os.environ.get("ALIYUN_ACCESS_KEY_ID", ""),
        "ALIYUN_ACCESS_KEY_SECRET": os.environ.get("ALIYUN_ACCESS_KEY_SECRET", ""),
        "ALIYUN_SMS_ENDPOINT": os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
        "TENCENT_SECRET_ID": os.environ.get("TENCENT_SECRET_ID", ""),
        "TENCENT_SECRET_KEY": os.environ.get("TENCENT_SECRET_KEY", ""),
        "TENCENT_SMS_SDK_APP_ID": os.environ.get("TENCENT_SMS_SDK_APP_ID", ""),
        "TENCENT_SMS_ENDPOINT": os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/"),
        # A message a worker claimed this long ago without writing back belongs to a worker that died.
        "OUTBOX_STUCK_SECONDS": int(os.environ.get("OUTBOX_STUCK_SECONDS", 15 * 60)),
        # The secret part of the receipt and reply addresses given to the SMS provider; empty: off.
        "SMS_CALLBACK_TOKEN": os.environ.get("SMS_CALLBACK_TOKEN", ""),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TZ_NAME", "Asia/Shanghai"),
        "LANGUAGES": {"zh_CN": "简体中文", "en": "English"},
        # Sessions live server-side (auth.sessions); these bound how long one lasts.
        "SESSION_IDLE_TIMEOUT": _minutes("SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_TIMEOUT": _minutes("SESSION_ABSOLUTE_MINUTES", 12 * 60),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true"),
        # The token is bound to the server-side session, which already expires; a time limit
        # of its own would break a tab left open all day.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", 5)),
        "LOGIN_FAILURE_WINDOW": _minutes("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        # How long a one-time link to set one's password works.
        "PASSWORD_LINK_LIFETIME": _minutes("PASSWORD_LINK_MINUTES", 24 * 60),
        "PAGE_SIZE": 50,
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", 0)),
        # argon2id cost; tests lower it to keep the suite fast.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        # Files on the archive: a directory every web process sees (a shared volume in production).
        "DOCUMENTS_DIR": os.environ.get("DOCUMENTS_DIR") or str(INSTANCE_PATH / "documents"),
        "DOCUMENTS_MAX_BYTES": int(os.environ.get("DOCUMENTS_MAX_MB", 20)) * 1024 * 1024,
        # The weekly backups: where they go (not beside the database in production) and how many stay.
        "BACKUP_DIR": os.environ.get("BACKUP_DIR") or str(INSTANCE_PATH / "backups"),
        "BACKUP_KEEP": int(os.environ.get("BACKUP_KEEP", 8)),
    }
