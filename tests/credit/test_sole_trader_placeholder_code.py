"""The code of unlicensed 个体工商户 (17 zeros and X) is shared by every such business, so it identifies none.

Before, two different 托管班 penalised under it became one credit subject: the second was asked to confirm that the
name differs from the first's, both showed together on one public page /org/00000000000000000X/ (and in one credit
report and vetting result), and a third business penalised the same day with the same penalty was refused as a
duplicate of the first. Now a record with that code links to no subject, the same decision is the same business's
(its name too), and the code has no public page.
"""

import pytest

from credit.models import Item, Record
from credit.services import records as services
from tests.factories import create_record, record_values

pytestmark = pytest.mark.django_db

PLACEHOLDER = "00000000000000000X"


def _penalty(clerk, name, seq):
    data = {
        **record_values(2, seq),
        "org_name": name,
        "org_code": PLACEHOLDER,
        "subject_category": "个体工商户",
        "penalty_date": "2026-11-02",
        "penalty_type": "警告",
    }
    return services.record_create(item=Item.objects.get(no=2), user=clerk, data=data)


def test_businesses_under_the_placeholder_code_stay_apart(clerk_yijiao, reviewer, client):
    first = _penalty(clerk_yijiao, "南昌市青山湖区小明托管班", 1)
    second = _penalty(clerk_yijiao, "南昌市西湖区阳光托管部", 2)  # no 确认主体名称不同 asked: nothing to confirm

    assert first.subject_id is None and second.subject_id is None
    assert Record.objects.count() == 2
    with pytest.raises(services.DuplicateRecordError) as refused:
        _penalty(clerk_yijiao, "南昌市青山湖区小明托管班", 3)  # the first business's decision entered again
    assert f"系统中已有相同记录 #{first.pk}" in str(refused.value)

    for record in (first, second):
        services.record_submit(record=record, user=clerk_yijiao)
        record.refresh_from_db()
        services.record_approve(record=record, user=reviewer)
    assert client.get(f"/org/{PLACEHOLDER}/").status_code == 404


def test_records_already_joined_under_the_placeholder_are_unlinked_by_the_migration(clerk_yijiao):
    import importlib

    from django.apps import apps

    from credit.models import Subject, SubjectKind

    shared = Subject.objects.create(
        kind=SubjectKind.LEGAL,
        identifier=PLACEHOLDER,
        identifier_kind="uscc_placeholder",
        name="南昌市青山湖区小明托管班",
    )
    joined = [_penalty(clerk_yijiao, name, seq) for seq, name in enumerate(["甲托管班", "乙托管部"], start=1)]
    Record.objects.filter(pk__in=[r.pk for r in joined]).update(subject=shared)  # as saved before the fix
    other = create_record(2, clerk_yijiao, seq=9)
    assert other.subject_id is not None

    migration = importlib.import_module("credit.migrations.0023_unlink_sole_trader_placeholder_subject")
    migration.unlink(apps, None)

    assert set(Record.objects.filter(pk__in=[r.pk for r in joined]).values_list("subject_id", flat=True)) == {None}
    assert Record.objects.get(pk=other.pk).subject_id == other.subject_id


def test_the_import_tells_businesses_under_the_placeholder_code_apart_as_the_form_does(clerk_yijiao):
    from reporting.columns import optional_columns, template_headers
    from reporting.imports import RecordImporter
    from tests.reporting.workbooks import template_rows, workbook_bytes

    extra = [c.name for c in optional_columns(2)][:3]  # 文书号, 违法行为类型, 行政相对人类别

    def row(seq, name):
        values = dict(zip(template_headers(2), template_rows(2, [seq])[0], strict=True))
        values.update({"学校／机构名称": name, template_headers(2)[1]: PLACEHOLDER, "处罚日期": "2026-11-02"})
        values["处罚类型"] = "警告"
        return [*values.values(), f"洪教罚〔2026〕{seq}号", "", "个体工商户"]

    def run(rows):
        return RecordImporter(item=Item.objects.get(no=2), office=clerk_yijiao.offices.first(), user=clerk_yijiao).run(
            workbook_bytes(2, rows, header=[*template_headers(2), *extra])
        )

    done = run([row(1, "南昌市青山湖区小明托管班"), row(2, "南昌市西湖区阳光托管部")])
    assert not done.errors and Record.objects.count() == 2
    again = run([row(3, "南昌市青山湖区小明托管班")])
    assert [e.reason for e in again.errors] == [again.errors[0].reason] and "请勿重复报送" in again.errors[0].reason


def test_a_published_entry_under_the_placeholder_code_links_to_no_organisation_page(clerk_yijiao, reviewer, client):
    from publicity.services.approvals import record_approve_and_publish

    record = _penalty(clerk_yijiao, "南昌市青山湖区小明托管班", 1)
    services.record_submit(record=record, user=clerk_yijiao)
    record.refresh_from_db()
    approval = record_approve_and_publish(
        record=record,
        user=reviewer,
        publication={
            "penalty_basis": "《民办教育促进法》",
            "penalty_category": "警告",
            "decision_number": "洪教罚〔2026〕9号",
            "offence_type": "无证办学",
        },
    )
    assert approval.published, approval.publication_errors
    for url in ("/penalties/", f"/penalties/{approval.publication.pk}/"):
        page = client.get(url).content.decode()
        assert PLACEHOLDER in page and f"/org/{PLACEHOLDER}/" not in page, url
