"""Files with personal data — an export batch, an import's error copy, an objection's evidence — are downloaded with
``Cache-Control: no-store``, so no browser or proxy cache keeps a copy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from credit.models import Item
from publicity.services.requests import objection_file
from reporting.models import BatchKind, ImportJob
from reporting.services.batches import batch_create
from tests.factories import UserFactory, create_record, reporting_office
from tests.factories.publicity import PublicEntries
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTING_DROP_DIR = tmp_path / "drop"
    settings.REPORTING_TRANSPORT = "dropfolder"


def _not_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_export_batch_download_is_not_stored(client, reviewer):
    create_record(2, status="approved", reviewer=reviewer)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    client.force_login(reviewer)
    response = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert response.status_code == 200 and _not_stored(response)


def test_import_error_copy_download_is_not_stored(client):
    clerk = UserFactory(username="importer", role=Role.CLERK, offices=[reporting_office(1)])
    client.force_login(clerk)
    rows = template_rows(1, range(2))
    rows[0][1] = "12345"
    item = Item.objects.get(no=1)
    client.post(
        reverse("reporting:import-create"),
        {
            "item": item.pk,
            "office": reporting_office(1).pk,
            "file": SimpleUploadedFile("filled.xlsx", workbook_bytes(1, rows)),
        },
    )
    job = ImportJob.objects.get()
    response = client.get(reverse("reporting:import-errors", args=[job.pk]))
    assert response.status_code == 200 and _not_stored(response)


def test_objection_evidence_download_is_not_stored(client, reviewer):
    publication = PublicEntries(reviewer).penalty(8)
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n" + b"0" * 64)
    req = objection_file(
        target=publication, applicant_name="甲", applicant_contact="x", content="有误", evidence=evidence
    )
    client.force_login(reviewer)
    response = client.get(f"/workspace/publicity/requests/objection/{req.pk}/evidence/")
    assert response.status_code == 200 and _not_stored(response)


def test_blank_template_download_stays_cacheable(client):
    clerk = UserFactory(username="templater", role=Role.CLERK, offices=[reporting_office(2)])
    client.force_login(clerk)
    response = client.get(reverse("reporting:template-download", args=[2]))
    assert response.status_code == 200 and not _not_stored(response)
