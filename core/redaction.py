"""The last line of defence for public text: staff write updates and answers, residents write
questions, and any of them may name a neighbour or give a phone number. Before such text
reaches a public page or the group-chat summary, every owner name of the campaign and every
number that looks like a phone, ID or bank-card number is replaced by "***". Dates and
amounts of money stay.

People spell the same number or name many ways: 139.0027.1000, (139)0027-1000, full-width
digits, a space or an invisible zero-width space inside a name, 張建國 for 张建国. So the text
is matched in a normalised view (NFKC, invisible characters dropped, traditional characters
mapped to simplified, separators skipped), and what is hidden is the matching stretch of the
original text: the reader sees the text as it was written, with the secrets blanked out.
"""

import re
import unicodedata
from functools import cache

import opencc

HIDDEN = "***"
# Owner names of one character cannot be told from ordinary words; nobody is named that.
SHORTEST_NAME = 2
# Zero-width and other invisible characters that can be slipped inside a name or a number.
INVISIBLE = frozenset(
    "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# What people put between the digits of a number or the characters of a name, as NFKC leaves
# it (full-width forms are already their ASCII selves by then).
SEPARATORS = frozenset(" \t\u00a0-.·()/_‐‑‒–—―・")
_SEP = r"[ \t\u00a0\-.·/_‐‑‒–—―・]"
# Digits with up to three separators between each two, an area code in brackets first, an
# ID's final X last. A bracket elsewhere ends the run: 123.45（398000.00 元） is two amounts.
DIGIT_RUN = re.compile(
    rf"(?:\(\d{{2,4}}\){_SEP}{{0,3}})?\d(?:{_SEP}{{0,3}}\d)*(?:{_SEP}{{0,3}}[Xx](?![A-Za-z]))?"
)
# A date, which stays even when two are written side by side: 2026-12-01 2026-12-05.
DATE = re.compile(r"(?:19|20)\d\d([\-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])")
RANGE = re.compile(r"[ \t\u00a0‐‑‒–—―]+")
# Fewer digits than a mobile number are amounts, dates, room numbers: only a landline (with its
# leading 0 and area code) is shorter.
LONGEST_HARMLESS = 10


@cache
def converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return converter().convert(text)


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, simplified, no separators or invisible marks."""
    text = simplified(unicodedata.normalize("NFKC", text or ""))
    return "".join(c for c in text if c not in INVISIBLE and c not in SEPARATORS)


def mapped(text: str) -> tuple[str, list[int]]:
    """The NFKC, simplified view of ``text`` without invisible characters, and for each of its
    characters the index in ``text`` it came from."""
    chars, origins = [], []
    for index, char in enumerate(text):
        for each in unicodedata.normalize("NFKC", char):
            if each not in INVISIBLE:
                chars.append(each)
                origins.append(index)
    view = "".join(chars)
    converted = simplified(view)
    if len(converted) != len(view):  # a phrase changed length: convert character by character
        converted = "".join(c if len(s := simplified(c)) != 1 else s for c in view)
    return converted, origins


def secret_number(run: str) -> bool:
    """A phone, landline, ID or bank-card number, however spaced; not dates or amounts."""
    if all(DATE.fullmatch(piece) for piece in RANGE.split(run.strip("()"))):
        return False
    digits = re.sub(r"[^\dXx]", "", run)
    return len(digits) > LONGEST_HARMLESS or (
        len(digits) == LONGEST_HARMLESS and digits.startswith("0")
    )


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


class Redactor:
    def __init__(self, names) -> None:
        names = [n.replace("\n", "") for n in names if n]
        # one conversion for all the names: a campaign may have thousands
        names = set(normalise("\n".join(names)).split("\n")) if names else set()
        names = sorted((n for n in names if len(n) >= SHORTEST_NAME), key=len, reverse=True)
        self.names = re.compile("|".join(map(re.escape, names))) if names else None

    @classmethod
    def for_campaign(cls, campaign) -> "Redactor":
        """One query: the names of every owner in the campaign."""
        return cls(campaign.owner_names())

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the secrets are in ``text``: (start, end) in the original characters."""
        view, origins = mapped(text)
        found = [
            (origins[m.start()], origins[m.end() - 1] + 1)
            for m in DIGIT_RUN.finditer(view)
            if secret_number(m.group())
        ]
        if self.names is not None:
            kept = [i for i, c in enumerate(view) if c not in SEPARATORS and not c.isspace()]
            letters = "".join(view[i] for i in kept)
            found += [
                (origins[kept[m.start()]], origins[kept[m.end() - 1]] + 1)
                for m in self.names.finditer(letters)
            ]
        return merged(found)

    def __call__(self, text: str) -> str:
        text = text or ""
        parts, last = [], 0
        for start, end in self.spans(text):
            parts += [text[last:start], HIDDEN]
            last = end
        return "".join([*parts, text[last:]])


def search_key(text: str) -> str:
    """What a public search compares with: the normalised text in lower case, so that 一 楼
    finds 一楼 and a traditional spelling finds the simplified one."""
    return normalise(text).lower()
