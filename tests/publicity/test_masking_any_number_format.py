"""Property: whatever way a clerk writes a resident ID number (18 digits with a valid or wrong GB 11643 check
character, or 15 digits) or a mobile number -- grouped anyhow, split by spaces, hyphens, dots, slashes, underscores
or their full-width forms, in full-width digits, amid Chinese text -- the masked text holds no run of its digits
again; the bureau's public numbers and ordinary short numbers (dates, amounts, document numbers) stay as typed.

The generation profile (fixed seed in CI) is registered in ``tests/conftest.py``."""

import datetime
import re
import unicodedata

from django.test import override_settings
from hypothesis import assume, given
from hypothesis import strategies as st

from publicity.masking import mask_free_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
AREAS = ("360102", "360111", "360121", "110101", "440305", "510104", "654321", "810000")
# One or more separator characters between two digit groups.
SEPARATORS = (" ", "-", ".", "/", "_", "\u3000", "\uff0d", "\uff0e", "\uff0f", "\u2014", "\u00b7")
CJK = st.text(
    st.sampled_from("当事人周建国身份证号码联系电话手机举报违规补课南昌市教育局经办人家长处罚决定（）：；"), max_size=8
)
HOTLINE = "0791-86766000"


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


@st.composite
def id_numbers(draw) -> str:
    area = draw(st.sampled_from(AREAS) | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2012, 12, 31)))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    if draw(st.booleans()) and born.year < 2000:  # first-generation, 15 digits
        return area + born.strftime("%y%m%d") + seq
    first17 = area + born.strftime("%Y%m%d") + seq
    valid = check_character(first17)
    check = draw(st.just(valid) | st.sampled_from([c for c in "0123456789X" if c != valid]))
    return first17 + check


MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def written(draw, number: str) -> str:
    """``number`` as someone might type it: random grouping and separators, some digits full-width."""
    out = []
    for i, char in enumerate(number):
        if i and draw(st.integers(0, 3)) == 0:
            out.append("".join(draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3))))
        if draw(st.booleans()) and (char.isdigit() or char == "X"):
            char = chr(ord(char) + 0xFEE0)  # full-width form
        out.append(char)
    return "".join(out)


def digits_of(text: str) -> str:
    """Every digit of ``text`` (full-width ones as ASCII), in order, everything else dropped."""
    return "".join(
        str(int(c)) if c.isdigit() else "X" if c in "Xx\uff38" else "" for c in text if c.isdigit() or c in "Xx\uff38"
    )


def assert_unrecoverable(masked: str, number: str) -> None:
    assert number not in digits_of(masked), masked
    assert "*" in masked


@given(number=id_numbers(), data=st.data(), before=CJK, after=CJK)
def test_an_id_number_in_any_format_is_masked(number, data, before, after):
    text = before + data.draw(written(number)) + after
    masked = mask_free_text(text)
    assert_unrecoverable(masked, number)
    assert masked.startswith(before) and masked.endswith(after)
    assert mask_free_text(masked) == masked


# A 199… mobile typed as 1990-07-15 678… reads exactly like a date and an amount; the masker takes it for one.
LIKE_A_DATE = re.compile(r"(19|20)[0-9]{2}([-./_ ])[0-9]{1,2}\2[0-9]{1,2}(?![0-9])")


@given(number=MOBILES, data=st.data(), before=CJK, after=CJK)
def test_a_mobile_number_in_any_format_is_masked(number, data, before, after):
    typed = data.draw(written(number))
    assume(not LIKE_A_DATE.match(unicodedata.normalize("NFKC", typed).replace("\u2014", "-").replace("\u00b7", ".")))
    masked = mask_free_text(before + typed + after)
    assert_unrecoverable(masked, number)
    assert masked.startswith(before) and masked.endswith(after)


@given(pid=id_numbers(), mobile=MOBILES, data=st.data(), words=st.lists(CJK, min_size=3, max_size=3))
def test_several_numbers_in_one_text_are_all_masked(pid, mobile, data, words):
    text = f"{words[0]}身份证{data.draw(written(pid))}{words[1]}电话{data.draw(written(mobile))}{words[2]}"
    masked = mask_free_text(text)
    assert pid not in digits_of(masked) and mobile not in digits_of(masked), masked


@st.composite
def ordinary_numbers(draw) -> str:
    day = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2035, 12, 31)))
    amount = draw(st.integers(1, 99_999_999))
    return draw(
        st.sampled_from(
            [
                day.isoformat(),
                day.strftime("%Y.%m.%d"),
                day.strftime("%Y/%m/%d"),
                f"{day.year}年{day.month}月{day.day}日",
                f"{amount}元",
                f"{amount:,}元",
                f"{amount / 100:,.2f}元",
                f"洪教罚〔{day.year}〕{amount % 1000}号",
                f"赣教许字〔{day.year}〕第{amount % 10000:04d}号",
                f"第{amount % 100}条第{amount % 7 + 1}款",
            ]
        )
    )


@given(numbers=st.lists(ordinary_numbers(), min_size=1, max_size=4), words=CJK)
def test_ordinary_short_numbers_stay_as_typed(numbers, words):
    text = f"{words}，".join(numbers)
    assert mask_free_text(text) == text


@override_settings(PUBLIC_INSTITUTION_NUMBERS=[HOTLINE, "12345", "13907910000"])
@given(data=st.data(), before=CJK, after=CJK)
def test_public_institution_numbers_stay_as_typed(data, before, after):
    hotline = data.draw(st.sampled_from(["0791-86766000", "0791 8676 6000", "（0791）86766000", "13907910000"]))
    text = f"{before}咨询电话{hotline}、{after}政务服务热线12345"
    assert mask_free_text(text) == text


@override_settings(PUBLIC_INSTITUTION_NUMBERS=[HOTLINE])
@given(number=MOBILES, data=st.data())
def test_a_number_beside_the_hotline_is_still_masked(number, data):
    assume(number != "13907910000")
    masked = mask_free_text(f"热线{HOTLINE}，经办人{data.draw(written(number))}")
    assert HOTLINE in masked and number not in digits_of(masked)


def test_a_mobile_whose_first_digits_read_as_a_date_is_masked():
    """Found by the property test above: 19000110000 typed as 1900 01 1 0 000 was taken for the date 1900-01-1."""
    for typed in ("1900 01 1 0 000", "经办人1900 01 1 0 000", "1912 12 1 5678"):
        masked = mask_free_text(typed)
        assert_unrecoverable(masked, "".join(c for c in typed if c.isdigit()))
    assert mask_free_text("2026-03-02 100元") == "2026-03-02 100元"
    assert mask_free_text("1999.01.01 13900") == "1999.01.01 13900"


def test_the_bureau_credit_code_is_not_taken_for_a_mobile(settings):
    text = f"南昌市教育局（{settings.BUREAU_CREDIT_CODE}）"
    assert re.search(r"1[3-9][0-9]{9}", settings.BUREAU_CREDIT_CODE)
    assert mask_free_text(text) == text


# --- lists of numbers and country codes ------------------------------------------------------------------------------

# What joins the items of a list of numbers, with or without spaces around it.
JOINERS = (",", "，", "/", "／", "、", ";", "；", ", ", " / ", " ,")
# A country code as typed before a mobile, set apart or joined on.
COUNTRY_CODES = (
    "+86",
    "+86 ",
    "+86-",
    "＋86",
    "＋８６",
    "86",
    "86 ",
    "86-",
    "0086",
    "0086-",
    "0086 ",
    "00 86 ",
    "(+86)",
)
# Grouping inside one item of a list: the separators that never join list items (a slash or dot inside an item and
# another between items can read as a date, 1920/1/3).
GROUPING = (" ", "-", "\u3000", "\uff0d")


@st.composite
def grouped(draw, number: str) -> str:
    """``number`` as typed in a list: whole, or grouped by spaces or hyphens, some digits full-width."""
    out = []
    for i, char in enumerate(number):
        if i and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(GROUPING)))
        if draw(st.booleans()) and (char.isdigit() or char == "X"):
            char = chr(ord(char) + 0xFEE0)
        out.append(char)
    return "".join(out)


def reads_as_a_date(typed: str) -> bool:
    return bool(LIKE_A_DATE.match(unicodedata.normalize("NFKC", typed).replace("\u2014", "-").replace("\u00b7", ".")))


@given(
    numbers=st.lists(id_numbers() | MOBILES, min_size=2, max_size=4),
    joiner=st.sampled_from(JOINERS),
    data=st.data(),
    before=CJK,
    after=CJK,
)
def test_every_number_in_a_list_is_masked(numbers, joiner, data, before, after):
    typed = [data.draw(grouped(n)) for n in numbers]
    assume(not any(reads_as_a_date(t) for t in typed))
    masked = mask_free_text(before + joiner.join(typed) + after)
    for number in numbers:
        assert number not in digits_of(masked), masked
    assert masked.startswith(before) and masked.endswith(after)
    assert mask_free_text(masked) == masked


@given(number=MOBILES, code=st.sampled_from(COUNTRY_CODES), data=st.data(), before=CJK, after=CJK)
def test_a_mobile_after_a_country_code_is_masked(number, code, data, before, after):
    typed = data.draw(written(number))
    assume(not reads_as_a_date(typed))
    masked = mask_free_text(before + code + typed + after)
    assert_unrecoverable(masked, number)
    assert masked.startswith(before) and masked.endswith(after)
    assert mask_free_text(masked) == masked
