"""QR codes for print: the stairwell notice and the managers' printable notices lead back to a building page."""

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """A QR code for `url` as inline, scalable SVG with role="img" and `title` as its accessible name.

    Error correction level M (15 % of the code may be damaged); the data is our own URL.
    """
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=1, border=2, title=title, svgclass="qr__image", lineclass="qr__line", omitsize=True)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 -- segno's own SVG of our own URL
