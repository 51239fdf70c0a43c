"""QR codes on printed notices: each building's URL is encoded once per process, not on every page."""

import segno

from app import qr


def test_a_url_is_encoded_once_however_many_notices_show_it(monkeypatch):
    """A list's printable notices used to encode every building again on every request (6-7 s for 364)."""
    encoded = []
    encode = segno.make

    def make(url, **options):
        encoded.append(url)
        return encode(url, **options)

    monkeypatch.setattr(qr.segno, "make", make)
    url = "https://karstasvanduo.lt/address/qr-test-1"
    first = qr.qr_svg(url, "QR kodas: " + url)
    again = qr.qr_svg(url, "QR code: " + url)
    qr.qr_svg("https://karstasvanduo.lt/address/qr-test-2", "QR kodas")
    assert encoded == [url, "https://karstasvanduo.lt/address/qr-test-2"]
    assert first.startswith('<svg role="img" ')
    assert "<title>QR kodas: https://karstasvanduo.lt/address/qr-test-1</title>" in first
    assert "<title>QR code: https://karstasvanduo.lt/address/qr-test-1</title>" in again
    assert first.replace("QR kodas", "QR code") == again
