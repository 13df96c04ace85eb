"""The import pages for a clerk: the office preselected when the clerk has one, the new records listed on the result
page, and every imported draft submitted for review in one go."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.models import Item, Record, RecordStatus
from reporting.models import ImportJob
from tests.factories import clerk_of
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _upload(client, seqs=(0, 1, 2)):
    """Upload item 8 rows as drafts, with the office the form preselects."""
    data = workbook_bytes(8, template_rows(8, list(seqs)))
    page = client.get("/workspace/reporting/imports/new/").content.decode()
    office = re.search(r'<option value="(\d+)" selected>', page).group(1)
    form = {"item": Item.objects.get(no=8).pk, "office": office, "file": SimpleUploadedFile("item8.xlsx", data)}
    response = client.post("/workspace/reporting/imports/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_office_is_preselected_for_a_clerk_of_one_office(client):
    client.force_login(clerk_of("zuren", username="one_office"))
    page = client.get("/workspace/reporting/imports/new/").content.decode()
    select = re.search(r'<select name="office".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="\d+" selected>组人处</option>', select), select


def test_result_page_lists_the_new_records_and_submits_the_drafts(client):
    clerk = clerk_of("zuren", username="importer")
    client.force_login(clerk)
    job = _upload(client)
    assert job.status == "succeeded" and job.created_count == 3
    page = client.get(f"/workspace/reporting/imports/{job.pk}/").content.decode()
    table = re.search(r'<table[^>]*id="import-records".*?</table>', page, re.S).group(0)
    new = list(Record.objects.filter(created_by=clerk).order_by("id"))
    assert len(new) == 3
    for record in new:
        assert f"/workspace/records/{record.pk}/" in table
    assert 'id="import-submit"' in page

    response = client.post(f"/workspace/reporting/imports/{job.pk}/submit/", follow=True)
    assert "已提交审核 3 条记录" in response.content.decode()
    assert set(Record.objects.filter(created_by=clerk).values_list("status", flat=True)) == {RecordStatus.SUBMITTED}
    assert 'id="import-submit"' not in client.get(f"/workspace/reporting/imports/{job.pk}/").content.decode()


def test_another_clerk_cannot_submit_an_import(client):
    owner = clerk_of("zuren", username="importer2")
    client.force_login(owner)
    job = _upload(client)
    client.force_login(clerk_of("yijiao", username="other_office"))
    assert client.post(f"/workspace/reporting/imports/{job.pk}/submit/").status_code == 404
    assert set(Record.objects.filter(created_by=owner).values_list("status", flat=True)) == {RecordStatus.DRAFT}
