"""Pure rules of signing in: no Flask, no database; time is a parameter."""
from datetime import datetime, timedelta

# OWASP ASVS level 2: at least 12 characters, no composition rules, refused when easy to guess.
MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 is "safely unguessable" for an online attack with throttling


def login_blocked_until(failures: list[datetime], now: datetime, max_failures: int,
                        window: timedelta) -> datetime | None:
    """After `max_failures` failures within `window`, refuse until the oldest of them ages out.

    Refused attempts are not failures, so a block never lasts longer than `window`.
    """
    recent = sorted(t for t in failures if now - t < window)
    if len(recent) < max_failures:
        return None
    return recent[-max_failures] + window


def session_expired(created_at: datetime, last_seen_at: datetime, now: datetime,
                    idle_timeout: timedelta, absolute_timeout: timedelta) -> bool:
    return now - last_seen_at >= idle_timeout or now - created_at >= absolute_timeout


def password_problems(password: str, username: str, other_words: tuple[str, ...] = ()) -> list[str]:
    """Reasons (message ids) a new password is not acceptable."""
    from zxcvbn import zxcvbn  # noqa: PLC0415 (its dictionaries take a while to load: only when a password is set)

    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
    if not problems and zxcvbn(password[:100], user_inputs=[username, *other_words, "crmweb"])["score"] \
            < MIN_PASSWORD_SCORE:
        problems.append("too_guessable")
    return problems
