"""Masking personal identifiers inside free text: before it reaches the public column (``publicity.masking``), and on
the staff's pages unless the audited reveal is used (``credit``). Below every app, so both can use it.

Clerks and reviewers type free text (违法行为, 处罚结果, 荣誉内容, 列入事由, 许可内容, corrected content, objection
replies) that may quote a person's resident ID number, mobile or landline number. The column masks them wherever
they appear, the same way it masks the subject's own identifier:

* 18-character resident ID numbers: first 6 + ``********`` + last 4 (``360102********1234``);
* 15-digit (first-generation) ID numbers: first 6 + ``*****`` + last 4, keeping the length (``360102*****1123``);
* mobiles: first 3 + ``****`` + last 4, a ``+86``/``0086``/``86`` country code kept as typed, also when typed onto
  the number (``139****5678``, ``+86139****5678``, ``0086-139****5678``);
* landlines with an area code: area code + ``-`` + one star per hidden digit + last 4 (``0791-****3456``).

People type these numbers in many ways: full-width digits (``１３９…``) and check characters (``Ｘ``), split by
spaces, hyphens, dashes or ideographic spaces (``360102 19900101 1234``, ``139　0791　5678``), right after ASCII
letters (``ID360102…``), landline area codes in parentheses (``（0791）86123456``). Matching runs on a normalised copy
of the text in which every character maps to exactly one character (full-width to ASCII, any non-line-breaking
whitespace or zero-width character to a space, any dash to ``-``), so a match's offsets are the same in the copy
and the original: only the matched spans are replaced (by ASCII), everything else stays exactly as typed.

Separators are not limited to the usual group boundaries: any digits joined by at most three separator characters
(spaces, hyphens and dashes, dots, slashes, underscores, ASCII commas, middle dots, their full-width forms; not the
Chinese comma, which separates clauses) form one digit
stream (``360102 1970 0101 0019``, ``139.0791.5678``, ``3 6 0 1 0 2 …``), and ID and mobile numbers are matched on
that stream, wherever they lie in it; the span from the first to the last digit of a match is replaced. A list of
numbers joined by commas or slashes (``13907915678,13807915678``, ``139 0791 5678 / 0791-86123456``) is read item by
item: each is masked, and a landline's local number never reaches across a comma or slash.

What is not masked: an 18-character unified social credit code (public by law) -- no match may lie strictly inside
an alphanumeric run shaped like one -- dates (``2026-03-02``), document numbers (``洪教罚〔2026〕4号``), amounts, and
the public institutional numbers of ``settings.PUBLIC_INSTITUTION_NUMBERS`` (the bureau's hotline), compared by
their digits. The result never contains a full identifier again, so masking is idempotent. Regexes are linear
(every repetition is bounded or separator-delimited), functions are pure (no models), so migrations may use them.
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
    0xFF0E: ".",  # ．
    0xFF0F: "/",  # ／
    0xFF3F: "_",  # ＿
    **dict.fromkeys((0x00B7, 0x30FB, 0xFF65, 0x2027), "\u00b7"),  # middle dots
    0xFF08: "(",  # （
    0xFF09: ")",  # ）
    0xFF0B: "+",  # ＋
}


def _normalise(text: str) -> str:
    return text.translate(_NORMALISE)


# ---------------------------------------------------------------------------
# Patterns (on the normalised copy)
# ---------------------------------------------------------------------------

# Characters that may join the digit groups of one number, and how many in a row (" - ", ". ").
_SEP_CHARS = r" \-./_,\u00b7"
_SEP = rf"[{_SEP_CHARS}]{{0,3}}"
_MMDD = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# A resident ID number on a digit stream: six-digit area code (provinces start 1-8), birth date, sequence (and check
# character for the 18-character form); the check character is not verified, since a mistyped ID number is personal
# data all the same.
_CN_ID = re.compile(rf"[1-8][0-9]{{5}}(?:(?:19|20)[0-9]{{2}}{_MMDD}[0-9]{{3}}[0-9Xx]|[0-9]{{2}}{_MMDD}[0-9]{{3}})")
# An eleven-digit mainland mobile number on a digit stream (a +86/86 prefix stays as typed).
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# A date at the start of a candidate number (1999-01-01 100元 is a date and an amount, not a mobile): written with
# hyphens, dots or slashes only. Spaces (or commas, underscores…) also group the digits of a typed mobile, whose
# first digits may read as a date (1900 01 1 0 000 is 19000110000): a date so written stays unmasked only if no
# mobile can be read in it.
_DATE = re.compile(r"(?:19|20)[0-9]{2}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])")
# A country code right before a mobile: 86, +86 or 0086, set apart by separators or joined on (+8613907915678).
_PREFIX = re.compile(rf"(?<![0-9])(?:\+|00)?[{_SEP_CHARS}]{{0,3}}86[{_SEP_CHARS}]{{0,3}}$")
_COUNTRY_CODES = ("86", "0086")
# What may stand between a number and the digits of the next item in a list (13907915678,13807915678, 139 0791 5678
# / 0791-86123456): spaces and one comma or slash.
_LIST_JOINER = re.compile(r" *[,/] *")
# Digits joined by separators (and an ID number's trailing check character): one stream to match on.
_STREAM = re.compile(rf"[0-9]+(?:[{_SEP_CHARS}]{{1,3}}[0-9]+)*(?:[{_SEP_CHARS}]{{0,3}}[Xx](?![0-9A-Za-z]))?")
# A landline with its area code (010 and 02x have three digits, every other area code four), the area code in
# parentheses or followed by a separator; the 7- or 8-digit local number may be split before its last 4 digits.
_AREA = r"010|02[0-9]|0[3-9][0-9]{2}"
# The local number is not split by a comma or slash: those join list items (139 0791 5678 / 0791-86123456), and a
# local number reaching across one would take the mobile's last digits for its own.
_LOCAL_SEP = rf"[{_SEP_CHARS.replace(',', '').replace('/', '')}]{{0,3}}"
_LANDLINE = re.compile(
    rf"(?<![0-9])(?:\( ?({_AREA}) ?\) ?|({_AREA}){_SEP})([2-9][0-9]{{2,3}}){_LOCAL_SEP}([0-9]{{4}})(?![0-9])"
)
# An alphanumeric run shaped like a unified social credit code (GB 32100: registration authority and type, six-digit
# area code, nine-character organisation code, check character; I O S V Z never occur). No match may lie strictly
# inside one; a match covering the whole run (an ID number ending in X) is masked.
_USCC_CHAR = "[0-9A-HJ-NPQRTUW-Y]"
_USCC = re.compile(rf"(?<![0-9A-Za-z]){_USCC_CHAR}{{2}}[0-9]{{6}}{_USCC_CHAR}{{10}}(?![0-9A-Za-z])")


def _allowed() -> frozenset[str]:
    """The digits of every public institutional number (``settings.PUBLIC_INSTITUTION_NUMBERS``)."""
    from django.conf import settings

    numbers = getattr(settings, "PUBLIC_INSTITUTION_NUMBERS", ()) if settings.configured else ()
    return frozenset(d for d in ("".join(c for c in _normalise(n) if c.isdigit()) for n in numbers) if d)


def _landline(match: re.Match) -> str:
    if "".join(c for c in _normalise(match.group(0)) if c.isdigit()) in _allowed():
        return match.group(0)
    area = match.group(1) or match.group(2)
    local = match.group(3) + match.group(4)
    return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"


def _uscc_spans(normal: str) -> tuple[list[tuple[int, int]], list[int]]:
    codes = [m.span() for m in _USCC.finditer(normal)]
    return codes, [start for start, _ in codes]


def _inside_code(codes: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether ``start:end`` lies strictly inside a unified social credit code (public, not personal data)."""
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and end <= codes[i][1] and (start, end) != codes[i]


def _substitute(text: str, pattern: re.Pattern, replace) -> str:
    """``text`` with every match of ``pattern`` in its normalised copy replaced; the rest kept as typed."""
    normal = _normalise(text)
    codes, starts = _uscc_spans(normal)
    pieces, done = [], 0
    for match in pattern.finditer(normal):
        start, end = match.span()
        if _inside_code(codes, starts, start, end):
            continue
        replacement = replace(match)
        if replacement == match.group(0):
            continue
        pieces += [text[done:start], replacement]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _prefix(normal: str, start: int) -> re.Match | None:
    """The country code right before ``start`` (searched in the few characters it can take: linear time)."""
    return _PREFIX.search(normal, max(0, start - 12), start)


def _inside_date(dates: list[tuple[int, int]], date_starts: list[int], at: int) -> bool:
    """Whether the boundary ``at`` falls strictly inside a date (``dates`` sorted, not overlapping)."""
    i = bisect.bisect_left(date_starts, at) - 1
    return i >= 0 and at < dates[i][1]


# The numbers read on a digit stream, in the order they are tried: pattern, lengths, digits kept in front.
_NUMBERS = ((_CN_ID, (18, 15), 6), (_MOBILE, (11,), 3))


def _mask_streams(text: str) -> str:
    """``text`` with the ID and mobile numbers found on its digit streams replaced by their masked forms.

    A number starts where a typed digit group starts (or right after a country code typed onto it, ``+8613907915678``)
    and ends where one ends (``2026 1234567890123456`` is no ID number). Digits before or after it in the same stream
    are set apart by spaces (in ``2000-01-13 2000-01-01 1`` the digits from ``13`` on are dates, not a mobile), by a
    list's comma or slash (``13907915678,13807915678``, ``139 0791 5678 / 0791-86123456``), or are another whole
    number (``13907915678-13807915678``); in between, any grouping goes. A number never starts or ends inside a date
    (``2000/01/13 2000 0101 1`` holds none).
    """
    normal = _normalise(text)
    codes, starts = _uscc_spans(normal)
    dates = [m.span() for m in _DATE.finditer(normal)]
    date_starts = [start for start, _ in dates]
    allowed = _allowed()
    spans: list[tuple[int, int, str]] = []
    for run in _STREAM.finditer(normal):
        where = [run.start() + i for i, c in enumerate(run.group(0)) if c in "0123456789Xx"]
        stream = "".join(normal[i] for i in where)
        heads = {i for i in range(len(where)) if i == 0 or where[i] - where[i - 1] > 1}
        tails = {i for i in range(len(where)) if i == len(where) - 1 or where[i + 1] - where[i] > 1}
        joined = [h + len(cc) for h in heads for cc in _COUNTRY_CODES if stream.startswith(cc, h)]
        firsts = sorted(heads | {i for i in joined if i < len(where)})
        # Every whole number the stream holds, whatever stands beside it: (first, last, pattern, kept digits).
        numbers = []
        for pattern, lengths, keep in _NUMBERS:
            for first in firsts:
                for length in lengths:
                    last = first + length - 1
                    if last not in tails or not pattern.fullmatch(stream[first : last + 1]):
                        continue
                    start, end = where[first], where[last] + 1
                    if first not in heads and not (pattern is _MOBILE and _prefix(normal, start)):
                        continue  # only a mobile starts inside a digit group: after a country code typed onto it
                    if pattern is _MOBILE and _DATE.match(normal, start):
                        continue
                    if stream[first : last + 1] in allowed or _inside_code(codes, starts, start, end):
                        continue
                    if _inside_date(dates, date_starts, start) or _inside_date(dates, date_starts, end):
                        continue
                    numbers.append((first, last, pattern, keep))
        ends, begins = {n[1] for n in numbers}, {n[0] for n in numbers}
        # A number read across a list's comma or slash (1 0 0 0,3 60102… as 100036010220000) comes after those read
        # within one item: it would take the first digits of the next.
        numbers.sort(key=lambda n: any(c in ",/" for c in normal[where[n[0]] : where[n[1]]]))
        taken = [False] * len(where)
        for first, last, pattern, keep in numbers:
            if any(taken[first : last + 1]):
                continue
            start, end = where[first], where[last] + 1
            prefix = _prefix(normal, start) if pattern is _MOBILE else None
            before = normal[where[first - 1] + 1 : start] if first else " "
            after = normal[end : where[last + 1]] if last + 1 < len(where) else " "
            if not (not before.strip(" ") or _LIST_JOINER.fullmatch(before) or first - 1 in ends or prefix):
                continue  # digits joined on by a hyphen, dot …: part of something else (2000-01-13 2000…)
            if not (not after.strip(" ") or _LIST_JOINER.fullmatch(after) or last + 1 in begins):
                continue
            if prefix:  # +86/86 before a mobile is written the usual way
                start = prefix.start()
            digits = stream[first : last + 1]
            masked = digits[:keep] + "*" * (len(digits) - keep - 4) + digits[-4:].upper()
            spans.append((start, end, (prefix.group(0) if prefix else "") + masked))
            taken[first : last + 1] = [True] * len(digits)
    if not spans:
        return text
    pieces, done = [], 0
    for start, end, masked in sorted(spans):
        pieces += [text[done:start], masked]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


# ---------------------------------------------------------------------------
# Door-level address detail (the public column, natural persons' entries)
# ---------------------------------------------------------------------------

# A number and the unit it counts in an address: 88号, 5栋, 1单元, 302室, 3组, 12号楼, 1-302, 三栋, 五〇二室. Digits may be
# full-width (matched on the normalised copy) or Chinese numerals, a building-room pair joined by a hyphen.
_CN_NUMERALS = "零〇一二两三四五六七八九十百"
_ADDR_NUM = rf"(?:[0-9]{{1,5}}(?:-[0-9]{{1,5}})?|[{_CN_NUMERALS}]{{1,4}})"
_ADDR_UNIT = r"号楼|号院|单元|号|栋|幢|座|楼|层|室|户|组|弄|排"
_ADDR_TOKEN = rf"{_ADDR_NUM}(?:{_ADDR_UNIT})"
# A chain of such tokens, and a bare room number after a building or unit (3栋2单元501, B座1502: a building may be a
# letter). Masked when it can only be an address: two or more tokens (5栋302室, 3组15号), a building and a bare room
# number (5栋1-302), a room (302室), a house number right after a street, lane, village or estate (北京东路88号), a
# village group right after its village (幸福村12组), or building-unit-room written with hyphens right after an estate
# (XX小区3-2-501; a date's year has four digits). One 号 alone is a document or serial number (洪教罚〔2026〕4号, 第3号),
# one 组 away from a village a group (第3组), one 层 or 户 a floor or a count (教学楼3层, 共3户): they stay.
_ADDR_ROOM = rf"{_ADDR_NUM}(?![0-9A-Za-z{_CN_NUMERALS}年月日时分秒元万人个次件名所])"
_ADDRESS = re.compile(
    rf"(?<![0-9A-Za-z\-{_CN_NUMERALS}])(?:(?:{_ADDR_TOKEN}){{2,}}(?:{_ADDR_ROOM})?"
    rf"|(?:(?:{_ADDR_NUM}|[A-Za-z])(?:栋|幢|座|号楼|单元))+{_ADDR_ROOM}"
    rf"|{_ADDR_NUM}室"
    rf"|(?<=[路街道巷弄村里屯院苑庄湾园])(?:{_ADDR_NUM})(?:号楼|号院|号|弄)"
    rf"|(?<=[村屯庄湾])(?:{_ADDR_NUM})组"
    rf"|(?<=[区苑园村庄院里湾城寓厦舍])[0-9]{{1,3}}(?:-[0-9]{{1,5}}){{2}}"
    rf"(?![0-9A-Za-z\-{_CN_NUMERALS}年月日时分秒元万人个次件名所]))"
)


def mask_addresses(text: str | None) -> str:
    """``text`` with the door-level detail of street addresses masked, every digit or Chinese numeral of it a star (``北京东路88号5栋
    1单元302室`` → ``北京东路**号*栋*单元***室``): the street stays readable, the home cannot be found. For the public
    column's natural-person entries (``publicity.masking.mask_personal_text``), where a home address is personal data;
    a school's or company's address is public and is not passed through it. Idempotent (stars are not numerals)."""
    if not text:
        return text or ""
    return _substitute(text, _ADDRESS, lambda m: re.sub(f"[0-9{_CN_NUMERALS}]", "*", m.group(0)))


def mask_free_text(text: str | None) -> str:
    """``text`` with every resident ID number, mobile and landline number in it masked; idempotent."""
    if not text:
        return text or ""
    return _substitute(_mask_streams(text), _LANDLINE, _landline)
