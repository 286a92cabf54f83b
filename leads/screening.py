"""Smart screening (L3): likely duplicates and related leads by character n-grams.

Chinese has no spaces, so summaries are compared as sets of character bigrams (after
folding full-width characters and dropping punctuation and white space). To answer in
well under a second at 50,000 leads on SQLite and PostgreSQL alike, the grams of every
lead's summary are meant to be kept in an indexed table (one row per lead and gram); a
query then looks up candidates by the *rarest* grams of the query text only, and scores
the few candidates in Python with the Dice coefficient.

The pure functions here (`grams`, `dice`, `rarest`) need no database; the table-backed
lookup is wired once the leads models exist.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Everything that is not a letter or digit (CJK ideographs are letters) is a separator.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)

# Grams so common in lead summaries that they say nothing about similarity.
STOP_GRAMS = frozenset(
    {
        "反映",
        "问题",
        "存在",
        "情况",
        "其中",
        "有关",
        "相关",
        "进行",
        "工作",
        "干警",
        "群众",
        "举报",
    }
)


def normalise(text: str) -> list[str]:
    """Text folded (NFKC, lower case) and split into runs of letters/digits."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return [run for run in _SEPARATORS.split(folded) if run]


def grams(text: str, n: int = 2) -> set[str]:
    """The set of character n-grams of `text` (runs shorter than n count as one gram)."""
    out: set[str] = set()
    for run in normalise(text):
        if len(run) < n:
            if len(run) > 1 or not run.isascii():
                out.add(run)
            continue
        out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out - STOP_GRAMS


def dice(a: set[str], b: set[str]) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|) in [0, 1]."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def rarest(query_grams: Iterable[str], frequency: dict[str, int], k: int = 8) -> list[str]:
    """The k grams of the query that occur in the fewest leads (unknown grams skipped: they
    cannot find anything)."""
    known = [g for g in query_grams if frequency.get(g)]
    known.sort(key=lambda g: (frequency[g], g))
    return known[:k]
