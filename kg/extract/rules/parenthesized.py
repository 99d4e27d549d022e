"""``finditer`` for definition patterns, started from the parentheses instead of every character.

The definition patterns read ``NAME \\s* ( … )``: a name, optional whitespace, then a
parenthesis. A regex engine tries such a pattern at every position of an item (a run of Han
characters is tried at each of its characters), yet a match can only start just before an
opening parenthesis. ``Parenthesized.finditer`` gives exactly ``pattern.finditer(text)``:

* the part from the parenthesis on (``suffix``) holds no other opening parenthesis, so its
  matches, found by one scan for ``suffix``, are the parentheses a match can use;
* the name (``prefix``) ends on a character that is neither whitespace nor a parenthesis, so in
  a match it ends exactly where the whitespace before the parenthesis begins (``w``), and the
  pattern matches at ``p`` exactly when ``prefix`` spans ``text[p:w]`` and ``suffix`` matches
  at the parenthesis;
* a match's start lies in ``starts(text, w, cursor)``; the first start there, from the left,
  where ``prefix`` fits is the match ``finditer`` finds (it scans from the left too, and no
  match can start before it without using an earlier parenthesis).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

Starts = Callable[[str, int, int], Sequence[int]]
"""(text, w, cursor) -> the positions, left to right, where a match using the name that ends
at ``w`` may start (none before ``cursor``, the end of the previous match)."""


@dataclass(frozen=True, slots=True)
class Parenthesized:
    """``pattern`` = ``prefix`` + ``\\s*`` + ``suffix``; ``suffix`` starts at the parenthesis."""

    pattern: re.Pattern[str]
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    starts: Starts

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of ``pattern`` in ``text``, as ``pattern.finditer(text)`` gives them."""
        cursor = 0
        for paren in self.suffix.finditer(text):
            k = paren.start()
            if k < cursor:
                continue
            w = k
            while w > cursor and text[w - 1].isspace():  # str.isspace is re's \s
                w -= 1
            for p in self.starts(text, w, cursor):
                if self.prefix.fullmatch(text, p, w):
                    match = self.pattern.match(text, p)
                    if match is not None:  # always, by the argument above
                        yield match
                        cursor = match.end()
                    break


def within(longest: int, shortest: int = 1) -> Starts:
    """Starts for a name of ``shortest``..``longest`` characters."""

    def starts(text: str, w: int, cursor: int) -> range:
        return range(max(cursor, w - longest), w - shortest + 1)

    return starts


def words_back(characters: str, separators: str, most: int) -> Starts:
    """Starts for a name of ``characters`` with at most ``most`` of ``separators`` in it, that
    begins a word: at the left end of such a run, or right after one of its separators."""
    allowed = frozenset(characters)
    splits = frozenset(separators)

    def starts(text: str, w: int, cursor: int) -> list[int]:
        found = []
        p = w
        while p > cursor and text[p - 1] in allowed:
            if text[p - 1] in splits:
                found.append(p)  # a start right after the n-th separator holds n - 1 of them
                if len(found) > most:
                    return found[::-1]
            p -= 1
        found.append(p)
        return found[::-1]

    return starts
