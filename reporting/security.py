"""Passwords and the rate-limit key: the secrets-handling helpers every feature shares."""
import hashlib
import hmac
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
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


def client_key() -> str:
    """The rate-limit key: an HMAC of the client address, keyed with the secret and today's date.

    The address itself never reaches the limiter's storage, and yesterday's keys cannot be linked to today's.
    """
    day = datetime.now(timezone.utc).date().isoformat()
    key = f"{current_app.config['SECRET_KEY']}:{day}".encode()
    address = (request.remote_addr or "").encode()
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]
