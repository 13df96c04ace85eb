"""Listing on the black list from the workspace: the subject is looked up by code (and kind) in the service, and
record numbers that do not exist or are not 失信 records of that subject are refused with a clear message."""

import datetime

import pytest
from django.utils import timezone

from publicity import selectors
from publicity.models import BlackListEntry
from publicity.services import blacklist as bl
from publicity.services.errors import PublicityError

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _form(code: str, records: str, kind: str = "") -> dict:
    return {
        "subject_kind": kind,
        "subject_code": code,
        "records": records,
        "reason": "骗取资格",
        "legal_basis": "依据",
        "document_number": "洪教信〔2026〕8号",
        "decision_date": TODAY.isoformat(),
        "notified_on": TODAY.isoformat(),
        "listed_on": TODAY.isoformat(),
        "end_date": (TODAY + datetime.timedelta(days=365)).isoformat(),
        "removal_conditions": "整改完成",
    }


def _post(client, build, data):
    client.force_login(build.reviewer)
    return client.post("/workspace/publicity/black-list/new/", data)


def test_lists_the_subject_of_the_given_kind(build, client):
    record = build.record(10)
    response = _post(client, build, _form(record.subject.identifier.lower(), f"{record.pk}，{record.pk}", "legal"))
    assert response.status_code == 302
    entry = selectors.public_entries(selectors.BLACK_LIST).get()
    assert entry.subject == record.subject and list(entry.records.all()) == [record.record_ptr]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown code", "未找到代码为"),
        ("wrong kind", "未找到代码为"),
        ("no such record", "不存在"),
        ("other subject's record", "不属于该主体"),
        ("not a 失信 record", "不是失信信息"),
        ("not a number", "请填写记录编号"),
    ],
)
def test_refusals_are_clear_and_save_nothing(build, client, case, message):
    record = build.record(9, seq=8801)
    code = record.subject.identifier
    data = {
        "unknown code": _form("12360100MB0000000X", str(record.pk)),
        "wrong kind": _form(code, str(record.pk), "legal"),
        "no such record": _form(code, f"{record.pk},987654"),
        "other subject's record": _form(code, str(build.record(9, seq=8802).pk)),
        # An award of the same person: approved past the credit check with a reason.
        "not a 失信 record": _form(code, str(build.record(7, seq=8801, override_reason="已核查").pk)),
        "not a number": _form(code, "第一条"),
    }[case]
    response = _post(client, build, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BlackListEntry.objects.exists()


def test_service_refuses_non_reviewers_and_unknown_ids(build):
    from django.core.exceptions import PermissionDenied

    record = build.record(10)
    kwargs = {k: v for k, v in _form(record.subject.identifier, "").items() if k not in ("records", "subject_code")}
    for key in ("decision_date", "notified_on", "listed_on", "end_date"):
        kwargs[key] = datetime.date.fromisoformat(kwargs[key])
    with pytest.raises(PermissionDenied):
        bl.blacklist_add_by_code(
            subject_code=record.subject.identifier, record_ids=[record.pk], user=build.zuren, **kwargs
        )
    with pytest.raises(PublicityError) as exc:
        bl.blacklist_add_by_code(
            subject_code=record.subject.identifier, record_ids=[record.pk + 1000], user=build.reviewer, **kwargs
        )
    assert "records" in exc.value.errors


def test_listing_the_same_records_again_while_listed_is_refused_naming_the_entry(build, client):
    """A second press of 列入 (or a second reviewer) listed the subject twice on the column for the same records."""
    record = build.record(10)
    code = record.subject.identifier
    assert _post(client, build, _form(code, str(record.pk), "legal")).status_code == 302
    entry = BlackListEntry.objects.get()

    again = _post(client, build, _form(code, str(record.pk), "legal"))

    assert again.status_code == 200
    assert f"记录 {record.pk} 已是黑名单 #{entry.pk} 的依据，该主体仍在名单上，请勿重复列入" in again.content.decode()
    assert BlackListEntry.objects.count() == 1
    bl.blacklist_remove(entry=entry, user=build.reviewer, reason="信用修复完成")
    assert _post(client, build, _form(code, str(record.pk), "legal")).status_code == 302  # removed: may list again
