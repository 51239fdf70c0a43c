"""SMS text that fits one segment: GSM-7 only, at most 160 septets. Pure Python.

Decision: Lithuanian (and Polish, Russian) letters are transliterated to plain Latin (ą→a, č→c, ž→z,
ж→zh …). One UCS-2 letter would halve a segment to 70 characters, and every extra segment costs
VŠT money; Lithuanian without diacritics is what people already write in SMS.
"""

import unicodedata

SEGMENT_SEPTETS = 160

# The GSM 03.38 default alphabet (one septet each) and its extension table (two septets each).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")

_LATIN = str.maketrans(
    {
        "ą": "a", "č": "c", "ę": "e", "ė": "e", "į": "i", "š": "s", "ų": "u", "ū": "u", "ž": "z",
        "Ą": "A", "Č": "C", "Ę": "E", "Ė": "E", "Į": "I", "Š": "S", "Ų": "U", "Ū": "U", "Ž": "Z",
        "ł": "l", "Ł": "L", "ś": "s", "Ś": "S", "ź": "z", "Ź": "Z", "ż": "z", "Ż": "Z", "ć": "c", "Ć": "C",
        "ń": "n", "Ń": "N", "ó": "o", "Ó": "O",
        "–": "-", "—": "-", "‑": "-", "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "\u00a0": " ",
    }
)  # fmt: skip

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip


def _cyrillic(char: str) -> str | None:
    lower = char.lower()
    if lower not in _CYRILLIC:
        return None
    latin = _CYRILLIC[lower]
    return latin.capitalize() if char != lower else latin


def to_gsm7(text: str) -> str:
    """Transliterate to the GSM-7 alphabet; anything left that it cannot carry becomes '?'."""
    out = []
    for char in text.translate(_LATIN):
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
            continue
        latin = _cyrillic(char)
        if latin is not None:
            out.append(latin)
            continue
        stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(stripped if stripped and all(c in GSM7_BASIC for c in stripped) else "?")
    return "".join(out)


def septets(text: str) -> int:
    """Length in GSM-7 septets (extension characters take two)."""
    return sum(2 if c in GSM7_EXTENSION else 1 for c in text)


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def one_segment(body: str, tail: str) -> str:
    """GSM-7 `body` + `tail` in ≤160 septets; the body is shortened (never the tail: it says how to stop)."""
    body, tail = to_gsm7(body).strip(), to_gsm7(tail).strip()
    room = SEGMENT_SEPTETS - septets(tail) - 1
    if septets(body) > room:
        while septets(body) > room - 3:
            body = body[:-1]
        body = body.rstrip() + "..."
    return f"{body} {tail}"
