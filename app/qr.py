"""QR codes for print: the stairwell notice and the managers' printable notices lead back to a building page."""

from functools import lru_cache

import segno
from markupsafe import Markup

# Encoding one building's URL takes segno 6-18 ms (choosing the mask is most of it): a list's printable
# notices, one code per building with a shutoff coming, took 6-7 s for 364 buildings on every request.
# A code is about 1 KB in memory; this many cover every building a season's coming weeks touch.
CACHED_CODES = 4096


@lru_cache(maxsize=CACHED_CODES)
def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m")


def qr_svg(url: str, title: str) -> Markup:
    """A QR code for `url` as inline, scalable SVG with role="img" and `title` as its accessible name.

    Error correction level M (15 % of the code may be damaged); the data is our own URL. Each URL is encoded
    once per process (the last CACHED_CODES of them are kept).
    """
    svg = _code(url).svg_inline(
        scale=1, border=2, title=title, svgclass="qr__image", lineclass="qr__line", omitsize=True
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 -- segno's own SVG of our own URL
