"""What the rate limits tell a person who reached one: when to come back."""
import time

from reporting.extensions import limiter


def seconds_until_reset() -> int | None:
    """Seconds until the limit that was hit frees up, to tell the resident when to come back."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return max(1, int(limit.reset_at - time.time()))  # reset_at is whole seconds: floor, or 60 s reads as 2 min
