"""An ID number or credit code Excel stored as a number is refused by every vetting import, never read as another
person's number: a float keeps 15-16 significant digits, so 360102198504160312 comes back as 360102198504160320, a
valid ID number of someone else (the listed person checked clear, a stranger was reported). Like reporting's import,
the message names the line and the column and asks for the column as text; nothing of the file is stored."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from credit.demo import credit_code, person_id
from vetting.models import BatchCheck, Commitment, ExternalList, ExternalListEntry
from vetting.selectors import hits_for
from vetting.services.lists import external_lists_import

pytestmark = pytest.mark.django_db

LISTED = person_id(15)  # 360102198504160312: as a float 360102198504160320, also a valid ID number
STRANGER = "360102198504160320"
ALL_DIGIT_CODE = credit_code(3)  # 123601000002375773: as a float …376000-ish, digits lost
EXCEL_SAYS = "该号码被 Excel 存成了数字"


def _xlsx(header: list[str], *rows: list) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            # a str is a cell formatted as text; an int is what Excel keeps of a long number typed into a General cell
            sheet.write_number(r, c, float(value)) if isinstance(value, int) else sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


@pytest.fixture
def listed(reviewer):
    external_lists_import(
        data=f"名称,统一社会信用代码或身份证号码,名单名称\n张三,{LISTED},国家失信被执行人名单\n".encode(),
        file_name="l.csv",
        user=reviewer,
    )


def test_the_example_is_the_defect_two_valid_id_numbers_one_float_apart():
    assert STRANGER != LISTED and str(int(float(LISTED))) == STRANGER
    assert str(int(float(ALL_DIGIT_CODE))) != ALL_DIGIT_CODE


def test_a_batch_check_refuses_an_id_number_stored_as_a_number_and_stores_nothing(listed, clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile(
        "候选人.xlsx", _xlsx(["姓名", "身份证号码"], ["李四", person_id(16)], ["张三", int(LISTED)])
    )
    page = client.post(reverse("vetting:batches"), {"title": "评优", "file": upload}).content.decode()
    assert "第3行 证件号码或代码：" + EXCEL_SAYS in page
    assert "末几位已丢失" in page and "“文本”格式" in page and "不是有效的" not in page
    assert not BatchCheck.objects.exists()


def test_a_batch_check_reads_the_same_id_number_typed_as_text(listed, clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile("候选人.xlsx", _xlsx(["姓名", "身份证号码"], ["张三", LISTED]))
    client.post(reverse("vetting:batches"), {"file": upload})
    assert BatchCheck.objects.get().hit_count == 1


def test_the_batch_check_api_refuses_an_id_number_stored_as_a_number(listed, clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile("c.xlsx", _xlsx(["姓名", "身份证号码"], ["张三", int(LISTED)]))
    response = client.post("/api/v1/vetting/batch-checks/", {"file": upload})
    assert response.status_code == 400, response.content
    assert response.json()["file"][0].startswith("第2行 证件号码或代码：" + EXCEL_SAYS)
    assert not BatchCheck.objects.exists()


def test_an_external_list_with_an_id_number_stored_as_a_number_imports_nothing(reviewer, client):
    client.force_login(reviewer)
    data = _xlsx(
        ["名称", "身份证号码", "名单名称"],
        ["李四", person_id(16), "省级失信名单"],
        ["张三", int(LISTED), "省级失信名单"],
    )
    page = client.post(reverse("vetting:lists"), {"file": SimpleUploadedFile("名单.xlsx", data)}).content.decode()
    assert "第3行 代码：" + EXCEL_SAYS in page and "“文本”格式" in page
    assert not ExternalList.objects.exists() and not ExternalListEntry.objects.exists()
    assert hits_for([STRANGER, person_id(16)]) == {}


def test_a_commitment_register_with_a_credit_code_stored_as_a_number_imports_nothing(reviewer, client):
    client.force_login(reviewer)
    header = ["主体名称", "统一社会信用代码", "承诺类型", "承诺内容", "承诺日期", "承诺来源"]
    data = _xlsx(header, ["某校", int(ALL_DIGIT_CODE), "告知承诺", "按期整改", "2026-01-10", "办学许可"])
    page = client.post(reverse("vetting:commitments"), {"file": SimpleUploadedFile("承诺.xlsx", data)}).content.decode()
    assert "第2行 统一社会信用代码：" + EXCEL_SAYS in page
    assert not Commitment.objects.exists()


def test_a_short_number_cell_is_explained_as_excel_not_as_an_invalid_code(reviewer):
    """A number that fits (a code whose leading 0 Excel dropped, say) is read, but when it is no valid identifier the
    message says why it may be wrong instead of only "not a valid ID number or credit code"."""
    data = _xlsx(["名称", "代码", "名单名称"], ["甲", 12345678, "名单一"])
    with pytest.raises(DomainError) as refused:
        external_lists_import(data=data, file_name="a.xlsx", user=reviewer)
    message = refused.value.errors["file"][0]
    assert message.startswith("第2行 代码：" + EXCEL_SAYS + "（显示为 12345678）") and "不是有效的" not in message


def test_a_csv_saved_by_excel_with_a_number_in_scientific_notation_is_explained(reviewer):
    data = "名称,代码,名单名称\n甲,3.60102E+17,名单一\n".encode()
    with pytest.raises(DomainError) as refused:
        external_lists_import(data=data, file_name="a.csv", user=reviewer)
    assert refused.value.errors["file"][0].startswith("第2行 代码：" + EXCEL_SAYS + "（显示为 3.60102E+17）")
