"""Batch credit checks of candidate lists (issue 13 point 2): upload names with ID numbers or credit codes, get a
numbered report (printable page, .xlsx, API) of each candidate's live dishonesty; stored and audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from credit.catalog import ItemSpec
from credit.demo import credit_code, person_id
from credit.models import Office
from credit.registry import model_for_item
from tests.factories.credit import clerk_of
from tests.factories.publicity import PublicationFactory
from vetting.models import BatchCheck
from vetting.services.lists import external_lists_import

pytestmark = pytest.mark.django_db

PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)


def _candidates(*rows: str) -> bytes:
    return ("姓名,身份证号码或统一社会信用代码\n" + "\n".join(rows)).encode()


@pytest.fixture
def world(reviewer):
    penalty = model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=61).record_id)
    external_lists_import(
        data=f"名称,统一社会信用代码或身份证号码,名单名称\n李四,{person_id(62)},国家失信被执行人名单\n".encode(),
        file_name="l.csv",
        user=reviewer,
    )
    return penalty


def test_a_candidate_list_gets_a_numbered_report_with_clear_and_hit_rows(world, clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile(
        "名单.csv", _candidates(f"某校,{world.org_code}", f"李四,{person_id(62)}", f"王五,{person_id(63)}")
    )
    response = client.post(reverse("vetting:batches"), {"title": "2026年度评优", "file": upload})
    check = BatchCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("vetting:batch-detail", args=[check.pk])
    assert check.number.startswith("XYSC") and check.candidate_count == 3 and check.hit_count == 2
    page = client.get(response["Location"]).content.decode()
    assert check.number in page and "未发现失信信息" in page and "国家失信被执行人名单" in page
    assert person_id(62) not in page  # masked
    assert AuditEvent.objects.filter(object_type="vetting.batchcheck", object_id=str(check.pk)).exists()

    xlsx = client.get(reverse("vetting:batch-download", args=[check.pk]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][1] == check.number
    results = {row[1]: row[3] for row in rows[6:]}
    assert results == {"某校": "发现失信信息", "李四": "发现失信信息", "王五": "未发现失信信息"}


def test_a_bad_identifier_names_the_line_and_stores_nothing(clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile("c.csv", _candidates(f"甲,{credit_code(1)}", "乙,12345"))
    page = client.post(reverse("vetting:batches"), {"file": upload}).content.decode()
    assert "第3行 证件号码或代码" in page
    assert not BatchCheck.objects.exists()


def test_more_than_five_thousand_rows_are_refused(clerk, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile("c.csv", _candidates(*[f"甲{i},{credit_code(i)}" for i in range(5001)]))
    page = client.post(reverse("vetting:batches"), {"file": upload}).content.decode()
    assert "上限 5000 行" in page
    assert not BatchCheck.objects.exists()


def test_the_api_answers_the_report_and_another_office_cannot_read_it(world, clerk, clerk_out, client):
    client.force_login(clerk)
    upload = SimpleUploadedFile("c.csv", _candidates(f"某校,{world.org_code}"))
    response = client.post("/api/v1/vetting/batch-checks/", {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hit_count"] == 1 and body["results"][0]["hits"][0]["record_id"] == world.pk
    assert client.get(f"/api/v1/vetting/batch-checks/{body['id']}/").status_code == 200
    client.force_login(clerk_out)
    assert client.get(f"/api/v1/vetting/batch-checks/{body['id']}/").status_code == 404
    assert client.get(reverse("vetting:batch-detail", args=[body["id"]])).status_code == 404


def test_an_oversized_file_is_refused_naming_the_field_on_the_page_and_the_api(clerk, client, monkeypatch):
    monkeypatch.setattr("vetting.forms.MAX_UPLOAD_BYTES", 10)
    client.force_login(clerk)
    page = client.post(
        reverse("vetting:batches"), {"file": SimpleUploadedFile("c.csv", _candidates("某校,x"))}
    ).content.decode()
    assert "文件：文件过大" in page
    response = client.post(
        "/api/v1/vetting/batch-checks/", {"file": SimpleUploadedFile("c.csv", _candidates("某校,x"))}
    )
    assert response.status_code == 400 and "文件过大" in response.json()["file"][0]
    assert not BatchCheck.objects.exists()


def test_a_clerk_sees_every_offices_hits_but_links_only_to_records_they_may_open(world, reviewer, client):
    """By design a clerk's batch check reports another office's non-public record (评优评先 across the bureau: the
    record number, its item, dates), but the record page would answer that clerk 404: the reference is shown unlinked.
    The clerk's own office's record is linked, and a reviewer, who may open every record, gets links to all."""
    record_page = reverse("credit:record-detail", args=[world.pk])
    own = clerk_of(world.office.code)
    other = clerk_of(Office.objects.exclude(pk=world.office_id).order_by("pk").first().code)
    upload = lambda: SimpleUploadedFile("c.csv", _candidates(f"某校,{world.org_code}", f"李四,{person_id(62)}"))  # noqa: E731

    client.force_login(other)
    page = client.get(client.post(reverse("vetting:batches"), {"file": upload()})["Location"]).content.decode()
    hit = BatchCheck.objects.get(created_by=other).results[0]["hits"][0]
    assert hit["record_id"] == world.pk and hit["reference"] in page and hit["label"] in page
    assert f'href="{record_page}"' not in page and client.get(record_page).status_code == 404
    assert f'href="{reverse("vetting:lists")}"' not in page  # the external lists are the reviewers' page

    client.force_login(own)
    page = client.get(client.post(reverse("vetting:batches"), {"file": upload()})["Location"]).content.decode()
    assert f'href="{record_page}"' in page and client.get(record_page).status_code == 200

    client.force_login(reviewer)
    page = client.get(reverse("vetting:batch-detail", args=[BatchCheck.objects.get(created_by=other).pk])).content
    assert f'href="{record_page}"'.encode() in page and client.get(record_page).status_code == 200
