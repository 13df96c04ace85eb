"""``manage.py load_demo``: every role can log in, every status has samples, the public column has content."""

import pytest
from django.core.management import call_command

from accounts.models import User
from credit.models import Office, Record, RecordStatus


@pytest.mark.django_db
def test_load_demo_creates_accounts_records_in_every_status_and_public_content(client, capsys):
    call_command("load_demo", "--password", "Demo@2026nc")
    out = capsys.readouterr().out
    expected = {"reviewer", "sysadmin", "secadmin", "auditor", *(f"clerk_{o.code}" for o in Office.objects.all())}
    assert expected <= set(User.objects.values_list("username", flat=True))
    assert all(name in out for name in expected)
    assert User.objects.get(username="clerk_zuren").check_password("Demo@2026nc")
    assert set(Record.objects.values_list("status", flat=True)) == set(RecordStatus.values)
    # The public column shows published penalties (masked), red list, licences and news.
    home = client.get("/").content.decode()
    penalties = client.get("/api/v1/public/penalties/").json()["results"]
    assert penalties and all("********" in p["subject_code"] for p in penalties if p["subject_kind"] == "自然人")
    assert client.get("/api/v1/public/red-list/").json()["results"]
    assert client.get("/api/v1/public/licences/").json()["results"]
    assert client.get("/api/v1/public/black-list/").json()["results"]
    assert "诚信主题宣传教育活动" in home


@pytest.mark.django_db
def test_load_demo_twice_keeps_one_set_of_records_and_resets_passwords():
    call_command("load_demo", "--password", "First@2026nc")
    count = Record.objects.count()
    call_command("load_demo", "--password", "Second@2026nc")
    assert Record.objects.count() == count
    assert User.objects.get(username="reviewer").check_password("Second@2026nc")
