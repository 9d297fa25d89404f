"""Swedish word knowledge for OCR repair: wordfreq frequencies plus hunspell-sv spelling.

Frequencies come from wordfreq's Swedish list (Zipf scale: 0 = unseen, 7 = the most common words).
Spelling comes from Debian's hunspell with the ``sv_SE`` dictionary (package ``hunspell-sv``), run
as the ``hunspell`` command in list mode: that is hunspell's own affix expansion and compounding,
which Swedish needs ("nätverksmöte" is a compound, not a dictionary entry). Words are sent in
one batch per call, so a document costs one or two subprocess runs.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import wordfreq

HUNSPELL_DICTIONARY = "sv_SE"
# Score given to a word hunspell accepts but wordfreq has never seen (rare compounds, inflections).
SPELLING_ONLY_SCORE = 0.5


class LexiconUnavailableError(RuntimeError):
    """Raised when the hunspell command or its Swedish dictionary is missing."""


@lru_cache(maxsize=1)
def _swedish_frequencies() -> dict[str, float]:
    return wordfreq.get_frequency_dict("sv", wordlist="best")


def zipf(word: str) -> float:
    """Return the Zipf frequency of ``word`` in Swedish (0.0 when wordfreq has never seen it)."""
    frequency = _swedish_frequencies().get(word.casefold(), 0.0)
    if frequency <= 0.0:
        return 0.0
    return round(math.log10(frequency) + 9.0, 2)


def hunspell_misspelled(words: Iterable[str]) -> set[str]:
    """Return the subset of ``words`` that hunspell-sv rejects (one subprocess for all words)."""
    unique = sorted({w for w in words if w and "\n" not in w})
    if not unique:
        return set()
    binary = shutil.which("hunspell")
    if binary is None:
        raise LexiconUnavailableError("the 'hunspell' command is not installed (Debian: hunspell)")
    completed = subprocess.run(  # noqa: S603 - fixed binary, words go through stdin
        [binary, "-d", HUNSPELL_DICTIONARY, "-l", "-i", "utf-8"],
        input="\n".join(unique) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if completed.returncode != 0:
        raise LexiconUnavailableError(f"hunspell failed: {completed.stderr.strip()[:200]}")
    return set(completed.stdout.split("\n")) - {""}


# hunspell's verdicts never change for a given dictionary, so they are shared by every Lexicon
# (each hunspell run costs ~0.4 s just to load the Swedish dictionary).
_SPELLING_CACHE: dict[str, bool] = {}


@dataclass(slots=True)
class Lexicon:
    """Word scores with hunspell verdicts cached; ``prime`` batches the hunspell calls."""

    _spelled: dict[str, bool] = field(default_factory=lambda: _SPELLING_CACHE)

    def prime(self, words: Iterable[str]) -> None:
        """Look up every word not yet known in one hunspell call; returns nothing."""
        todo = {w for w in words if w not in self._spelled and zipf(w) == 0.0}
        if not todo:
            return
        rejected = hunspell_misspelled(todo)
        for word in todo:
            self._spelled[word] = word not in rejected

    def score(self, word: str) -> float | None:
        """Return the Zipf score, ``SPELLING_ONLY_SCORE`` if only hunspell knows it, or None."""
        frequency = zipf(word)
        if frequency > 0.0:
            return frequency
        if word not in self._spelled:
            self.prime([word])
        return SPELLING_ONLY_SCORE if self._spelled.get(word, False) else None

    def is_known(self, word: str) -> bool:
        """Return True when wordfreq or hunspell knows the word."""
        return self.score(word) is not None
