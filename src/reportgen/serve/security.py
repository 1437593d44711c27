"""Secrets for the collection service: unit links, the admin password, sessions, CSRF, headers.

Contract:

* :func:`new_secret` — 128 random bits, URL-safe text (a unit link's secret, a setup code);
  :func:`same_secret` compares two in constant time (``hmac.compare_digest``).
* :func:`hash_password` / :func:`verify_password` — ``hashlib.scrypt`` (n=2**14, r=8, p=1, 16-byte
  salt) stored as ``scrypt$n$r$p$salt$hash``; verification recomputes and compares in constant time.
* Sessions: the cookie holds a random id; the database holds only its SHA-256 (:func:`digest`), so a
  copied database gives no usable session.
* CSRF: every form carries ``csrf_token(key, binding)`` — an HMAC of what the form is bound to (the
  admin session, a unit's link, the login page's cookie) under the server's secret key;
  :func:`csrf_ok` checks it in constant time.
* :data:`HEADERS` — the security headers every response gets (no scripts at all, no framing, no
  referrer: a unit's link never leaks to another site).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_BYTES = 16  # 128 bits
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8

HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


def new_secret() -> str:
    """128 random bits as 22 URL-safe characters."""
    return secrets.token_urlsafe(SECRET_BYTES)


def same_secret(expected: str, given: str) -> bool:
    """Constant-time equality of two secrets (False for anything not ASCII)."""
    try:
        return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii"))
    except (UnicodeEncodeError, AttributeError):
        return False


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                  p=int(p), dklen=len(key) // 2, maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(key))


def password_problem(password: str, again: str) -> str:
    """Why a new password is refused (Chinese), or ''."""
    if password != again:
        return "两次输入的密码不一致"
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    return ""


def csrf_token(key: str, binding: str) -> str:
    return hmac.new(key.encode("ascii"), f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: str, binding: str, given: object) -> bool:
    return isinstance(given, str) and bool(binding) and same_secret(csrf_token(key, binding), given)
