"""Tests for credit.validators (pure functions; no database)."""

import datetime
import sys
from decimal import Decimal
from pathlib import Path

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
if _PROJECT_ROOT not in sys.path:
    sys.path.insert(0, _PROJECT_ROOT)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if not settings.configured:  # harmless when pytest-django already configured the project settings
    settings.configure(USE_I18N=False, USE_TZ=True, TIME_ZONE="Asia/Shanghai")
    django.setup()

import pytest  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from stdnum.cn import ric as stdnum_ric  # noqa: E402
from stdnum.cn import uscc as stdnum_uscc  # noqa: E402
from stdnum.iso7064 import mod_11_10  # noqa: E402

from credit import validators as v  # noqa: E402

FIXED_TODAY = datetime.date(2026, 2, 28)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(v, "_today", lambda: FIXED_TODAY)
    return FIXED_TODAY


def make_id(region: str = "360102", birth: str = "19900101", seq: str = "123") -> str:
    body = region + birth + seq
    assert len(body) == 17
    return body + stdnum_ric.calc_check_digit(body + "0")


def wrong_check(number: str, alphabet: str = "0123456789X") -> str:
    return number[:-1] + next(ch for ch in alphabet if ch != number[-1])


def make_uscc(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


def ref_orgcode_check(body8: str) -> str:
    """Independent reference implementation of GB 11714 for cross-checking."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    c9 = 11 - sum(x * w for x, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def make_orgcode(body8: str) -> str:
    return body8 + ref_orgcode_check(body8)


def make_bizreg(body14: str) -> str:
    return body14 + mod_11_10.calc_check_digit(body14)


def error_of(func, *args) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        func(*args)
    return exc.value


def message_of(func, *args) -> str:
    return str(error_of(func, *args).messages[0])


# ---------------------------------------------------------------------------
# Resident identity number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("110105\u300019491231002X", "11010519491231002X"),
        (None, ""),
    ],
)
def test_normalize_cn_id(raw, expected):
    assert v.normalize_cn_id(raw) == expected


def test_must_hold_valid_example():
    v.validate_cn_id("11010519491231002X")
    assert v.cn_id_sex("11010519491231002X") == "女"
    assert v.cn_id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    "number",
    [
        make_id("110105", "19491231", "002"),
        make_id("360102", "19000101", "001"),
        make_id("810000", "20000229", "017"),
        make_id("510104", "19850615", "999"),
        make_id("360111", "20260228", "123"),  # born "today"
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
    ],
)
def test_validate_cn_id_valid(number, fixed_today):
    v.validate_cn_id(number)


def test_generated_ids_cover_x_and_digit_checks():
    checks = {make_id(birth="19900101", seq=f"{i:03d}")[-1] for i in range(40)}
    assert "X" in checks and checks - {"X"}
    for i in range(40):
        v.validate_cn_id(make_id(birth="19900101", seq=f"{i:03d}"))


@pytest.mark.parametrize(
    "number",
    ["", "1101051949123100", "11010519491231002XX", "1101051949123100XX", "11010519491231002A", "A1010519491231002X"],
)
def test_validate_cn_id_format(number):
    err = error_of(v.validate_cn_id, number)
    assert err.code == "cn_id_format"
    assert str(err.messages[0]) == "身份证号码应为18位，前17位为数字，最后一位为数字或X"


def test_validate_cn_id_legacy_15_digits():
    err = error_of(v.validate_cn_id, "110105491231002")
    assert err.code == "cn_id_legacy"
    assert "18位" in str(err.messages[0])


@pytest.mark.parametrize("first", ["0", "9"])
def test_validate_cn_id_region(first):
    err = error_of(v.validate_cn_id, make_id(first + "10105"))
    assert err.code == "cn_id_region"


@pytest.mark.parametrize("birth", ["19490231", "19491332", "19490001", "19490100", "19000229", "20230229"])
def test_validate_cn_id_impossible_birth_date(birth):
    err = error_of(v.validate_cn_id, make_id("110105", birth))
    assert err.code == "cn_id_birth_date"
    assert str(err.messages[0]) == f"出生日期 {birth} 不是有效日期"


def test_validate_cn_id_future_birth_date(fixed_today):
    err = error_of(v.validate_cn_id, make_id(birth="20260301"))
    assert err.code == "cn_id_birth_future"
    assert "20260301" in str(err.messages[0])


def test_validate_cn_id_far_future_birth_date_real_clock():
    err = error_of(v.validate_cn_id, make_id(birth="20990101"))
    assert err.code == "cn_id_birth_future"


def test_validate_cn_id_tomorrow_real_clock():
    tomorrow = v._today() + datetime.timedelta(days=1)
    err = error_of(v.validate_cn_id, make_id(birth=tomorrow.strftime("%Y%m%d")))
    assert err.code == "cn_id_birth_future"


def test_validate_cn_id_before_1900():
    err = error_of(v.validate_cn_id, make_id(birth="18991231"))
    assert err.code == "cn_id_birth_too_early"
    assert "18991231" in str(err.messages[0])


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("110105194912310020", "X"),
        ("110105194912310021", "X"),
        (wrong_check(make_id(seq="001")), make_id(seq="001")[-1]),
        (wrong_check(make_id(seq="002")), make_id(seq="002")[-1]),
        (wrong_check(make_id(seq="777")), make_id(seq="777")[-1]),
    ],
)
def test_validate_cn_id_wrong_check_char(number, expected):
    err = error_of(v.validate_cn_id, number)
    assert err.code == "cn_id_checksum"
    assert str(err.messages[0]) == f"校验位错误，应为 {expected}"


@pytest.mark.parametrize(("seq", "sex"), [("001", "男"), ("002", "女"), ("119", "男"), ("990", "女")])
def test_cn_id_sex(seq, sex):
    assert v.cn_id_sex(make_id(seq=seq)) == sex


def test_cn_id_sex_and_birth_date_reject_bad_format():
    assert error_of(v.cn_id_sex, "12345").code == "cn_id_format"
    assert error_of(v.cn_id_birth_date, "abc").code == "cn_id_format"
    assert error_of(v.cn_id_birth_date, make_id(birth="19490231")).code == "cn_id_birth_date"


def test_cn_id_birth_date():
    assert v.cn_id_birth_date(make_id(birth="20000229")) == datetime.date(2000, 2, 29)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("110105491231002", "11***********02"),
        ("AB123456", "AB****56"),
        ("12345", "1***5"),
        ("1234567", "1*****7"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_cn_id(raw, masked):
    assert v.mask_cn_id(raw) == masked


@pytest.mark.parametrize("length", range(5, 31))
def test_mask_never_returns_full_value(length):
    value = "".join(str(i % 10) for i in range(1, length + 1))
    masked = v.mask_cn_id(value)
    assert masked != value
    assert len(masked) == length
    assert "*" in masked


# ---------------------------------------------------------------------------
# Organisation identifiers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["D2143569", "M000100Y", "60003734", "00000000", "ZZZZZZZZ", "12345678", "ABCDEFGH"])
def test_orgcode_check_char_matches_reference(body):
    assert v.orgcode_check_char(body) == ref_orgcode_check(body)


def test_orgcode_check_char_known_values():
    assert v.orgcode_check_char("D2143569") == "X"
    assert v.orgcode_check_char("M000100Y") == "4"
    # produce both special cases (10 -> X, 11 -> 0) somewhere in a small sweep
    checks = {v.orgcode_check_char(f"{i:08d}") for i in range(200)}
    assert {"X", "0"} <= checks


def test_orgcode_check_char_rejects_bad_body():
    with pytest.raises(ValueError):
        v.orgcode_check_char("1234567")
    with pytest.raises(ValueError):
        v.orgcode_check_char("1234567a")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("d2143569-x", "D2143569X"),
        (" D2143569－X ", "D2143569X"),
        ("Ｄ２１４３５６９－Ｘ", "D2143569X"),
        ("D2143569—X", "D2143569X"),
        ("91350100m000100y43", "91350100M000100Y43"),
        ("9135 0100 M000 100Y 43", "91350100M000100Y43"),
        ("D214-3569X", "D214-3569X"),  # hyphen only removed in the XXXXXXXX-X form
    ],
)
def test_normalize_org_code(raw, expected):
    assert v.normalize_org_code(raw) == expected


USCC_OK = [
    "91350100M000100Y43",
    "91110000600037341L",
    make_uscc("12360100" + "491234567"),
    make_uscc("52360102" + "MJD123456"),
    make_uscc("N2360102" + "MA0000000"),  # letters allowed in the first two positions by GB 32100
]


@pytest.mark.parametrize("code", USCC_OK)
def test_classify_uscc(code):
    assert v.classify_org_code(code) == "uscc"
    assert v.classify_org_code(code.lower()) == "uscc"
    v.validate_uscc(code)
    v.validate_org_code(code)


def test_must_hold_uscc():
    v.validate_uscc("91350100M000100Y43")
    assert v.classify_org_code("91350100M000100Y43") == "uscc"


@pytest.mark.parametrize("code", USCC_OK)
def test_uscc_wrong_check_char(code):
    bad = wrong_check(code, alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY")
    for func in (v.classify_org_code, v.validate_uscc, v.validate_org_code):
        err = error_of(func, bad)
        assert err.code == "uscc_checksum"
        assert str(err.messages[0]) == f"统一社会信用代码校验位错误，应为 {code[-1]}"


def test_uscc_check_char_helper():
    assert v.uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code",
    [
        "91350100I000100Y43",  # I
        "91350100O000100Y43",  # O
        "9135010Z0000100Y43",  # Z in region code
        "91350100S000100Y43",  # S
        "91350100V000100Y43",  # V
        "913501A0M000100Y43",  # letter in region code
        "91350100M000100Y4-",
    ],
)
def test_uscc_charset(code):
    err = error_of(v.classify_org_code, code)
    assert err.code == "uscc_format"
    assert "I、O、Z、S、V" in str(err.messages[0])


def test_uscc_placeholder():
    assert v.classify_org_code("00000000000000000X") == "uscc_placeholder"
    assert v.classify_org_code("00000000000000000x") == "uscc_placeholder"
    v.validate_org_code("00000000000000000X")
    # but it is not a real unified social credit code
    assert error_of(v.validate_uscc, "00000000000000000X").code == "uscc_checksum"


def test_18_char_failing_uscc_is_not_tax():
    # 6-digit region + valid org code + 3 chars: would satisfy the tax rule, must still be refused
    code = "360102" + make_orgcode("D2143569") + "ABC"
    assert len(code) == 18
    assert not stdnum_uscc.is_valid(code)
    with pytest.raises(ValidationError):
        v.classify_org_code(code)


@pytest.mark.parametrize("code", ["D2143569X", "d2143569-x", "M000100Y4", "M000100Y-4", "600037341", "123456789"])
def test_classify_orgcode(code):
    if v.normalize_org_code(code) == "123456789":
        code = make_orgcode("12345678")
    assert v.classify_org_code(code) == "orgcode"


def test_orgcode_wrong_check_char():
    err = error_of(v.classify_org_code, "D21435691")
    assert err.code == "orgcode_checksum"
    assert str(err.messages[0]) == "组织机构代码校验位错误，应为 X"
    err = error_of(v.classify_org_code, "M000100Y-5")
    assert str(err.messages[0]) == "组织机构代码校验位错误，应为 4"


@pytest.mark.parametrize("code", ["D2143569A", "D2143569-A", "D214356-9X"])
def test_orgcode_bad_format(code):
    with pytest.raises(ValidationError):
        v.classify_org_code(code)


@pytest.mark.parametrize("body", ["11010000000001", "36010200012345", "36010000000999"])
def test_classify_bizreg(body):
    code = make_bizreg(body)
    assert mod_11_10.is_valid(code)
    assert v.classify_org_code(code) == "bizreg"


def test_classify_15_digit_tax():
    code = "360102" + make_orgcode("60003734")
    assert code.isdigit() and len(code) == 15
    assert not mod_11_10.is_valid(code)
    assert v.classify_org_code(code) == "tax"


def test_15_digit_failing_both_checks():
    body = "36010200012345"
    good = make_bizreg(body)
    for digit in "0123456789":
        code = body + digit
        if code == good or v._orgcode_is_valid(code[6:]):
            continue
        err = error_of(v.classify_org_code, code)
        assert err.code == "bizreg_checksum"
        assert "校验" in str(err.messages[0])
        break
    else:  # pragma: no cover
        pytest.fail("no failing candidate found")


@pytest.mark.parametrize(
    "code",
    [
        "360102" + make_orgcode("D2143569"),  # 15 chars with a letter
        "360102" + make_orgcode("D2143569") + "01",  # 17
        "360102" + make_orgcode("MA35ABCD") + "00001",  # 20
    ],
)
def test_classify_alnum_tax(code):
    assert v.classify_org_code(code) == "tax"


KINDS_MESSAGE = "应为18位统一社会信用代码，或9位组织机构代码、15位工商注册号、15至20位税务登记证号"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "12345",
        "1234567890",
        "12345678901234567890123",
        "360102" + make_orgcode("D2143569") + "0",  # 16 chars: not an accepted tax length
        "360102" + make_orgcode("D2143569") + "0000",  # 19 chars
        "360102" + "D21435691" + "01",  # 17 chars, embedded org code check wrong
        "360102D2143569X#",
        "中文单位代码",
    ],
)
def test_classify_invalid_kinds(code):
    err = error_of(v.classify_org_code, code)
    assert err.code == "org_code_invalid"
    assert str(err.messages[0]) == KINDS_MESSAGE


@pytest.mark.parametrize("code", ["D2143569X", "12345", "9135010"])
def test_validate_uscc_only_accepts_uscc(code):
    err = error_of(v.validate_uscc, code)
    assert err.code == "uscc_length"


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

PHONE_OK = [
    "13800138000",
    "19912345678",
    "+8613800138000",
    "8613800138000",
    "+86-13800138000",
    "138 0013 8000",
    "１３８００１３８０００",
    "0791-88888888",
    "079188888888",
    "010-62345678",
    "01062345678",
    "0791-8888888",
    "0791-88888888-123",
    "0791－88888888",
    "020-87654321",
]


@pytest.mark.parametrize("phone", PHONE_OK)
def test_validate_phone_ok(phone):
    v.validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "12800138000",
        "1380013800",
        "138001380000",
        "+8713800138000",
        "88888888",
        "0791-888888",
        "0791-888888888",
        "0791-08888888",
        "0791-88888888-",
        "0791-88888888-1234567",
        "791-88888888",
        "13800138000a",
        "电话",
    ],
)
def test_validate_phone_bad(phone):
    err = error_of(v.validate_phone, phone)
    assert err.code == "phone_invalid"
    assert str(err.messages[0]) == "联系方式应为手机号码或带区号的固定电话，例如 13800138000 或 0791-88888888"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("0791-88888812", "0791****12"),
        ("079188888812", "0791****12"),
        ("010-62345678", "010****78"),
        ("01062345678", "010****78"),
        ("020-8765432", "020****32"),
        ("0791-88888812-123", "0791****12"),
        ("abcdefgh", "ab****gh"),
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert v.mask_phone(phone) == masked


# ---------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "张三",
        "欧阳娜娜",
        "买买提·艾力",
        "阿卜杜拉·买买提·吐尔逊",
        "李〇",
        "John Smith",
        "Mary-Jane O'Neil",
        "J. R. R. Tolkien",
        "Zoë Renée",
        "Li",
        " 王五 ",
        "张" * 30,
    ],
)
def test_validate_person_name_ok(name):
    v.validate_person_name(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("张三1", "name_digits"),
        ("John2", "name_digits"),
        ("张", "name_length"),
        ("", "name_length"),
        ("张" * 31, "name_length"),
        ("张San", "name_mixed"),
        ("·张三", "name_chars"),
        ("张三·", "name_chars"),
        ("张··三", "name_chars"),
        ("张 三", "name_chars"),
        ("张@三", "name_chars"),
        ("John  Smith", "name_chars"),
        ("-John", "name_chars"),
    ],
)
def test_validate_person_name_bad(name, code):
    err = error_of(v.validate_person_name, name)
    assert err.code == code
    assert str(err.messages[0])


# ---------------------------------------------------------------------------
# Years and document numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1949, 2000, 2026, 2027, "2025", " 2026 "])
def test_validate_year_ok(year, fixed_today):
    v.validate_year(year)


@pytest.mark.parametrize("year", [1948, 2028, 0, -1])
def test_validate_year_range(year, fixed_today):
    err = error_of(v.validate_year, year)
    assert err.code == "year_range"
    assert str(err.messages[0]) == "年份应在 1949 至 2027 之间"


@pytest.mark.parametrize("year", [None, True, 2026.0, "二〇二六", "2026年", ""])
def test_validate_year_invalid(year):
    assert error_of(v.validate_year, year).code == "year_invalid"


def test_validate_year_real_clock():
    v.validate_year(v._today().year + 1)
    with pytest.raises(ValidationError):
        v.validate_year(v._today().year + 2)


def test_validate_doc_number_cn_id():
    v.validate_doc_number("居民身份证", "11010519491231002X")
    assert error_of(v.validate_doc_number, "居民身份证", "110105194912310020").code == "cn_id_checksum"
    assert error_of(v.validate_doc_number, "居民身份证", "E12345678").code == "cn_id_format"


@pytest.mark.parametrize("number", ["E12345678", "G1234", "HK-123456", "ａｂｃ１２３", "A" * 30])
def test_validate_doc_number_other_ok(number):
    v.validate_doc_number("护照", number)


@pytest.mark.parametrize("number", ["", "123", "A" * 31, "E123 456", "E123_456", "护照123"])
def test_validate_doc_number_other_bad(number):
    err = error_of(v.validate_doc_number, "护照", number)
    assert err.code == "doc_number_invalid"
    assert str(err.messages[0]) == "证件号码应为4至30位字母、数字或连字符"


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

D = datetime.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2026, 2, 28), D(2026, 2, 28)),
        (datetime.datetime(2026, 2, 28, 23, 59), D(2026, 2, 28)),
        ("2026-02-28", D(2026, 2, 28)),
        (" 2026-2-8 ", D(2026, 2, 8)),
        ("2026/2/28", D(2026, 2, 28)),
        ("2026/02/28", D(2026, 2, 28)),
        ("2026.2.28", D(2026, 2, 28)),
        ("2026年2月28日", D(2026, 2, 28)),
        ("2026年02月28日", D(2026, 2, 28)),
        ("２０２６年２月２８日", D(2026, 2, 28)),
        ("20260228", D(2026, 2, 28)),
        ("2026-02-28 00:00:00", D(2026, 2, 28)),
        ("2024-02-29", D(2024, 2, 29)),
        (46081, D(2026, 2, 28)),
        (46081.75, D(2026, 2, 28)),
        (Decimal("46081"), D(2026, 2, 28)),
        ("46081", D(2026, 2, 28)),
        ("46081.5", D(2026, 2, 28)),
        (1, D(1900, 1, 1)),
        (59, D(1900, 2, 28)),
        (61, D(1900, 3, 1)),
        (2958465, D(9999, 12, 31)),
    ],
)
def test_parse_date_ok(value, expected):
    assert v.parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "2026-02/28",
        "28/02/2026",
        "2026-2",
        "2026",
        "202602",
        "2026228",
        "12345678901",
        "0000-01-01",
        "abc",
        "2026年2月",
        0,
        -1,
        60,
        2958466,
        float("nan"),
        float("inf"),
        True,
        "0",
        "4608",
        [2026, 2, 28],
    ],
)
def test_parse_date_bad(value):
    err = error_of(v.parse_date, value)
    assert err.code == "invalid_date"
    assert str(err.messages[0]) == "日期格式应为 YYYY-MM-DD，例如 2026-02-28"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2026-02-30", "2026年2月没有30日（该月只有 28 天）"),
        ("2025-02-29", "2025年2月没有29日（该月只有 28 天）"),
        ("20260230", "2026年2月没有30日（该月只有 28 天）"),
        ("2026年2月30日", "2026年2月没有30日（该月只有 28 天）"),
        ("2026/4/31", "2026年4月没有31日（该月只有 30 天）"),
        ("2026/13/01", "没有13月：月份应为 1 至 12"),
    ],
)
def test_parse_date_says_what_is_wrong_with_an_impossible_day(value, reason):
    """A date written in a right format but no day of the calendar: the form, the API and the imports name the day's
    problem, not the format the clerk already followed."""
    err = error_of(v.parse_date, value)
    assert err.code == "invalid_date"
    assert str(err.messages[0]) == reason


# ---------------------------------------------------------------------------
# Module-level properties
# ---------------------------------------------------------------------------


def test_all_exports_exist():
    for name in v.__all__:
        assert hasattr(v, name), name


def test_messages_are_lazy_translations():
    err = error_of(v.validate_phone, "x")
    # the raw message is a lazy translation proxy, not a plain str
    assert not isinstance(err.message, str)
    assert str(err.message).startswith("联系方式")
