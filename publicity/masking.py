"""Masking personal identifiers inside free text before it reaches the public column.

Clerks and reviewers type free text (违法行为, 处罚结果, 荣誉内容, 列入事由, 许可内容, corrected content, objection
replies) that may quote a person's resident ID number, mobile or landline number. The column masks them wherever
they appear, the same way it masks the subject's own identifier:

* 18-character resident ID numbers: first 6 + ``********`` + last 4 (``360102********1234``);
* 15-digit (first-generation) ID numbers: first 6 + ``*****`` + last 4, keeping the length (``360102*****1123``);
* mobiles: first 3 + ``****`` + last 4, an ``+86``/``86`` prefix kept as typed (``139****5678``);
* landlines with an area code: area code + ``-`` + one star per hidden digit + last 4 (``0791-****3456``).

People type these numbers in many ways: full-width digits (``１３９…``) and check characters (``Ｘ``), split by
spaces, hyphens, dashes or ideographic spaces (``360102 19900101 1234``, ``139　0791　5678``), right after ASCII
letters (``ID360102…``), landline area codes in parentheses (``（0791）86123456``). Matching runs on a normalised copy
of the text in which every character maps to exactly one character (full-width to ASCII, any non-line-breaking
whitespace or zero-width character to a space, any dash to ``-``), so a match's offsets are the same in the copy
and the original: only the matched spans are replaced (by ASCII), everything else stays exactly as typed.

What is not masked: an 18-character unified social credit code (public by law) -- no match may lie strictly inside
an alphanumeric run shaped like one -- dates (``2026-03-02``), document numbers (``洪教罚〔2026〕4号``), amounts.
The result never contains a full identifier again, so masking is idempotent. Regexes are linear (every repetition
is bounded, every match anchored on a non-digit), pure functions (no models), so migrations may use them too.
"""

from __future__ import annotations

import bisect
import re

# ---------------------------------------------------------------------------
# Normalisation: one character in, one character out.
# ---------------------------------------------------------------------------

_LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_NORMALISE: dict[int, str] = {
    **{0xFF10 + i: str(i) for i in range(10)},  # ０-９
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},  # Ａ-Ｚ
    **{0xFF41 + i: chr(0x61 + i) for i in range(26)},  # ａ-ｚ
    **{c: " " for c in range(0x3001) if chr(c).isspace() and chr(c) not in _LINE_BREAKS},
    0x3000: " ",  # ideographic space
    **dict.fromkeys((0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF), " "),  # soft hyphen, zero-width
    **dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D), "-"),
    0xFF08: "(",  # （
    0xFF09: ")",  # ）
    0xFF0B: "+",  # ＋
}


def _normalise(text: str) -> str:
    return text.translate(_NORMALISE)


# ---------------------------------------------------------------------------
# Patterns (on the normalised copy)
# ---------------------------------------------------------------------------

# Between digit groups: nothing, or a hyphen and/or up to two spaces on either side of it.
_SEP = r" {0,2}-? {0,2}"
_MMDD = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# A resident ID number: six-digit area code (provinces start 1-8), birth date, sequence (and check character for
# the 18-character form); the check character is not verified, since a mistyped ID number is personal data all the
# same. Letters before it do not stop a match ("ID360102…"); letters or digits after it do.
_CN_ID = re.compile(
    rf"(?<![0-9])([1-8][0-9]{{5}}){_SEP}"
    rf"(?:((?:19|20)[0-9]{{2}}{_MMDD}){_SEP}([0-9]{{3}}[0-9Xx])"  # 18 characters
    rf"|([0-9]{{2}}{_MMDD}){_SEP}([0-9]{{3}}))"  # 15 digits (YYMMDD)
    r"(?![0-9A-Za-z])"
)
# An eleven-digit mainland mobile number, optionally +86/86-prefixed and split 3-4-4.
_MOBILE = re.compile(rf"(?<![0-9])((?:\+?86 ?-? ?)?)(1[3-9][0-9]){_SEP}([0-9]{{4}}){_SEP}([0-9]{{4}})(?![0-9])")
# A landline with its area code (010 and 02x have three digits, every other area code four), the area code in
# parentheses or followed by a separator; the 7- or 8-digit local number may be split before its last 4 digits.
_AREA = r"010|02[0-9]|0[3-9][0-9]{2}"
_LANDLINE = re.compile(
    rf"(?<![0-9])(?:\( ?({_AREA}) ?\) ?|({_AREA}){_SEP})([2-9][0-9]{{2,3}}){_SEP}([0-9]{{4}})(?![0-9])"
)
# An alphanumeric run shaped like a unified social credit code (GB 32100: registration authority and type, six-digit
# area code, nine-character organisation code, check character; I O S V Z never occur). No match may lie strictly
# inside one; a match covering the whole run (an ID number ending in X) is masked.
_USCC_CHAR = "[0-9A-HJ-NPQRTUW-Y]"
_USCC = re.compile(rf"(?<![0-9A-Za-z]){_USCC_CHAR}{{2}}[0-9]{{6}}{_USCC_CHAR}{{10}}(?![0-9A-Za-z])")


def _id(match: re.Match) -> str:
    if match.group(2) is not None:
        return match.group(1) + "*" * 8 + match.group(3).upper()[-4:]
    return match.group(1) + "*" * 5 + (match.group(4) + match.group(5))[-4:]


def _mobile(match: re.Match) -> str:
    return f"{match.group(1)}{match.group(2)}****{match.group(4)}"


def _landline(match: re.Match) -> str:
    area = match.group(1) or match.group(2)
    local = match.group(3) + match.group(4)
    return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"


def _substitute(text: str, pattern: re.Pattern, replace) -> str:
    """``text`` with every match of ``pattern`` in its normalised copy replaced; the rest kept as typed."""
    normal = _normalise(text)
    codes = [m.span() for m in _USCC.finditer(normal)]
    starts = [start for start, _ in codes]
    pieces, done = [], 0
    for match in pattern.finditer(normal):
        start, end = match.span()
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= codes[i][1] and (start, end) != codes[i]:
            continue  # inside a unified social credit code: public, not personal data
        pieces += [text[done:start], replace(match)]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def mask_free_text(text: str | None) -> str:
    """``text`` with every resident ID number, mobile and landline number in it masked; idempotent."""
    if not text:
        return text or ""
    for pattern, replace in ((_CN_ID, _id), (_MOBILE, _mobile), (_LANDLINE, _landline)):
        text = _substitute(text, pattern, replace)
    return text
