"""Settings from the REPORTING_* environment variables, read in one place.

Secrets that are not given are generated once and kept under the instance folder, so that a restart
does not log staff out, void CSRF tokens or make receipts and identities unreadable.
"""
import base64
import os
import secrets
from pathlib import Path

from limits import parse_many

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Limits of a resident's POST (reporting/limits.py): per phone (its device cookie), and per address for a village
# behind one carrier-NAT address (at least 50 reports in ten minutes). Days follow the round's time zone.
DEFAULT_SUBMIT_LIMIT = "5 per minute;30 per day"
DEFAULT_SUBMIT_ADDRESS_LIMIT = "60 per 10 minutes;300 per day"
# Submissions one round takes before its captcha gets harder and admins see a flood notice; nobody is refused.
DEFAULT_SUBMIT_ROUND_LIMIT = "600 per hour"
# Receipt lookups: enough for a reporter who mistypes, far too few to guess 80-bit codes.
LOOKUP_LIMIT = "10 per minute;100 per day"
LOOKUP_ADDRESS_LIMIT = "60 per 10 minutes;300 per day"
# A POST without a valid device cookie, per address: a browser always has one from the form page, so this is
# a script that throws cookies away, or a page opened before the cookie existed.
NO_DEVICE_LIMIT = "3 per 10 minutes;20 per day"
MAX_REQUEST_BYTES = 60 * 1024 * 1024
# A ledger of more matching rows is made by a background job: an xlsx of ~75,000 rows outlasts gunicorn's timeout.
DEFAULT_EXPORT_JOB_ROWS = 20_000
# A handover whose clues hold more photo bytes (or more clues) is made by a job: zipping is bound by the disk.
DEFAULT_HANDOVER_JOB_BYTES = 20_000_000


def instance_folder(default: Path, environ=os.environ) -> Path:
    """REPORTING_INSTANCE_DIR, else `instance/` beside the package: the generated keys and the SQLite file of the
    embedded default; one per host (with PostgreSQL, Redis and both keys from the environment it stays empty)."""
    return Path(environ.get("REPORTING_INSTANCE_DIR") or default)


def load_config(instance_path: Path, environ=os.environ) -> dict:
    """Return the Flask settings for the REPORTING_* variables in `environ`."""
    instance_path.mkdir(parents=True, exist_ok=True)
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(
            environ.get("REPORTING_DATABASE_URL") or f"sqlite:///{instance_path / 'reporting.sqlite'}"
        ),
        "REDIS_URL": environ.get("REPORTING_REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": environ.get("REPORTING_RATELIMIT_STORAGE_URI")
        or environ.get("REPORTING_REDIS_URL") or "memory://",
        "SECRET_KEY": environ.get("REPORTING_SECRET_KEY")
        or kept_secret(instance_path / "secret_key", lambda: secrets.token_urlsafe(48)),
        "BASE_URL": environ.get("REPORTING_BASE_URL", DEFAULT_BASE_URL).rstrip("/"),
        "SUBMIT_LIMIT": rate_limit(environ.get("REPORTING_SUBMIT_LIMIT", DEFAULT_SUBMIT_LIMIT)),
        "SUBMIT_ADDRESS_LIMIT": rate_limit(environ.get("REPORTING_SUBMIT_ADDRESS_LIMIT", DEFAULT_SUBMIT_ADDRESS_LIMIT)),
        "SUBMIT_ROUND_LIMIT": rate_limit(environ.get("REPORTING_SUBMIT_ROUND_LIMIT", DEFAULT_SUBMIT_ROUND_LIMIT)),
        "LOOKUP_LIMIT": LOOKUP_LIMIT,
        "LOOKUP_ADDRESS_LIMIT": LOOKUP_ADDRESS_LIMIT,
        "NO_DEVICE_LIMIT": NO_DEVICE_LIMIT,
        "PROXY_COUNT": int(environ.get("REPORTING_PROXY_COUNT", "0")),
        "CAPTCHA": flag(environ.get("REPORTING_CAPTCHA", "1")),
        "DATA_KEY": data_key(
            environ.get("REPORTING_DATA_KEY")
            or kept_secret(instance_path / "data_key", lambda: base64.b64encode(os.urandom(32)).decode())
        ),
        # Where attachments were kept before they moved into the database: read only by that upgrade (0009).
        "UPLOAD_DIR": Path(environ.get("REPORTING_UPLOAD_DIR") or instance_path / "uploads"),
        "REQUIRE_2FA": flag(environ.get("REPORTING_REQUIRE_2FA", "0")),
        "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
        "EXPORT_JOB_ROWS": int(environ.get("REPORTING_EXPORT_JOB_ROWS", DEFAULT_EXPORT_JOB_ROWS)),
        "HANDOVER_JOB_BYTES": int(environ.get("REPORTING_HANDOVER_JOB_BYTES", DEFAULT_HANDOVER_JOB_BYTES)),
    }


def database_url(url: str) -> str:
    """Accept a plain postgresql:// URL and drive it with psycopg 3, the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def flag(value: str) -> bool:
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


def rate_limit(value: str) -> str:
    """A limit as Flask-Limiter reads it (`5 per minute;30 per day`); a typo is refused at start, not skipped later."""
    parse_many(value)
    return value


def data_key(encoded: str) -> bytes:
    """The identity key: 32 bytes, base64. A wrong key is refused at start, not at the first report."""
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 32:
        raise ValueError("REPORTING_DATA_KEY must be 32 random bytes, base64-encoded")
    return key


def kept_secret(path: Path, generate) -> str:
    """Read a secret from `path`, creating it (owner-only) on first use.

    Written to a temporary file and hard-linked into place, so two workers starting together agree.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(generate())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()
