"""信用承诺 register (issue 13 point 4): commitments imported from a file, their fulfilment recorded with the record
that shows a breach, and shown on the public list and the organisation's page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from credit.catalog import ItemSpec
from credit.demo import credit_code
from credit.registry import model_for_item
from tests.factories.publicity import PublicationFactory
from vetting.models import Commitment, CommitmentStatus

pytestmark = pytest.mark.django_db

PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)
HEADER = "主体名称,统一社会信用代码,承诺类型,承诺内容,承诺日期,承诺来源,履约状态"


@pytest.fixture
def penalised_org():
    publication = PublicationFactory(no=PENALTY_ORG, seq=85)
    return model_for_item(PENALTY_ORG).objects.get(pk=publication.record_id)


def _import(client, *rows: str):
    upload = SimpleUploadedFile("c.csv", "\n".join([HEADER, *rows]).encode())
    return client.post(reverse("vetting:commitments"), {"file": upload})


def test_a_commitment_marked_broken_shows_on_the_org_page_with_its_record(penalised_org, reviewer, client):
    client.force_login(reviewer)
    row = f"{penalised_org.org_name},{penalised_org.org_code},告知承诺,按期完成办学条件整改,2026-01-10,民办学校办学许可"
    assert _import(client, row).status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.status == CommitmentStatus.PENDING

    client.post(
        reverse("vetting:commitment-status", args=[commitment.pk]),
        {"status": "broken", "breach_record": str(penalised_org.pk), "note": "未按期整改，受到行政处罚"},
    )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.BROKEN and commitment.breach_record_id == penalised_org.pk
    assert AuditEvent.objects.filter(object_type="vetting.commitment", object_id=str(commitment.pk)).exists()

    client.logout()
    page = client.get(f"/org/{penalised_org.org_code}/").content.decode()
    assert "信用承诺" in page and "按期完成办学条件整改" in page and "失信" in page
    assert penalised_org.item.name in page
    assert "按期完成办学条件整改" in client.get("/commitments/").content.decode()


def test_breach_needs_an_approved_record_of_the_same_organisation(penalised_org, reviewer, client):
    client.force_login(reviewer)
    _import(client, f"某校,{penalised_org.org_code},告知承诺,承诺内容,2026-01-10,许可")
    commitment = Commitment.objects.get()
    other = PublicationFactory(no=PENALTY_ORG, seq=86).record_id
    for data in ({"status": "broken"}, {"status": "broken", "breach_record": str(other)}):
        client.post(reverse("vetting:commitment-status", args=[commitment.pk]), data)
        commitment.refresh_from_db()
        assert commitment.status == CommitmentStatus.PENDING


def test_a_bad_row_imports_nothing_and_names_line_and_column(reviewer, client):
    client.force_login(reviewer)
    page = _import(client, "某校,123,告知承诺,内容,2026-01-10,许可").content.decode()
    assert "第2行 统一社会信用代码" in page
    assert not Commitment.objects.exists()


def test_a_file_imported_again_or_repeating_a_row_imports_nothing_and_names_the_lines(reviewer, client):
    """A register imported twice (or a list that repeats last month's) showed every commitment twice on the public
    list. Now a row repeating a stored commitment, or an earlier row, refuses the file and names both."""
    client.force_login(reviewer)
    code = credit_code(86)
    row = f"南昌市启明培训学校,{code},告知承诺,按期补齐消防验收材料,2026-01-10,行政许可事项"
    assert _import(client, row).status_code == 302
    first = Commitment.objects.get()
    other = f"南昌市启明培训学校,{code},告知承诺,按期补齐消防验收材料,2026-02-10,行政许可事项"

    page = _import(client, other, row, other).content.decode()

    assert (
        f"第3行：与已登记的承诺 #{first.pk} 相同（统一社会信用代码、承诺类型、承诺日期、承诺内容相同），请勿重复导入"
        in page
    )
    assert "第4行：与本文件第2行相同" in page
    assert Commitment.objects.count() == 1
    assert _import(client, other).status_code == 302  # another day's commitment is another commitment
