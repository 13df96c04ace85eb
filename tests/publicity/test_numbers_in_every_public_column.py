"""A penalty or licence whose decision number, authority and content columns quote ID and mobile numbers in the ways
people write them shows no full number on the public list and detail page, the feeds, the JSON and the CSV."""

import re
import unicodedata

import pytest

from credit.demo import person_id
from publicity.services import licences as lic
from tests.factories.credit import clerk_of
from tests.factories.publicity import licence_values
from tests.publicity.public_pages import every_public_rendering

pytestmark = pytest.mark.django_db

PID = person_id(5151)
MOBILE = "13907915678"
# (ID number as typed, mobile as typed): the review's forms, one per column.
PID_FORMS = [
    f"{PID[:6]} {PID[6:10]} {PID[10:14]} {PID[14:]}",
    f"{PID[:6]}/{PID[6:14]}/{PID[14:]}",
    f"{PID[:6]}.{PID[6:14]}.{PID[14:]}",
    "".join(chr(ord(c) + 0xFEE0) for c in PID[:6]) + "\u3000" + PID[6:],
    " ".join(PID[i : i + 4] for i in range(0, 18, 4)),
]
# Digits joined by up to three separator characters (after NFKC: full-width forms as ASCII).
DIGIT_RUN = re.compile(r"[0-9](?:[ \-./_,\u00b7\u2014]{0,3}[0-9Xx])*")
MOBILE_FORMS = ["139.0791.5678", "139,0791,5678", "1390 791 5678", "１３９－０７９１－５６７８", "+86 139-0791-5678"]


def full_numbers_in(page: str) -> set[str]:
    """The full ID and mobile numbers still readable in ``page``, whatever separators join their digits."""
    found = set()
    for run in DIGIT_RUN.finditer(unicodedata.normalize("NFKC", page)):
        digits = re.sub(r"[^0-9Xx]", "", run.group(0)).upper()
        found |= {n for n in (PID, MOBILE) if n in digits}
    return found


def test_a_penalty_quoting_numbers_in_every_column_shows_none(build, client):
    pub = build.penalty(
        8,
        offence=f"当事人（身份证 {PID_FORMS[0]}）违规组织有偿补课，联系电话 {MOBILE_FORMS[0]}",
        penalty_result=f"给予警告处分。家长举报人身份证 {PID_FORMS[1]}，手机{MOBILE_FORMS[1]}",
        penalty_authority=f"南昌市教育局（经办人手机{MOBILE_FORMS[2]}）",
        decision_number=f"洪教罚〔2026〕50号 {PID_FORMS[2]}",
    )
    page = every_public_rendering(client, "penalties", pub.pk)
    assert "洪教罚〔2026〕50号" in page and "南昌市教育局（经办人手机139****5678）" in page
    assert full_numbers_in(page) == set()


def test_a_licence_quoting_numbers_in_every_column_shows_none(build, client):
    data = {
        **licence_values(seq=9301),
        "xkws": f"民办学校办学许可证（联系人{MOBILE_FORMS[3]}）",
        "wsh": f"洪教许〔2026〕9301号{PID_FORMS[3]}",
        "xkzs": f"办学许可证 持证人{PID_FORMS[4]}",
        "xkbh": f"教民{MOBILE_FORMS[4]}",
        "nr": f"准予举办，联系人身份证 {PID_FORMS[0]}，电话 {MOBILE_FORMS[0]}",
        "xkjg": f"南昌市教育局（经办人{MOBILE_FORMS[1]}）",
    }
    licence = lic.licence_create(user=clerk_of("yijiao"), data=data, submit=True)
    licence = lic.licence_approve(licence=licence, user=build.reviewer, publish=True)
    page = every_public_rendering(client, "licences", licence.pk)
    assert "洪教许〔2026〕9301号" in page
    assert full_numbers_in(page) == set()
    licence.refresh_from_db()
    assert licence.wsh == data["wsh"]  # the decision itself (national export) keeps what was entered


def test_a_search_for_the_full_number_finds_nothing(build, client):
    build.penalty(8, decision_number=f"洪教罚〔2026〕51号 {PID}")
    assert "洪教罚〔2026〕51号" in client.get("/penalties/?q=洪教罚〔2026〕51号").content.decode()
    assert "洪教罚〔2026〕51号" not in client.get(f"/penalties/?q={PID}").content.decode()


def test_entries_published_before_are_masked_by_migration_0007(build, client):
    import importlib

    from django.apps import apps

    from publicity.models import Publication

    step = importlib.import_module("publicity.migrations.0007_mask_every_public_column").Migration.operations[0]
    pub = build.penalty(8)
    Publication.objects.filter(pk=pub.pk).update(  # as stored before every column was masked on save
        document_number=f"洪教罚〔2026〕52号 {PID_FORMS[1]}",
        authority=f"南昌市教育局（经办人手机{MOBILE_FORMS[0]}）",
        offence_facts=f"当事人身份证 {PID_FORMS[0]}",
        search_text=f"洪教罚〔2026〕52号 {PID_FORMS[1]}",
    )
    step.code(apps, None)
    assert full_numbers_in(every_public_rendering(client, "penalties", pub.pk)) == set()
    pub.refresh_from_db()
    assert "洪教罚〔2026〕52号" in pub.search_text and PID[6:14] not in pub.search_text
