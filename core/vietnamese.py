"""Vietnamese text helpers: diacritic-free search keys and Vietnamese alphabetical sort keys.

Both are stored in columns next to the name (``search_name``, ``name_sort_key``) so that search
and ordering behave the same on Postgres and SQLite and can use an index.
"""

import functools
import unicodedata

# The Vietnamese alphabet order; đ sorts after d as a letter of its own. f, j, w, z appear in
# foreign (e.g. Lao) names and take their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_WORD_LETTERS = 8
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone order used by dictionaries: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make a distinct letter rather than a tone.
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
                 ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}


# Bidirectional embedding/override/isolate controls (U+202A–202E, U+2066–2069): invisible, they
# reorder how a name or number is displayed ("Trojan Source"); no Vietnamese text needs them.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)


def normalize(text: str) -> str:
    """NFC form with single spaces, trimmed, no bidi controls: what we store for any typed or imported text."""
    return " ".join(unicodedata.normalize("NFC", strip_bidi(text or "")).split())


def fold(text: str) -> str:
    """Lower-case, tone-free, diacritic-free ASCII-ish key: 'Nguyễn Văn Đức' → 'nguyen van duc'."""
    decomposed = unicodedata.normalize("NFD", normalize(text).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")


def _letters_and_tones(word: str) -> tuple[list[str], int]:
    """Split a word into its Vietnamese letters and the tone of the word (0 when none)."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif unicodedata.category(ch) == "Mn" and letters and (letters[-1], ch) in _LETTER_MARKS:
            letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
        elif unicodedata.category(ch) != "Mn":
            letters.append(ch)
    return letters, tone


@functools.lru_cache(maxsize=65536)  # names repeat their words: an import of 10,000 names has a few hundred
def _word_key(word: str) -> tuple[str, str]:
    # Digits only, fixed width per word: database collations (glibc, ICU, SQLite) all order digit
    # strings byte by byte, whereas they disagree on spaces and punctuation.
    letters, tone = _letters_and_tones(word)
    codes = [str(10 + _LETTER_RANK[ch]) if ch in _LETTER_RANK else "99" for ch in letters]
    primary = "".join(codes[:_WORD_LETTERS]).ljust(2 * _WORD_LETTERS, "0")
    return primary, str(tone)


def sort_key(full_name: str) -> str:
    """Key that orders people the Vietnamese way: given name, then middle names, then family name.

    Letters compare in Vietnamese alphabet order (a < ă < â < b … d < đ), and tones only break ties
    between otherwise equal names.
    """
    words = normalize(full_name).split(" ")
    if not words or words == [""]:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    keys = [_word_key(word) for word in ordered]
    primary = "".join(key[0] for key in keys)
    tones = "".join(key[1] for key in keys)
    return (primary + tones)[:255]


def text_key(text: str) -> tuple:
    """Key that orders any text (a school or province name) word by word in Vietnamese alphabet order.

    Unlike ``sort_key`` it keeps the words in their written order and has no length limit; tones
    break ties last. It backs the ``vi`` collation registered for SQLite (core.apps), so that
    ``ORDER BY name`` gives the order Postgres gives with its ICU Vietnamese collation.
    """
    primary, tones = [], []
    for word in normalize(text).split(" "):
        letters, tone = _letters_and_tones(word)
        primary.append(tuple(_LETTER_RANK.get(ch, 100 + ord(ch)) for ch in letters))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def collate(left: str, right: str) -> int:
    """A collation function for SQLite: -1, 0 or 1 as ``left`` sorts before, with or after ``right``."""
    a, b = text_key(left), text_key(right)
    return (a > b) - (a < b)


def slug(text: str) -> str:
    """A file-name slug that keeps Đ/đ as d: 'Tổng hợp cụm thi đua Đắk Lắk' → 'tong-hop-cum-thi-dua-dak-lak'
    (Django's slugify drops đ, which has no ASCII decomposition)."""
    from django.utils.text import slugify

    return slugify(fold(str(text)))
