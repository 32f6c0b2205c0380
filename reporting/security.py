"""Passwords, receipts, identity encryption and the rate-limit key: the secrets every feature shares."""
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import unicodedata
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app, request

# Argon2id, memory-hard: a stolen staff table does not fall to a GPU farm.
_password_hasher = PasswordHasher()


def configure_password_hashing(time_cost: int, memory_cost: int) -> None:
    """Tests lower the cost; production keeps argon2-cffi's defaults (RFC 9106 low-memory profile)."""
    global _password_hasher
    _password_hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def limit_key(kind: str, value: str, day: str) -> str:
    """What a limiter's storage may hold for a client (an address, a device): an HMAC under the secret and a day.

    The value itself never reaches the storage, and yesterday's keys cannot be linked to today's; `kind` keeps
    an address's bucket apart from a device's.
    """
    key = f"{current_app.config['SECRET_KEY']}:{day}".encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    """The limiter's default key (staff login): the client's address block, as an HMAC under the UTC day.

    Staff limits have no window of a day, so which day's midnight renews the key does not matter; the
    residents' limits (reporting/limits.py) key by device and address under their round's own day.
    """
    return limit_key("address", address_block(request.remote_addr or ""), datetime.now(timezone.utc).date().isoformat())


def address_block(address: str) -> str:
    """What a limit counts as one client: an IPv4 address, or an IPv6 /64 (one home or phone holds a whole /64,
    so counting single IPv6 addresses would let it change address at every try)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


# Receipts: 80 random bits in Crockford base32, shown once and kept only as an HMAC under a key that
# is not in the database (NOTES: a slow hash would cap a 2-core server at dozens of reports a second).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 16
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, "_": None, "—": None, "–": None})


def new_receipt() -> str:
    """A fresh receipt, grouped for reading aloud and writing down: XXXX-XXXX-XXXX-XXXX."""
    number = int.from_bytes(secrets.token_bytes(10), "big")
    symbols = "".join(CROCKFORD[(number >> shift) & 31] for shift in range(75, -1, -5))
    return "-".join(symbols[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalize_receipt(typed: str) -> str | None:
    """What a reporter typed, as the canonical 16 symbols; None when it cannot be a receipt."""
    # NFKC first: Chinese input methods often type full-width letters, digits and dashes.
    symbols = "".join(unicodedata.normalize("NFKC", typed).upper().split()).translate(_READ_AS)
    if len(symbols) != RECEIPT_LENGTH or any(symbol not in CROCKFORD for symbol in symbols):
        return None
    return symbols


def receipt_digest(receipt: str) -> str:
    """The keyed hash stored for a receipt (hex); `receipt` in any accepted spelling."""
    symbols = normalize_receipt(receipt)
    if symbols is None:  # callers check what was typed first
        raise ValueError("not a receipt")
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), b"receipt-digest-v1", hashlib.sha256).digest()
    return hmac.new(key, symbols.encode(), hashlib.sha256).hexdigest()


# Secrets at rest (a named reporter's identity, a staff TOTP secret): AES-GCM under REPORTING_DATA_KEY,
# bound to the row they belong to, so that a ciphertext copied onto another row does not decrypt.
NONCE_BYTES = 12


def seal(bound_to: str, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(current_app.config["DATA_KEY"]).encrypt(nonce, plaintext, bound_to.encode())


class SealedUnderAnotherKey(Exception):
    """The site's REPORTING_DATA_KEY is not the one this secret was sealed with (a lost or mixed-up key)."""


def unseal(bound_to: str, sealed: bytes) -> bytes:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(current_app.config["DATA_KEY"]).decrypt(nonce, ciphertext, bound_to.encode())
    except InvalidTag as error:
        raise SealedUnderAnotherKey(bound_to) from error


def encrypt_identity(report_id: int, identity: dict[str, str]) -> bytes:
    return seal(f"report:{report_id}", json.dumps(identity, ensure_ascii=False).encode())


def decrypt_identity(report_id: int, ciphertext: bytes) -> dict[str, str]:
    return json.loads(unseal(f"report:{report_id}", ciphertext))


# Everything the pages need comes from this host; nothing may frame them or learn where they were read.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


# `same-origin`: no other host learns a page's address (a poster's token, a report's number), while this
# site's own POSTs carry the Referer that Flask-WTF's CSRF check demands over HTTPS (no-referrer failed it).
REFERRER_POLICY = "same-origin"


# Staff and admin pages show reports, identities, a TOTP secret: no browser or proxy may keep a copy.
PRIVATE_PREFIXES = ("/staff", "/admin")


def secure_headers(response):
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def residents_request() -> bool:
    """Whether the request is a resident's (the public pages): logs keep only its day, never its time."""
    return request.blueprint == "intake"


def request_route() -> str:
    """The request as logs may name it: its method and route pattern (`/r/<token>`), never the path itself."""
    return f"{request.method} {request.url_rule.rule if request.url_rule else '-'}"


def note_route() -> None:
    """Tell the access log (gunicorn.conf.py) which route served the request, and whether a resident's."""
    request.environ["reporting.route"] = request.url_rule.rule if request.url_rule else "-"
    request.environ["reporting.public"] = residents_request()
