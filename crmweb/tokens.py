"""Secrets that travel in links and cookies: made at random, kept only as their SHA-256, so that
the database cannot be read back into working links."""
import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
