"""Text folding and address parsing: what a resident typed → street words, house, letter, block, flat.

Pure Python. Everything is folded to lower-case ASCII so `Žirmūnų`, `zirmunu`, `ŽIRMŪNŲ` and `Жирмуну`
compare equal.
"""

import re
import unicodedata
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

# Russian (and Belarusian/Ukrainian) letters as a Russian speaker spells Lithuanian names: Жирмуну → zirmunu.
# The targets are already folded (ž→z, š→s, č→c), because Lithuanian letters are folded the same way.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "z", "з": "z",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "c", "ш": "s", "щ": "sc",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "і": "i", "ї": "ji", "є": "je",
    "ў": "u", "ґ": "g",
}  # fmt: skip
# Letters NFKD does not take apart.
SPECIAL_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"}
_FOLD_TABLE = str.maketrans({**CYRILLIC, **SPECIAL_LETTERS})

# Dashes, quotes and look-alikes residents paste from documents.
_PUNCT_TABLE = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u201e": " ", "\u201c": " ", "\u201d": " ", "\u00ab": " ", "\u00bb": " ", '"': " ", "'": " ", "`": " ",
        "\u2116": " nr ", "#": " nr ", "_": " ", ";": ",", "(": " ", ")": " ", "[": " ", "]": " ",
    }
)  # fmt: skip


# я, ю, ё after a consonant soften it, as Lithuanian writes with i: Кяуню → kiauniu, Чюрлёнё → ciurlionio.
_SOFT_VOWELS = re.compile(r"(?<=[бвгдзклмнпрстфхцчшщж])([яюё])")
_SOFT = {"я": "ia", "ю": "iu", "ё": "io"}


def fold(text: str) -> str:
    """NFKC, case-fold, Cyrillic → Latin, strip diacritics: `Žirmūnų` → `zirmunu`, `Жирмуну` → `zirmunu`."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SOFT_VOWELS.sub(lambda m: _SOFT[m.group(1)], text).translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Type words, folded, in every form residents write them; value = the register abbreviation.
TYPE_WORDS = {
    "g": "g.", "gatve": "g.", "gatv": "g.", "gt": "g.", "str": "g.",
    # Words for "street" in general (Russian ул., Polish ul., English street) say nothing about the type.
    "ul": "", "ulica": "", "ulitsa": "", "street": "", "st": "",
    "pr": "pr.", "prosp": "pr.", "prospektas": "pr.", "prospekt": "pr.", "pr-tas": "pr.", "pr-t": "pr.",
    "avenue": "pr.", "ave": "pr.",
    "al": "al.", "aleja": "al.", "alley": "al.",
    "skg": "skg.", "skersgatvis": "skg.", "skersg": "skg.", "per": "skg.", "pereulok": "skg.",
    "a": "a.", "aikste": "a.", "aikst": "a.", "pl.": "pl.", "plac": "a.", "ploscad": "a.",
    "square": "a.", "sq": "a.",
    "pl": "pl.", "plentas": "pl.", "sosse": "pl.", "szosa": "pl.",
    "kel": "kel.", "kelias": "kel.",
    "tak": "tak.", "takas": "tak.",
    "skv": "skv.", "skveras": "skv.", "skver": "skv.",
    "aklg": "aklg.", "akligatvis": "aklg.", "aklig": "aklg.", "tupik": "aklg.",
    "bul": "bul.", "bulvaras": "bul.", "bulvar": "bul.",
    "krant": "krant.", "krantine": "krant.", "nab": "krant.", "naberezhnaja": "krant.",
}  # fmt: skip
# Single letters that are also initials (`A. Goštauto`, `G. Vilties`): a type only after the name.
AMBIGUOUS_TYPE_TOKENS = {"g", "a", "st", "per"}

_NOISE_PATTERNS = [
    re.compile(r"\blt\s*-?\s*\d{5}\b"),  # postcode LT-01100
    re.compile(r"(?<![\d-])\b\d{5}\b(?!\s*-)"),  # bare postcode 01100 (a house number has at most 4 digits)
    # Vilnius city only: "Vilniaus r. sav." is another municipality (see MUNICIPALITY_RE).
    re.compile(r"\bvilniaus\s+(?:m\b\.?|miestas\b|miesto\b)(?:\s*sav\b\.?|\s+savivaldybe\b)?"),
    re.compile(r"\b(?:vilnius|vilnjus|vilna|wilno|vilnyus|lietuva|lithuania|litva)\b"),
    re.compile(r"\b(?:g|m)\.?\s*vilnius\b"),
]
_FLAT_RE = re.compile(
    r"(?:,|\s)\s*(?:bt|butas|buto\s+nr|butas\s+nr|kv|kvartira|kw|m|mieszkanie|apt|apartment|flat)\b\.?\s*(?:nr\.?\s*)?(\d{1,4}[a-z]?)\s*$"
)
# "12, 5 butas", "12 5 bt.": the flat number written before the word.
_FLAT_BEFORE_WORD_RE = re.compile(r"(?:,|\s)\s*(\d{1,4}[a-z]?)\s*(?:bt|butas|kv|kvartira)\b\.?\s*$")
# "12-5", "12a-5", "12 - 5", "12/5": house then flat.
_HOUSE_FLAT_RE = re.compile(r"(\d{1,4})\s*([a-z]?)\s*(?:[-/]|\s-\s)\s*(\d{1,4}[a-z]?)\s*$")
_BLOCK_RE = re.compile(
    r"\s*(?:,\s*)?(?:k|korp|korpusas|korpuso|korpus|kor)\b\.?\s*(\d{1,3})(?:\s*[-/]\s*(\d{1,4}[a-z]?))?\s*$"
)
_HOUSE_RE = re.compile(
    r"(?:^|(?<=[\s,.]))(?:nr\.?\s*|numeris\s+|namas\s+|namo\s+nr\.?\s*|nam\.\s*|d\.?\s*|dom\s+|house\s+|no\.?\s*)?(\d{1,4})(?:\s*-?\s*([a-z]))?\s*$"
)
_HOUSE_FIRST_RE = re.compile(r"^\s*(?:nr\.?\s*)?(\d{1,4})\s*([a-z]?)\b[\s,]+(?=[a-z])")
# `13-osios`, `1-oji`, `3-ioji` and their typos (`13-ossios`, `16-osis`): a number that is part of a name.
_ORDINAL_RE = re.compile(r"\b(\d{1,3})\s*(?:-\s*[a-z]{2,8}|(?:osios|iosios|oji|ioji|ji))\b")
_SPACES = re.compile(r"\s+")
# Words that announce the house number (`nr. 14`, `namas 14`): left over once the number is taken.
_HOUSE_MARKERS_RE = re.compile(r"(?:\s|^)(?:nr|no|numeris|namas|namo|nam|dom|d|house)\b\.?\s*$")
# A municipality written with its kind: `Kauno r. sav.`, `Vilniaus rajono savivaldybė`, `Kauno m.`,
# `Alytaus miesto savivaldybė`, `Elektrėnų sav.`, read as `kauno r` / `kauno m` / `elektrenu sav`
# (`Vilniaus m.` is noise, removed before).
# Only a known municipality counts: `gatvė M. K. Čiurlionio` has the same shape.
MUNICIPALITY_RE = re.compile(
    r"\b([a-z]{3,})\s+(?:(r|raj|rajono|rajonas)|(m|miesto|miestas)|(sav|savivaldybe))\b\.?"
    r"(?:\s*(?:sav|savivaldybe|savivaldybes)\b\.?)?"
)
# A corner building written with both its addresses: `Pylimo g. 4/Labdarių g. 2`. The slash must be
# followed by a street's name (`Labdarių`, `L. Giros`), not by a flat (`12/5`), a letter (`12/a`) or a block (`12/k2`).
_CORNER_RE = re.compile(r"(?<=\d)\s*([a-z]?)\s*/\s*(?=(?:[a-z]\.\s*)*[a-z]{3,})(?!(?:korp|korpusas|butas|bt|kv)\b)")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    street_tokens: tuple[str, ...]  # folded name words, initials as single letters, type words removed
    type_abbr: str  # register abbreviation of a type word the resident wrote, or ""
    number: str  # "12" or ""
    letter: str  # "a" or ""
    block: str  # "2" or ""
    flat: str  # "5" or ""
    cleaned: str = ""  # the whole query folded and tidied, to look for the name of another place in
    corner: "ParsedQuery | None" = None  # the second address of a corner building (`…4/Labdarių g. 2`)

    @property
    def street_text(self) -> str:
        return " ".join(self.street_tokens)

    @property
    def house(self) -> str:
        """Register form of the house: `12A`."""
        return f"{self.number}{self.letter.upper()}" if self.number else ""


def clean(text: str) -> str:
    """Fold and tidy: punctuation to spaces where it carries no meaning, noise (city, postcode) removed."""
    text = fold(text).translate(_PUNCT_TABLE)
    for pattern in _NOISE_PATTERNS:
        text = pattern.sub(" ", text)
    text = re.sub(r"\bpr\s*-\s*t(?:as)?\b", "pr", text)  # "pr-tas", "pr-t"
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)  # "pusyno5" → "pusyno 5", "g.12" handled below
    text = re.sub(r"\.(?=\S)", ". ", text)  # "p.alseniskio" → "p. alseniskio"
    text = re.sub(r"\s*,\s*", " , ", text)
    return _SPACES.sub(" ", text).strip(" ,")


def parse_query(text: str) -> ParsedQuery:
    """Split a free-text address into street words, type, house number, letter, block and flat.

    A corner building (`Pylimo g. 4/Labdarių g. 2`) gives the first address, with the second in `corner`."""
    text = clean(text)
    corner = _CORNER_RE.search(text)
    if corner:
        first = _parse_address(text[: corner.start()] + corner.group(1))
        second = _parse_address(text[corner.end() :])
        if first.street_tokens and first.number and second.street_tokens and second.number:
            return replace(first, cleaned=text, corner=second)
    return replace(_parse_address(text), cleaned=text)


def _parse_address(text: str) -> ParsedQuery:
    """One cleaned address → its parts."""
    flat = block = number = letter = ""

    match = _FLAT_RE.search(text) or _FLAT_BEFORE_WORD_RE.search(text)
    if match:
        flat, text = match.group(1), text[: match.start()]
    text = text.strip(" ,")
    match = _BLOCK_RE.search(text)
    if match and re.search(r"\d\s*[a-z]?\s*,?\s*$", text[: match.start()]):
        block, text = match.group(1), text[: match.start()]
        flat = flat or match.group(2) or ""
    text = text.strip(" ,")
    if not flat:
        match = _HOUSE_FLAT_RE.search(text)
        if match and not _ORDINAL_RE.search(text[match.start() :]):
            number, letter, flat = match.group(1), match.group(2), match.group(3)
            text = text[: match.start()]
    if not number:
        text, number, letter = _take_house(text)
    if not block:
        match = _BLOCK_RE.search(text)
        if match and number and not match.group(2):
            block, text = match.group(1), text[: match.start()]
    if number:
        text = _HOUSE_MARKERS_RE.sub("", text.rstrip(" ,"))
    tokens, type_abbr = street_tokens(text)
    return ParsedQuery(tuple(tokens), type_abbr, number.lstrip("0") or number, letter, block, flat)


def _take_house(text: str) -> tuple[str, str, str]:
    """(text without the house, number, letter): the house at the end (`Žirmūnų 12a`) or first (`12a Žirmūnų`)."""
    match = _HOUSE_RE.search(text)
    if match and not _is_ordinal_in_name(text, match):
        return text[: match.start()], match.group(1), match.group(2) or ""
    match = _HOUSE_FIRST_RE.search(text)
    if match:
        return text[match.end() :], match.group(1), match.group(2)
    return text, "", ""


def _is_ordinal_in_name(text: str, match: re.Match) -> bool:
    """`Sausio 13-osios`: the 13 is part of the street name, not the house."""
    return bool(_ORDINAL_RE.match(text, match.start(1)))


def words(text: str) -> list[str]:
    """Folded text → name words: dots, dashes and commas split; ordinal suffixes dropped (`13-osios` → `13`)."""
    text = _ORDINAL_RE.sub(lambda m: m.group(1), text)
    return [t for t in re.split(r"[\s,.\-/]+", text) if t]


# Full type words long enough to recognise with a typo (`prpspektas`, `gatėv`).
# Only full words: an abbreviation one letter off is often a real name (`Kranto` is not `krant.`).
_LONG_TYPE_WORDS = [
    "gatve", "prospektas", "aikste", "plentas", "kelias", "skveras", "akligatvis", "skersgatvis", "bulvaras",
    "krantine",
]  # fmt: skip


def _type_word(token: str) -> str:
    """The register abbreviation for a type word, tolerating one typo in long forms; "" if not a type word."""
    if token in TYPE_WORDS:
        return TYPE_WORDS[token]
    if len(token) >= 5:
        for word in _LONG_TYPE_WORDS:
            if abs(len(word) - len(token)) <= 1 and OSA.distance(token, word, score_cutoff=1) <= 1:
                return TYPE_WORDS[word]
    return ""


def street_tokens(text: str) -> tuple[list[str], str]:
    """Name words with type words removed; returns (tokens, type abbreviation written, if any)."""
    tokens = words(text)
    type_abbr = ""
    if len(tokens) > 1 and tokens[-1] not in TYPE_WORDS and _type_word(tokens[-1]):
        tokens[-1] = next(w for w in TYPE_WORDS if TYPE_WORDS[w] == _type_word(tokens[-1]))
    # A type word after the name (`Žirmūnų g.`), or a full word before it (`ul. Žirmūnų`, `gatvė Žirmūnų`).
    while len(tokens) > 1 and tokens[-1] in TYPE_WORDS:
        type_abbr = type_abbr or TYPE_WORDS[tokens[-1]]
        tokens.pop()
    while len(tokens) > 1 and tokens[0] in TYPE_WORDS and tokens[0] not in AMBIGUOUS_TYPE_TOKENS:
        type_abbr = type_abbr or TYPE_WORDS[tokens[0]]
        tokens.pop(0)
    return tokens, type_abbr


def name_tokens(name: str) -> list[str]:
    """Folded words of a register street name: `Povilo Alšėniškio` → [povilo, alseniskio].

    A type word left inside a register name (`Alberto Telyčėno g`) is dropped, as it is from queries."""
    return street_tokens(fold(name))[0]
