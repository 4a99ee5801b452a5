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


def normalize(text: str) -> str:
    """NFC form with single spaces, trimmed: what we store for any typed or imported text."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


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
