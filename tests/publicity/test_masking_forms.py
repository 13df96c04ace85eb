"""The many ways people type an ID, mobile or landline number in free text are all masked on the public column;
dates, document numbers, amounts and unified social credit codes (public) are left exactly as typed."""

import random
import time

import pytest
from stdnum.cn import uscc

from credit.demo import credit_code, person_id
from publicity.masking import mask_free_text
from tests.publicity.public_pages import every_public_rendering

FW = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")  # ASCII -> full-width


def _full_width(text: str) -> str:
    return text.translate(FW)


def _valid_uscc(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


MASKED = [
    # 15-digit first-generation ID numbers: first 6 + 5 stars + last 4, same length.
    ("旧身份证360102900101123。", "旧身份证360102*****1123。"),
    ("360102-900101-123", "360102*****1123"),
    # 18-character ID numbers split by spaces, hyphens, ideographic or other Unicode spaces.
    ("身份证 360102 19900101 1234 号", "身份证 360102********1234 号"),
    ("身份证360102-19900101-1234", "身份证360102********1234"),
    ("360102 - 19900101 - 123x", "360102********123X"),
    ("360102\u300019900101\u30001234", "360102********1234"),
    ("360102\u00a019900101\u20091234", "360102********1234"),
    ("360102\u200b19900101\u200b1234", "360102********1234"),
    # Full-width digits and check characters.
    ("证号３６０１０２１９９００１０１１２３４。", "证号360102********1234。"),
    ("证号３６０１０２１９９００１０１１２３Ｘ", "证号360102********123X"),
    ("证号３６０１０２１９９００１０１１２３ｘ", "证号360102********123X"),
    ("证号３６０１０２　１９９００１０１　１２３４", "证号360102********1234"),
    # Right after ASCII letters.
    ("ID360102199001011234号", "ID360102********1234号"),
    ("idno:360102199001011234", "idno:360102********1234"),
    # Mobiles: full-width, Unicode spaces, dashes.
    ("手机１３９０７９１５６７８", "手机139****5678"),
    ("手机１３９　０７９１　５６７８", "手机139****5678"),
    ("手机139\u30000791\u30005678", "手机139****5678"),
    ("手机139–0791–5678", "手机139****5678"),
    ("Tel13907915678", "Tel139****5678"),
    ("＋86 139 0791 5678", "+86 139****5678"),
    # Landlines with an area code: area code + stars + last 4.
    ("电话0791-86123456", "电话0791-****3456"),
    ("电话(0791)86123456", "电话0791-****3456"),
    ("电话（0791）86123456", "电话0791-****3456"),
    ("电话（０７９１）８６１２３４５６", "电话0791-****3456"),
    ("电话0791 8612 3456", "电话0791-****3456"),
    ("电话0791\u30008612\u30003456", "电话0791-****3456"),
    ("电话0791－8612345", "电话0791-***2345"),
    ("电话010-62345678转801", "电话010-****5678转801"),
    ("电话079186123456", "电话0791-****3456"),
    # Several in one text; the rest kept exactly as typed (full-width punctuation, spaces).
    (
        "当事人（身份证３６０１０２１９９００１０１１２３４）　电话：0791-86123456，手机 139 0791 5678。",
        "当事人（身份证360102********1234）　电话：0791-****3456，手机 139****5678。",
    ),
]

KEPT = [
    "2026-03-02",
    "2026年3月2日至2026-12-31",
    "2026 03 02 09:30",
    "洪教罚〔2026〕4号",
    "洪教罚〔２０２６〕１２号",
    "罚款 5000 元",
    "罚款５０００元，没收违法所得 12345.67 元",
    "《中华人民共和国教师法》第三十七条",
    "代码91360100MA35XXXX1X",
    "代码91360100158301234X",
    "文号20261234567890123456不变",
    "学生 1 2 3 4 5 6 名",
    "已脱敏360102********1234、360102*****1123、139****5678、0791-****3456",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_each_form_is_masked_and_stays_masked(text, expected):
    assert mask_free_text(text) == expected
    assert mask_free_text(expected) == expected


@pytest.mark.parametrize("text", KEPT)
def test_false_positives_are_kept_as_typed(text):
    assert mask_free_text(text) == text


@pytest.mark.parametrize("seq", range(1, 40))
def test_valid_credit_codes_are_kept(seq):
    code = credit_code(seq)
    assert uscc.is_valid(code)
    assert mask_free_text(f"统一社会信用代码{code}，") == f"统一社会信用代码{code}，"
    assert mask_free_text(f"代码 {_full_width(code)}") == f"代码 {_full_width(code)}"


@pytest.mark.parametrize(
    "code",
    [
        # A mobile-shaped run ended by a letter inside a credit code.
        _valid_uscc("13601001583MA1234"),
        # A landline-shaped run ended by a letter inside a credit code.
        _valid_uscc("07918612345MA1234"),
        # A 15-digit ID-shaped run ended by letters.
        _valid_uscc("360102900101123MA"),
        _valid_uscc("91360100MA35ABCD1"),
        _valid_uscc("9136010015830123A"),
    ],
)
def test_letters_stop_a_match_inside_a_credit_code(code):
    assert uscc.is_valid(code)
    assert mask_free_text(f"代码{code}。") == f"代码{code}。"


def test_the_same_digits_outside_a_credit_code_are_masked():
    assert mask_free_text("编号13601001583，") == "编号136****1583，"
    assert mask_free_text("TY13601001583MA1234") == "TY136****1583MA1234"
    assert mask_free_text("电话07918612345转") == "电话0791-***2345转"


def test_an_id_number_is_masked_even_when_it_passes_as_a_credit_code():
    pid = person_id(77)
    assert mask_free_text(f"代码{pid}") == f"代码{pid[:6]}********{pid[-4:]}"


def test_masking_twice_is_masking_once_on_mixed_text():
    rnd = random.Random(20260302)
    tokens = [
        person_id(5),
        "36010219900101123X",
        "360102900101123",
        "13907915678",
        "１３９",
        "0791",
        "（0791）",
        "86123456",
        "8612",
        "3456",
        "-",
        " ",
        "\u3000",
        "ID",
        "X",
        "7",
        "2026",
        "+86",
        "*",
        "号",
    ]
    for _ in range(3000):
        text = "".join(rnd.choice(tokens) for _ in range(rnd.randint(1, 9)))
        once = mask_free_text(text)
        assert mask_free_text(once) == once, text


@pytest.mark.parametrize("unit", ["1 ", "12 3", "1-", "１ ", "0791 ", "139 ", "360102 "])
def test_long_runs_of_digits_and_separators_cost_linear_time(unit):
    """No catastrophic backtracking: masking 100,000 characters of digit runs costs about what 100,000 characters
    of ordinary text cost, measured in the same process (a wall-clock budget would fail on a loaded machine)."""

    def cost(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            mask_free_text(text)
            best = min(best, time.perf_counter() - started)
        return best

    hostile = (unit * (100_000 // len(unit) + 1))[:100_000]
    # The baseline holds a digit run every few characters too, so both texts go through the number patterns.
    ordinary = ("违规补课，罚款5000元，" * (100_000 // 12 + 1))[:100_000]
    # Backtracking over a run is quadratic (~10,000x here); linear work stays within a small factor of the baseline.
    assert cost(hostile) < 40 * cost(ordinary) + 0.05


@pytest.mark.django_db
def test_split_full_width_and_landline_forms_masked_on_the_column_and_open_data(build, client):
    pid = person_id(4343)
    typed_id = f"{pid[:6]} {pid[6:14]} {pid[14:]}"
    pub = build.penalty(
        8,
        offence="违规补课（家长手机１３９　０７９１　５６７８，学校电话（0791）86123456）",
        penalty_result=f"警告，当事人身份证号{_full_width(typed_id)}，旧证号360102900101123",
    )
    detail = client.get(f"/penalties/{pub.pk}/").content.decode()
    data = client.get("/api/v1/public/penalties/").content.decode()
    everything = every_public_rendering(client, "penalties", pub.pk)
    for text in (detail, data, everything):
        assert "违规补课" in text
        assert f"{pid[:6]}********{pid[-4:]}" in text
        assert "139****5678" in text
        assert "0791-****3456" in text
        assert "360102*****1123" in text
    for leaked in (pid, pid[6:14], _full_width(pid[6:14]), "０７９１　５６７８", "86123456", "900101123"):
        assert leaked not in everything
