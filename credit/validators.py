"""Validators and helpers for identifiers used on the credit-information portal.

Every ``validate_*`` function is a plain module-level callable, so it can be
put in a model field's ``validators=[...]`` list (Django serialises it by
import path in migrations).  They raise
:class:`django.core.exceptions.ValidationError` with a Simplified Chinese
message wrapped in ``gettext_lazy`` and a stable ``code``.  Nothing here
touches ``django.conf.settings`` at import time, so the module can also be
used (and the errors raised) before settings are configured.

Where python-stdnum covers a check it is used:

* ``stdnum.cn.ric``            - resident identity number check character (GB 11643-1999)
* ``stdnum.cn.uscc``           - unified social credit code check character (GB 32100-2015)
* ``stdnum.iso7064.mod_11_10`` - 15-digit business registration number (GB/T 17710 / ISO 7064 MOD 11,10)

The GB 11714 organisation-code check is hand-written because stdnum has no
module for it (see :func:`orgcode_check_char`).
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc
from stdnum.iso7064 import mod_11_10 as stdnum_mod_11_10

__all__ = [
    "USCC_PLACEHOLDER",
    "classify_org_code",
    "classify_school_or_org_code",
    "cn_id_birth_date",
    "cn_id_sex",
    "mask_cn_id",
    "mask_phone",
    "normalize_cn_id",
    "normalize_org_code",
    "normalize_phone",
    "orgcode_check_char",
    "impossible_date_reason",
    "parse_date",
    "uscc_check_char",
    "validate_cn_id",
    "validate_doc_number",
    "validate_org_code",
    "validate_school_code",
    "validate_school_or_org_code",
    "validate_person_name",
    "validate_phone",
    "validate_uscc",
    "validate_year",
]

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

# Full-width ASCII block (U+FF01..U+FF5E) -> half-width, ideographic space -> space,
# and the various dash look-alikes people paste from Word/Excel -> '-'.
_HALFWIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH_TABLE[0x3000] = ord(" ")
for _dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63":
    _HALFWIDTH_TABLE[ord(_dash)] = ord("-")
del _dash

_WHITESPACE_RE = re.compile(r"\s+")


def _to_text(value) -> str:
    if value is None:
        return ""
    return str(value)


def _halfwidth(value: str) -> str:
    return value.translate(_HALFWIDTH_TABLE)


def _compact(value) -> str:
    """Half-width, no whitespace anywhere, upper case."""
    return _WHITESPACE_RE.sub("", _halfwidth(_to_text(value))).upper()


def _today() -> datetime.date:
    """Today's date in the project's time zone (Asia/Shanghai).

    Uses ``timezone.localdate()`` when Django settings are configured with
    USE_TZ, otherwise falls back to the Asia/Shanghai wall clock (or the local
    date if tz data is unavailable) so the module works without settings.
    """
    from django.conf import settings

    if settings.configured and getattr(settings, "USE_TZ", False):
        from django.utils import timezone

        return timezone.localdate()
    try:
        from zoneinfo import ZoneInfo

        return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    except Exception:  # pragma: no cover - tzdata missing
        return datetime.date.today()


def _mask_middle(text: str) -> str:
    """Generic mask: keep 2 chars at each end (1 for short values), same length."""
    n = len(text)
    if n >= 8:
        return text[:2] + "*" * (n - 4) + text[-2:]
    if n > 4:
        return text[:1] + "*" * (n - 2) + text[-1:]
    return "*" * n


# ---------------------------------------------------------------------------
# Resident identity number (居民身份证号码, GB 11643-1999)
# ---------------------------------------------------------------------------

_CN_ID_RE = re.compile(r"^\d{17}[\dX]$")
_CN_ID_MIN_BIRTH = datetime.date(1900, 1, 1)


def normalize_cn_id(value: str) -> str:
    """Remove all whitespace, convert full-width characters to half-width and upper-case (x -> X)."""
    return _compact(value)


def _cn_id_format_error() -> ValidationError:
    return ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X"), code="cn_id_format")


def _checked_cn_id_format(value) -> str:
    number = normalize_cn_id(value)
    if _CN_ID_RE.match(number) is None:
        raise _cn_id_format_error()
    return number


def _cn_id_date(number: str) -> datetime.date:
    digits = number[6:14]
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("出生日期 %(date)s 不是有效日期"), code="cn_id_birth_date", params={"date": digits}
        ) from None


def validate_cn_id(value) -> None:
    """Validate an 18-character PRC resident identity number (GB 11643-1999)."""
    number = normalize_cn_id(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(_("15位旧版身份证号码已停用，请转换为18位身份证号码后再填写"), code="cn_id_legacy")
    if _CN_ID_RE.match(number) is None:
        raise _cn_id_format_error()
    # Only the major region digit is checked (1-8: 华北 … 台湾/港澳); no full
    # administrative-division table is kept because codes change over time.
    if number[0] not in "12345678":
        raise ValidationError(_("身份证号码前6位地区代码无效（第1位应为1至8）"), code="cn_id_region")
    birth = _cn_id_date(number)
    digits = number[6:14]
    if birth < _CN_ID_MIN_BIRTH:
        raise ValidationError(
            _("出生日期 %(date)s 早于1900年1月1日，不是有效的出生日期"),
            code="cn_id_birth_too_early",
            params={"date": digits},
        )
    if birth > _today():
        raise ValidationError(
            _("出生日期 %(date)s 晚于今天，不是有效的出生日期"),
            code="cn_id_birth_future",
            params={"date": digits},
        )
    # stdnum's calc_check_digit expects the full number (check char included).
    expected = stdnum_ric.calc_check_digit(number)
    if number[-1] != expected:
        raise ValidationError(_("校验位错误，应为 %(expected)s"), code="cn_id_checksum", params={"expected": expected})


def cn_id_sex(value) -> str:
    """Return '男' if the 17th digit is odd, else '女'. Only the format is checked."""
    number = _checked_cn_id_format(value)
    return "男" if int(number[16]) % 2 else "女"


def cn_id_birth_date(value) -> datetime.date:
    """Return the birth date encoded in an 18-character ID. Raises ValidationError on bad format/date."""
    return _cn_id_date(_checked_cn_id_format(value))


def mask_cn_id(value) -> str:
    """Mask an ID number for display: ``110105********002X``.

    Values that are not 18 characters keep their length and show at most two
    characters at each end; the full value is never returned for len > 4.
    """
    number = normalize_cn_id(value)
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    return _mask_middle(number)


# ---------------------------------------------------------------------------
# Organisation identifiers (统一社会信用代码 / 组织机构代码 / 工商注册号 / 税务登记证号)
# ---------------------------------------------------------------------------

#: 17 zeros + X: placeholder used for unlicensed 个体工商户.
USCC_PLACEHOLDER = "00000000000000000X"

# GB 32100-2015 character set: digits and upper-case letters except I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_RE = re.compile(rf"^[{_USCC_ALPHABET}]{{2}}\d{{6}}[{_USCC_ALPHABET}]{{10}}$")

_ORGCODE_RE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
_ORGCODE_HYPHEN_RE = re.compile(r"^([0-9A-Z]{8})-([0-9A-Z])$")
_ORGCODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ALNUM_RE = re.compile(r"^[0-9A-Z]+$")
_TAX_LENGTHS = (15, 17, 18, 20)

_ORG_KINDS_MESSAGE = _("应为18位统一社会信用代码，或9位组织机构代码、15位工商注册号、15至20位税务登记证号")


def normalize_org_code(value) -> str:
    """Strip whitespace, half-width, upper-case; ``XXXXXXXX-X`` becomes ``XXXXXXXXX``."""
    code = _compact(value)
    match = _ORGCODE_HYPHEN_RE.match(code)
    if match:
        code = match.group(1) + match.group(2)
    return code


def orgcode_check_char(body: str) -> str:
    """Check character of a GB 11714 organisation code for its 8-character body.

    Hand-written: python-stdnum has no GB 11714 module.  Digits count as their
    value, letters A=10 … Z=35; weights 3,7,9,10,5,8,4,2;
    C9 = 11 - (sum mod 11) with 10 -> 'X' and 11 -> '0'.
    """
    if len(body) != 8 or not _ALNUM_RE.match(body):
        raise ValueError("organisation code body must be 8 digits/upper-case letters")
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, _ORGCODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def _orgcode_is_valid(code: str) -> bool:
    return bool(_ORGCODE_RE.match(code)) and orgcode_check_char(code[:8]) == code[8]


def uscc_check_char(first17: str) -> str:
    """Check character of a unified social credit code for its first 17 characters (via stdnum)."""
    return stdnum_uscc.calc_check_digit(first17)


def _check_uscc(code: str) -> None:
    """Validate an already-normalised 18-character USCC (not the placeholder)."""
    # The charset check is done here rather than by stdnum.cn.uscc.validate(),
    # because stdnum requires the first 8 characters to be digits while
    # GB 32100 also allows letters for the registering authority / entity type
    # (e.g. N2… for 农村集体经济组织).  The check character comes from stdnum.
    if not _USCC_RE.match(code):
        raise ValidationError(
            _("统一社会信用代码格式错误：应为18位数字或大写字母（不含 I、O、Z、S、V），第3至8位为行政区划代码"),
            code="uscc_format",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误，应为 %(expected)s"), code="uscc_checksum", params={"expected": expected}
        )


def classify_org_code(value) -> str:
    """Classify and validate an organisation identifier.

    Returns ``'uscc'``, ``'uscc_placeholder'``, ``'orgcode'``, ``'bizreg'`` or ``'tax'``;
    raises ValidationError if the value is none of them.
    """
    code = normalize_org_code(value)
    length = len(code)

    if length == 18:
        if code == USCC_PLACEHOLDER:
            return "uscc_placeholder"
        _check_uscc(code)  # an 18-char value failing USCC is refused, never treated as tax number
        return "uscc"

    if length == 9:
        if not _ORGCODE_RE.match(code):
            raise ValidationError(
                _("组织机构代码格式错误：应为8位数字或大写字母加1位校验码（数字或X）"), code="orgcode_format"
            )
        expected = orgcode_check_char(code[:8])
        if code[8] != expected:
            raise ValidationError(
                _("组织机构代码校验位错误，应为 %(expected)s"), code="orgcode_checksum", params={"expected": expected}
            )
        return "orgcode"

    if length == 15 and code.isdigit():
        if stdnum_mod_11_10.is_valid(code):
            return "bizreg"
        # old-format tax registration number: 6-digit region code + 9-char org code
        if _orgcode_is_valid(code[6:]):
            return "tax"
        raise ValidationError(_("15位工商注册号或税务登记证号校验失败，请核对号码"), code="bizreg_checksum")

    if 15 <= length <= 20 and _ALNUM_RE.match(code):
        if length in _TAX_LENGTHS and _orgcode_is_valid(code[6:15]):
            return "tax"

    raise ValidationError(_ORG_KINDS_MESSAGE, code="org_code_invalid")


def validate_org_code(value) -> None:
    """Model-field validator accepting any kind recognised by :func:`classify_org_code`."""
    classify_org_code(value)


def validate_uscc(value) -> None:
    """Only an 18-character unified social credit code with a correct check character."""
    code = _compact(value)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位"), code="uscc_length")
    _check_uscc(code)


# ---------------------------------------------------------------------------
# 学校（机构）标识码: the Ministry of Education's 10-digit school identification code
# ---------------------------------------------------------------------------

# Structure from 《学校（机构）代码管理办法》(教发〔2011〕, the MoE's coding rule): 2-digit school category, 2-digit
# province (GB/T 2260), 6-digit serial (higher education: 0 + the old 5-digit school code). No check digit is defined,
# so the structure is what can be checked: ten digits, a known category, a known province.
SCHOOL_CATEGORY_CODES = frozenset(
    {
        "11",  # 幼儿园
        "21",  # 小学
        "22",  # 成人小学
        "31",  # 普通初中
        "32",  # 职业初中
        "33",  # 成人初中
        "34",  # 普通高中（完全中学）
        "35",  # 成人高中
        "36",  # 中等职业学校
        "37",  # 工读学校
        "41",  # 普通高等学校
        "42",  # 成人高等学校
        "51",  # 特殊教育学校
        "91",  # 培养研究生的科研机构
        "92",  # 民办的其他高等教育机构
        "93",  # 中等职业培训机构
    }
)
# Province-level division codes (GB/T 2260 first two digits); Jiangxi is 36.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_SCHOOL_CODE_RE = re.compile(r"^\d{10}$")


def validate_school_code(value) -> None:
    """A 10-digit 学校标识码: digits, a known school category (1st–2nd digits) and province (3rd–4th digits)."""
    code = _compact(value)
    if not _SCHOOL_CODE_RE.match(code):
        raise ValidationError(_("学校标识码应为10位数字"), code="school_code_format")
    if code[:2] not in SCHOOL_CATEGORY_CODES:
        raise ValidationError(
            _("学校标识码第1至2位“%(value)s”不是有效的学校类别码（如 21 小学、31 普通初中、34 普通高中）"),
            code="school_code_category",
            params={"value": code[:2]},
        )
    if code[2:4] not in PROVINCE_CODES:
        raise ValidationError(
            _("学校标识码第3至4位“%(value)s”不是有效的省级行政区划代码（江西为36）"),
            code="school_code_province",
            params={"value": code[2:4]},
        )


def classify_school_or_org_code(value) -> str:
    """``'school_code'`` for a valid 10-digit 学校标识码, else what :func:`classify_org_code` says (or raises)."""
    code = normalize_org_code(value)
    if len(code) == 10 and code.isdigit():
        validate_school_code(code)
        return "school_code"
    try:
        return classify_org_code(code)
    except ValidationError as exc:
        if exc.code == "org_code_invalid":
            raise ValidationError(
                _("应为10位学校标识码或18位统一社会信用代码，或9位组织机构代码、15位工商注册号、15至20位税务登记证号"),
                code="school_or_org_code_invalid",
            ) from None
        raise


def validate_school_or_org_code(value) -> None:
    """Model-field validator of the columns that accept a 学校标识码 as well as an organisation identifier."""
    classify_school_or_org_code(value)


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^(?:\+?86-?)?(1[3-9]\d{9})$")
# 0 + 2-3 digit area code, optional '-', 7-8 digit local number (never starts with 0/1), optional extension.
_LANDLINE_RE = re.compile(r"^(0\d{2,3})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")


def normalize_phone(value) -> str:
    """Remove whitespace and convert full-width characters/dashes to half-width."""
    return _WHITESPACE_RE.sub("", _halfwidth(_to_text(value)))


def _landline_parts(phone: str):
    """Split a landline into (area code, local number); 3-digit area codes are 010 and 02x."""
    match = _LANDLINE_RE.match(phone)
    if match is None:
        return None
    digits = match.group(1) + match.group(2)
    if "-" not in phone[: len(match.group(1)) + 1]:
        area_len = 3 if digits[1] in "12" else 4
        return digits[:area_len], digits[area_len:]
    return match.group(1), match.group(2)


def validate_phone(value) -> None:
    """Mainland mobile (optional +86/86 prefix) or landline with area code (optional extension)."""
    phone = normalize_phone(value)
    if _MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone):
        return
    raise ValidationError(
        _("联系方式应为手机号码或带区号的固定电话，例如 13800138000 或 0791-88888888"), code="phone_invalid"
    )


def mask_phone(value) -> str:
    """Mobile -> ``138****8000``; landline -> area code + ``****`` + last 2 digits; else a generic mask."""
    phone = normalize_phone(value)
    mobile = _MOBILE_RE.match(phone)
    if mobile:
        number = mobile.group(1)
        return number[:3] + "****" + number[-4:]
    parts = _landline_parts(phone)
    if parts:
        area, local = parts
        return area + "****" + local[-2:]
    return _mask_middle(phone)


# ---------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------

_MIDDLE_DOTS = "\u00b7\u30fb\u2027\u2022"  # · ・ ‧ •
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_NAME_RE = re.compile(rf"^[{_HAN}]+(?:[{_MIDDLE_DOTS}][{_HAN}]+)*$")
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN_NAME_RE = re.compile(rf"^[{_LATIN}]+(?:(?:\. ?|[ '\-])[{_LATIN}]+)*\.?$")
_HAN_CHAR_RE = re.compile(rf"[{_HAN}]")
_LATIN_CHAR_RE = re.compile(rf"[{_LATIN}]")


def validate_person_name(value) -> None:
    """2-30 characters: Chinese characters (with '·' for ethnic/foreign names) or Latin letters
    with spaces, dots, apostrophes and hyphens. No digits."""
    name = _to_text(value).strip()
    if any(ch.isdigit() for ch in name):
        raise ValidationError(_("姓名不能包含数字"), code="name_digits")
    if not 2 <= len(name) <= 30:
        raise ValidationError(_("姓名长度应为2至30个字符"), code="name_length")
    if _HAN_NAME_RE.match(name) or _LATIN_NAME_RE.match(name):
        return
    if _HAN_CHAR_RE.search(name) and _LATIN_CHAR_RE.search(name):
        raise ValidationError(_("姓名应全部为汉字或全部为英文字母，不能混用"), code="name_mixed")
    raise ValidationError(
        _(
            "姓名只能包含汉字（少数民族或外国人姓名可用间隔号“·”），或英文字母及空格、点、连字符，且符号不能在开头、结尾或连续出现"
        ),
        code="name_chars",
    )


# ---------------------------------------------------------------------------
# Years, document numbers
# ---------------------------------------------------------------------------

_MIN_YEAR = 1949
# No date of a credit record lies before this one (the validators accept years from 1949 throughout).
EARLIEST_DATE = datetime.date(_MIN_YEAR, 1, 1)


def validate_year(value) -> None:
    """An integer year between 1949 and next year (digit strings are accepted too)."""
    if isinstance(value, bool):
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, str) and value.strip().isdigit():
        year = int(value.strip())
    else:
        year = None
    if year is None:
        raise ValidationError(_("年份应为整数，例如 2026"), code="year_invalid")
    max_year = _today().year + 1
    if not _MIN_YEAR <= year <= max_year:
        raise ValidationError(
            _("年份应在 %(min)s 至 %(max)s 之间"), code="year_range", params={"min": _MIN_YEAR, "max": max_year}
        )


CN_ID_DOC_TYPE = "居民身份证"
_DOC_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{4,30}$")


def validate_doc_number(doc_type: str, value) -> None:
    """Validate a certificate number for the given certificate type (not a single-field validator)."""
    if doc_type == CN_ID_DOC_TYPE:
        validate_cn_id(value)
        return
    number = _halfwidth(_to_text(value)).strip()
    if not _DOC_NUMBER_RE.match(number):
        raise ValidationError(_("证件号码应为4至30位字母、数字或连字符"), code="doc_number_invalid")


# ---------------------------------------------------------------------------
# Dates (form input and spreadsheet import)
# ---------------------------------------------------------------------------

_EXCEL_MIN_SERIAL = 1
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_SEP_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$")
_DATE_CN_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_DATE_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_SERIAL_STR_RE = re.compile(r"^\d{5}(?:\.\d+)?$")


def _date_error() -> ValidationError:
    return ValidationError(_("日期格式应为 YYYY-MM-DD，例如 2026-02-28"), code="invalid_date")


def _from_excel_serial(serial) -> datetime.date:
    """Excel 1900 date system: 1 = 1900-01-01; 60 is Excel's fictitious 1900-02-29 (refused)."""
    try:
        number = float(serial)
    except (TypeError, ValueError, OverflowError):
        raise _date_error() from None
    if not math.isfinite(number):
        raise _date_error()
    days = math.floor(number)
    if not _EXCEL_MIN_SERIAL <= days <= _EXCEL_MAX_SERIAL or days == 60:
        raise _date_error()
    base = datetime.date(1899, 12, 31) if days < 60 else datetime.date(1899, 12, 30)
    return base + datetime.timedelta(days=days)


def _make_date(year: str, month: str, day: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        # The format was right: say what is wrong with the day (“2026年2月没有30日…”), as the import does.
        reason = impossible_date_reason(f"{year}-{month}-{day}")
        if reason:
            raise ValidationError(reason, code="invalid_date") from None
        raise _date_error() from None


def _date_parts(text: str) -> tuple[str, str, str] | None:
    """(year, month, day) of a date written in one of ``parse_date``'s text formats, possible or not."""
    match = _DATE_SEP_RE.match(text)
    if match:
        return match.group(1), match.group(3), match.group(4)
    match = _DATE_CN_RE.match(text) or _DATE_COMPACT_RE.match(text)
    return match.groups() if match else None


def impossible_date_reason(value) -> str | None:
    """Why ``value``, written in one of the formats ``parse_date`` accepts, is no day of the calendar: “2026年2月没有
    30日（该月只有 28 天）”, or that a month is 1 to 12. None for anything else (a real date, another format, not
    text), which ``parse_date`` refuses with the format message.

    A clerk who wrote 2026/2/30 wrote the format right and needs to hear what is wrong with the day: ``parse_date``
    (forms, the API, the imports) gives this reason instead of the format message.
    """
    if not isinstance(value, str):
        return None
    parts = _date_parts(_halfwidth(value).strip())
    if parts is None:
        return None
    year, month, day = (int(part) for part in parts)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    if not 1 <= month <= 12:
        return str(_("没有%(month)s月：月份应为 1 至 12") % {"month": month})
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return str(
            _("%(year)s年%(month)s月没有%(day)s日（该月只有 %(last)s 天）")
            % {"year": year, "month": month, "day": day, "last": last}
        )
    return None


def parse_date(value) -> datetime.date:
    """Parse a date from forms or spreadsheets.

    Accepts ``date``/``datetime`` objects; strings ``2026-02-28``, ``2026/2/28``,
    ``2026.2.28`` (optionally followed by a time, e.g. ``2026-02-28 00:00:00``),
    ``2026年2月28日`` and ``20260228``; Excel serial numbers (1900 date system,
    1..2958465) given as int/float/Decimal or as a 5-digit string such as
    ``'46081'``.  Anything else raises ValidationError: an impossible date in a right format names the day's
    problem (``impossible_date_reason``), the rest get the format message.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise _date_error()
    if isinstance(value, int | float | Decimal):
        return _from_excel_serial(value)
    if not isinstance(value, str):
        raise _date_error()

    text = _halfwidth(value).strip()
    parts = _date_parts(text)
    if parts is not None:
        return _make_date(*parts)
    if _EXCEL_SERIAL_STR_RE.match(text):
        try:
            return _from_excel_serial(Decimal(text))
        except InvalidOperation:  # pragma: no cover - regex guarantees a number
            raise _date_error() from None
    raise _date_error()
