"""URL helpers shared by features."""

from urllib.parse import urlsplit


def safe_next_path(target: str | None, default: str = "/") -> str:
    """Only a path on this site; anything with a scheme, host or backslash falls back to default."""
    if not target:
        return default
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    # Flask's request.full_path leaves a bare "?" when there is no query.
    return target[:-1] if target.endswith("?") else target
