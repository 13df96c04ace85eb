"""Free text copied to the column (违法行为, 处罚结果, 荣誉内容, 列入事由, 许可内容, corrected content) never shows a full
resident ID number or mobile number: pages, feeds, JSON and CSV open data all carry the masked text."""

import pytest

from credit.demo import person_id
from publicity import pagecache
from publicity.masking import mask_free_text, mask_personal_text
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


# --- home addresses (natural persons' entries) ----------------------------------------------------------------------

HOME = "南昌市青山湖区北京东路88号5栋1单元302室"
HOME_MASKED = "南昌市青山湖区北京东路**号*栋*单元***室"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"在其家庭住址{HOME}内违规补课", f"在其家庭住址{HOME_MASKED}内违规补课"),
        ("住１２号楼３单元５０１室", "住**号楼*单元***室"),
        ("家住XX村3组15号", "家住XX村*组**号"),
        ("租住阳光苑12号", "租住阳光苑**号"),
        ("住5栋1-302", "住*栋*-***"),
        ("家住解放路一号三栋二单元五〇二室", "家住解放路*号*栋*单元***室"),  # Chinese numerals too
        ("阳光花园十二栋三单元", "阳光花园**栋*单元"),
        # not addresses: a document or serial number, a floor, a count, dates and amounts
        ("洪教罚〔2026〕4号2026年3月1日作出", "洪教罚〔2026〕4号2026年3月1日作出"),
        ("赣教许字第36010号", "赣教许字第36010号"),
        ("在教学楼3层，共3户，罚款5000元", "在教学楼3层，共3户，罚款5000元"),
        ("第一组在一楼，共三户，二〇二六年三月三号文件", "第一组在一楼，共三户，二〇二六年三月三号文件"),
    ],
)
def test_mask_personal_text_hides_the_door_not_the_street(text, expected):
    assert mask_personal_text(text) == expected
    assert mask_personal_text(expected) == expected


def test_a_teachers_home_address_in_the_facts_is_masked_on_every_public_rendering(build, client):
    # Before: the ID number was masked and the address beside it was published in full (page, JSON, CSV, feed).
    pub = build.penalty(8, offence=f"在其家庭住址{HOME}内违规组织有偿补课，身份证{PID}")
    text = every_public_rendering(client, "penalties", pub.pk)
    assert "88号5栋" not in text and "302室" not in text
    assert HOME_MASKED in text
    _assert_masked(text)


def test_a_correction_after_an_objection_is_masked_too(build, client):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(
        request=req,
        user=build.reviewer,
        outcome="corrected",
        reply="已更正",
        corrected_content=f"警告（住{HOME}）",
    )
    text = every_public_rendering(client, "penalties", pub.pk)
    assert HOME not in text and HOME_MASKED in text


def test_a_schools_address_stays_readable(build, client):
    # A legal person's premises are public (its licence, its registered address); only natural persons' are masked.
    pub = build.penalty(2, penalty_content=f"在{HOME}擅自设立教学点")
    assert HOME in every_public_rendering(client, "penalties", pub.pk)


def test_the_reply_on_the_tracking_page_masks_a_home_address(build, client):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply=f"经核实当事人住{HOME}")
    page = client.get(f"/track/{req.tracking_code}/").content.decode()
    assert HOME not in page and HOME_MASKED in page


def test_migration_masks_home_addresses_already_on_the_column(build, client):
    import importlib

    from django.apps import apps

    from publicity.models import Publication

    migration = importlib.import_module("publicity.migrations.0016_mask_home_addresses")
    teacher, school = build.penalty(8), build.penalty(2)
    Publication.objects.filter(pk__in=[teacher.pk, school.pk]).update(offence_facts=f"在{HOME}补课")
    migration.mask_home_addresses(apps, None)
    pagecache.everything_changed()
    assert HOME_MASKED in client.get(f"/penalties/{teacher.pk}/").content.decode()
    assert HOME in client.get(f"/penalties/{school.pk}/").content.decode()
