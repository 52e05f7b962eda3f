"""The one search normaliser: what buyers type and what products say meet in this form.

"Nước mắm Phú Quốc", "NUOC MAM phu-quoc" and "nuoc  mam phu quoc" all become
"nuoc mam phu quoc". The catalogue's PostgreSQL function `catalogue_search_text()`
(IMMUTABLE wrapper over `unaccent` + `lower`, created by the catalogue's migrations and
proved equal to this function by a test) produces the same text inside the database, so
an index over it matches a query normalised here.
"""

from __future__ import annotations

import re
import unicodedata

# đ/Đ is a letter of its own, not d plus a combining mark: NFKD leaves it alone
# (NFKD rather than NFD also splits ½ or ligatures the way unaccent does).
_LETTER_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})
# Anything that is not a plain letter or digit after folding separates words.
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_search_text(text: str | None) -> str:
    """Lower-case, strip diacritics (NFC or NFD input), fold đ to d, and turn hyphens,
    punctuation and runs of whitespace into single spaces. Never raises."""
    if not text:
        return ""
    # NFKD rather than NFD also splits ½ and ligatures the way unaccent does.
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTER_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", stripped.lower()).strip()


def search_words(text: str | None) -> list[str]:
    """The distinct normalised words of a query, in the order typed."""
    return list(dict.fromkeys(normalise_search_text(text).split()))
