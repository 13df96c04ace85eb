"""An edit made on a stale version of a record is refused with a message, never a silent overwrite."""

import pytest
from rest_framework.test import APIClient

from credit.demo import sample_values
from credit.models import InstitutionRecord, Item
from credit.services import records as services


@pytest.fixture
def record(clerk_yijiao):
    return services.record_create(item=Item.objects.get(no=3), user=clerk_yijiao, data=sample_values(3, 5))


def test_service_refuses_an_update_based_on_an_old_version(clerk_yijiao, record):
    stale_version = record.version
    services.record_update(record=record, user=clerk_yijiao, data={"school_type": "完全中学", "version": stale_version})
    with pytest.raises(services.RecordStateError, match="已在别处被修改"):
        services.record_update(
            record=record, user=clerk_yijiao, data={"school_type": "初级中学", "version": stale_version}
        )
    assert InstitutionRecord.objects.get(pk=record.pk).school_type == "完全中学"


def test_api_patch_with_a_stale_version_answers_409(clerk_yijiao, record):
    api = APIClient()
    api.force_authenticate(clerk_yijiao)
    first = api.patch(f"/api/v1/records/{record.pk}/", {"school_type": "完全中学", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(f"/api/v1/records/{record.pk}/", {"school_type": "初级中学", "version": 1}, format="json")
    assert second.status_code == 409 and "已在别处被修改" in str(second.json())
    assert InstitutionRecord.objects.get(pk=record.pk).school_type == "完全中学"


def test_workspace_edit_from_a_stale_page_is_refused_with_a_message(client, clerk_yijiao, record):
    client.force_login(clerk_yijiao)
    form = {**sample_values(3, 5), "version": record.version}
    assert client.post(f"/workspace/records/{record.pk}/edit/", {**form, "school_type": "完全中学"}).status_code == 302
    stale = client.post(f"/workspace/records/{record.pk}/edit/", {**form, "school_type": "初级中学"}, follow=True)
    assert "已在别处被修改" in stale.content.decode()
    assert InstitutionRecord.objects.get(pk=record.pk).school_type == "完全中学"


def test_a_stale_save_keeps_what_was_typed_in_the_form_and_the_next_save_goes_through(client, clerk_yijiao, record):
    # Before: a redirect to the record page with the message, and everything typed in the second tab was gone.
    client.force_login(clerk_yijiao)
    form = {**sample_values(3, 5), "version": record.version}
    client.post(f"/workspace/records/{record.pk}/edit/", {**form, "school_type": "完全中学"})
    typed = {**form, "school_type": "初级中学", "supervising_authority": "第二个标签页输入的主管部门"}
    stale = client.post(f"/workspace/records/{record.pk}/edit/", typed)
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "已在别处被修改（当前为第 2 版）" in html and "您输入的内容仍在下面" in html
    assert 'value="第二个标签页输入的主管部门"' in html
    assert '<input type="hidden" name="version" value="2">' in html
    assert InstitutionRecord.objects.get(pk=record.pk).school_type == "完全中学"
    again = client.post(f"/workspace/records/{record.pk}/edit/", {**typed, "version": 2})
    assert again.status_code == 302
    assert InstitutionRecord.objects.get(pk=record.pk).supervising_authority == "第二个标签页输入的主管部门"
