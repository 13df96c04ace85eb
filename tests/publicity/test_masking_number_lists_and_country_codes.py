"""ID and mobile numbers written as a list (``13907915678,13807915678``, ``…/…``), with a country code
(``+8613907915678``, ``0086-139-0791-5678``) or followed by a landline (``139 0791 5678 / 0791-86123456``) are masked
like a lone number on the public column; dates, amounts, document numbers and credit codes in lists stay as typed.
Stored text is re-masked by migration 0017."""

import importlib

import pytest
from django.apps import apps
from django.test import override_settings

from credit.demo import person_id
from publicity import pagecache
from publicity.masking import mask_free_text

PID, PID2 = person_id(4242), person_id(4243)


def masked_id(pid: str) -> str:
    return pid[:6] + "********" + pid[-4:]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{PID},{PID2}", f"{masked_id(PID)},{masked_id(PID2)}"),
        (f"身份证{PID}/{PID2}。", f"身份证{masked_id(PID)}/{masked_id(PID2)}。"),
        ("13907915678,13807915678", "139****5678,138****5678"),
        ("13907915678/13807915678", "139****5678/138****5678"),
        ("手机13907915678 , 13807915678", "手机139****5678 , 138****5678"),
        ("13907915678-13807915678", "139****5678-138****5678"),  # two whole numbers, whatever joins them
        (f"13907915678,{PID}", f"139****5678,{masked_id(PID)}"),
        ("+8613907915678", "+86139****5678"),
        ("8613907915678", "86139****5678"),
        ("＋８６１３９０７９１５６７８", "+86139****5678"),
        ("0086-139-0791-5678", "0086-139****5678"),
        ("008613907915678", "0086139****5678"),
        ("+86 139 0791 5678", "+86 139****5678"),
        ("+86-139-0791-5678", "+86-139****5678"),
        ("139 0791 5678 / 0791-86123456", "139****5678 / 0791-****3456"),
        ("0791-86123456,13907915678", "0791-****3456,139****5678"),
        ("2026.3.2,13907915678", "2026.3.2,139****5678"),
    ],
)
def test_each_list_and_country_code_form_is_masked(text, expected):
    assert mask_free_text(text) == expected
    assert mask_free_text(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026/03/02,2026/03/13",
        "2026-03-02/2026-03-13",
        "2000/01/13 2000 0101 1",  # a date's day and the digits after it are no mobile
        "罚款1,000元/2,000元，1,234,567.89元",
        "洪教罚〔2026〕2号,洪教罚〔2026〕3号",
        "代码91360100MA35XXXX1X,91360100158301234X",
        "第3/4/5条，86分/90分，学号2026001,2026002",
    ],
)
def test_ordinary_lists_stay_as_typed(text):
    assert mask_free_text(text) == text


@override_settings(PUBLIC_INSTITUTION_NUMBERS=["0791-86766000", "12345"])
def test_the_hotline_in_a_list_stays_and_the_mobile_beside_it_is_masked():
    assert mask_free_text("咨询0791-86766000/12345") == "咨询0791-86766000/12345"
    assert mask_free_text("0791-86766000/13907915678") == "0791-86766000/139****5678"


@pytest.mark.django_db
def test_migration_0017_remasks_lists_and_country_codes_already_on_the_column(build, client):
    from publicity.models import BlackListEntry, Publication

    migration = importlib.import_module("publicity.migrations.0017_remask_number_lists_and_country_codes")
    teacher, school = build.penalty(8), build.penalty(2)
    entry = build.blacklist()
    Publication.objects.filter(pk=teacher.pk).update(offence_facts=f"当事人{PID},{PID2}，住XX小区3-2-501")
    Publication.objects.filter(pk=school.pk).update(content="家长电话139 0791 5678 / 0791-86123456，在XX小区3-2-501")
    BlackListEntry.objects.filter(pk=entry.pk).update(reason="手机+8613907915678", subject_name="周某13907915678/")
    assert PID2 in client.get(f"/penalties/{teacher.pk}/").content.decode()

    migration.remask_public_text(apps, None)
    pagecache.everything_changed()  # what ``migrate`` does after its migrations (post_migrate)

    page = client.get(f"/penalties/{teacher.pk}/").content.decode()
    assert PID not in page and PID2 not in page and masked_id(PID2) in page
    assert "XX小区*-*-***" in page  # a natural person's home
    school.refresh_from_db()
    assert school.content == "家长电话139****5678 / 0791-****3456，在XX小区3-2-501"  # a school's premises stay
    entry.refresh_from_db()
    assert (entry.reason, entry.subject_name) == ("手机+86139****5678", "周某139****5678/")
    assert "13907915678" not in entry.search_text and "139****5678" in entry.search_text
    migration.remask_public_text(apps, None)  # running it again changes nothing
    entry.refresh_from_db()
    assert entry.reason == "手机+86139****5678"
