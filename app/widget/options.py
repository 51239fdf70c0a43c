"""What the embedding page may choose (language, accent colour, its own origin) and the widget's CSP.

Pure Python: every value that arrives in the query string is checked here before it reaches a
template or a header, so nothing a host page passes can inject markup, CSS or header text.
"""

import re
from collections.abc import Iterable

from app.security import default_csp

DEFAULT_ACCENT = "#b10e1e"
DARK_TEXT = "#0b0c0c"
LIGHT_TEXT = "#ffffff"

HEX_COLOUR_PATTERN = r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})"
_HEX_COLOUR = re.compile(HEX_COLOUR_PATTERN)
# An origin as a browser reports it: scheme, host and an optional port; nothing else.
_ORIGIN = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?"
)
# The type of the widget's height reports (frame.js sends it; embed.js accepts only it). Both get it from here.
HEIGHT_MESSAGE = "karstas-vanduo:height"


def embed_language(raw: str | None, languages: Iterable[str], default: str = "lt") -> str:
    """The widget's language: only what the query string says, when it is one we have."""
    return raw if raw in tuple(languages) else default


def accent_colour(raw: str | None, default: str = DEFAULT_ACCENT) -> str:
    """A `#rgb` or `#rrggbb` colour in lower case (six digits); anything else gives the default."""
    if not raw or not _HEX_COLOUR.fullmatch(raw.strip()):
        return default
    digits = raw.strip()[1:].lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return f"#{digits}"


def _relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two `#rrggbb` colours (1 … 21)."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(accent: str) -> str:
    """White or near-black, whichever reads better on the accent (a light accent gets dark text)."""
    return LIGHT_TEXT if contrast_ratio(accent, LIGHT_TEXT) >= contrast_ratio(accent, DARK_TEXT) else DARK_TEXT


def clean_origins(origins: Iterable[str] | str) -> list[str]:
    """Configured origins that are real origins (lower case, no trailing slash); the rest are dropped."""
    if isinstance(origins, str):
        origins = origins.split()
    cleaned = []
    for origin in origins:
        origin = origin.strip().rstrip("/").lower()
        if _ORIGIN.fullmatch(origin) and origin not in cleaned:
            cleaned.append(origin)
    return cleaned


def parent_origin(raw: str | None, allowed: Iterable[str], own_origin: str) -> str | None:
    """The host page's origin when it may receive our height messages (allowed, or our own site); else None."""
    if not raw:
        return None
    origin = raw.strip().rstrip("/").lower()
    if not _ORIGIN.fullmatch(origin):
        return None
    return origin if origin in clean_origins(allowed) or origin == own_origin.rstrip("/").lower() else None


def embed_csp(nonce: str, allowed_origins: Iterable[str]) -> str:
    """The widget's CSP: as strict as the site's, but the allowed hosts (and this site) may frame it."""
    return default_csp(nonce, frame_ancestors=" ".join(["'self'", *clean_origins(allowed_origins)]))
