"""Free text copied to the column (违法行为, 处罚结果, 荣誉内容, 列入事由, 许可内容, corrected content) never shows a full
resident ID number or mobile number: pages, feeds, JSON and CSV open data all carry the masked text."""

import pytest

from credit.demo import person_id
from publicity import pagecache
from publicity.masking import mask_free_text
from publicity.services.requests import objection_file, request_decide
from tests.publicity.public_pages import every_public_rendering

pytestmark = pytest.mark.django_db

PID = person_id(4242)  # 360102…: a valid resident ID number
PID_MASKED = PID[:6] + "********" + PID[-4:]
PHONE, PHONE_MASKED = "13907915678", "139****5678"


def _assert_masked(text: str, *, phone: bool = False) -> None:
    assert PID not in text and PID_MASKED in text
    if phone:
        assert PHONE not in text and PHONE_MASKED in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证{PID}，手机{PHONE}。", f"身份证{PID_MASKED}，手机{PHONE_MASKED}。"),
        ("证号36010219900307123x", "证号360102********123X"),
        ("电话 +86 139-0791-5678", "电话 +86 139****5678"),
        (
            "代码12360100MB1234567X、文号20261234567890123456不变",
            "代码12360100MB1234567X、文号20261234567890123456不变",
        ),
        (f"已脱敏{PID_MASKED}", f"已脱敏{PID_MASKED}"),
    ],
)
def test_mask_free_text(text, expected):
    assert mask_free_text(text) == expected
    assert mask_free_text(expected) == expected


def test_penalty_offence_and_result(build, client):
    pub = build.penalty(8, offence=f"违规补课（学生家长{PHONE}举报）", penalty_result=f"警告，当事人身份证号{PID}")
    text = every_public_rendering(client, "penalties", pub.pk)
    _assert_masked(text, phone=True)
    assert "违规补课" in text


def test_red_list_honour(build, client):
    pub = build.red(7, honour_matter=f"推荐人身份证{PID}")
    _assert_masked(every_public_rendering(client, "red-list", pub.pk))


def test_black_list_reason(build, client):
    entry = build.blacklist(reason=f"冒用{PID}注册，联系电话{PHONE}")
    _assert_masked(every_public_rendering(client, "black-list", entry.pk), phone=True)


def test_licence_content_masked_on_the_column_but_kept_on_the_decision(build, client):
    licence = build.licence()
    type(licence).objects.filter(pk=licence.pk).update(nr=f"准予举办，联系人手机{PHONE}，身份证{PID}")
    _assert_masked(every_public_rendering(client, "licences", licence.pk), phone=True)
    licence.refresh_from_db()
    assert PID in licence.nr  # the decision itself (national export) keeps what was entered


def test_corrected_content_is_masked(build, client):
    pub = build.penalty(2)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(
        request=req, user=build.reviewer, outcome="corrected", reply="更正", corrected_content=f"警告（{PID}）"
    )
    _assert_masked(every_public_rendering(client, "penalties", pub.pk))


def test_migration_masks_text_already_on_the_column(build, client):
    import importlib

    from django.apps import apps

    from publicity.models import Publication

    migration = importlib.import_module("publicity.migrations.0005_corrected_content_and_masked_text")
    pub = build.penalty(2)
    Publication.objects.filter(pk=pub.pk).update(offence_facts=f"当事人{PID}")
    assert PID in client.get(f"/penalties/{pub.pk}/").content.decode()
    migration.mask_stored_text(apps, None)
    pagecache.everything_changed()  # what ``migrate`` does after its migrations (post_migrate)
    _assert_masked(client.get(f"/penalties/{pub.pk}/").content.decode())


def test_reply_on_the_public_tracking_page_is_masked(build, client):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply=f"经核实身份证{PID}无误，电话{PHONE}")
    page = client.get(f"/track/{req.tracking_code}/").content.decode()
    assert "经核实身份证" in page
    _assert_masked(page, phone=True)


def test_migration_0006_remasks_forms_the_first_pass_missed(build, client):
    import importlib

    from django.apps import apps

    from publicity.models import BlackListEntry, Publication

    migration = importlib.import_module("publicity.migrations.0006_remask_free_text").Migration
    step = migration.operations[0]
    assert step.reversible and step.reverse_code is not None
    pub = build.penalty(2)
    entry = build.blacklist()
    old_id = "360102900101123"
    Publication.objects.filter(pk=pub.pk).update(
        offence_facts=f"当事人{PID[:6]} {PID[6:14]} {PID[14:]}，电话0791-86123456"
    )
    BlackListEntry.objects.filter(pk=entry.pk).update(reason=f"冒用旧证号{old_id}，手机１３９０７９１５６７８")
    step.code(apps, None)
    page = client.get(f"/penalties/{pub.pk}/").content.decode()
    _assert_masked(page)
    assert "0791-****3456" in page and "86123456" not in page
    entry.refresh_from_db()
    assert entry.reason == f"冒用旧证号{old_id[:6]}*****{old_id[-4:]}，手机{PHONE_MASKED}"
    step.code(apps, None)  # running it again changes nothing
    entry.refresh_from_db()
    assert entry.reason == f"冒用旧证号{old_id[:6]}*****{old_id[-4:]}，手机{PHONE_MASKED}"
