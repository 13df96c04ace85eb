"""Annex 2's indicators: offices as the annex (rows 3 and 4 per the catalog notes), progress, confirmation, scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.models import Indicator, IndicatorEvent, IndicatorStatus
from oversight.services import (
    IndicatorError,
    business_office_codes,
    ensure_indicators,
    indicator_add_progress,
    indicator_complete,
    indicator_reopen,
    indicator_return,
)

BUSINESS = ["zuren", "yijiao", "pugao", "zhicheng", "sheguan", "sizheng", "xinli", "xuanjiao", "jijian"]

# Annex 2 by hand: (lead/responsible offices, cooperating offices), per row.
ANNEX2 = {
    1: ({"office"}, set()),
    2: ({"office"}, {"zuren", "sheguan"}),
    3: ({"office"}, {"zuren", "sheguan"}),  # blank cell: catalog note, continues row 2
    4: ({"office"}, {"zuren", "sheguan"}),  # blank cell: "as row 3"
    5: ({"office", "news"}, set()),
    6: ({"sizheng"}, set()),
    7: ({"office"}, set()),
    8: (set(BUSINESS), set()),  # 各相关业务处室: every office owning an Annex 1 item
}


def _offices(indicator):
    lead = {a.office.code for a in indicator.assignments.all() if a.role == "lead"}
    coop = {a.office.code for a in indicator.assignments.all() if a.role == "cooperating"}
    return lead, coop


@pytest.mark.django_db
def test_business_offices_are_the_item_owners():
    assert business_office_codes() == BUSINESS


@pytest.mark.django_db
def test_migration_created_the_eight_indicators_of_2026_as_annex2():
    indicators = Indicator.objects.filter(year=2026).order_by("no")
    assert [i.no for i in indicators] == list(range(1, 9))
    for indicator in indicators:
        assert _offices(indicator) == ANNEX2[indicator.no], indicator.no
        assert indicator.status == IndicatorStatus.IN_PROGRESS
    by_no = {i.no: i for i in indicators}
    assert by_no[2].lead_office.code == by_no[3].lead_office.code == "office"
    assert by_no[6].lead_office.code == "sizheng"
    assert by_no[5].lead_office is None and by_no[8].lead_office is None
    assert by_no[3].offices_text == "" and by_no[3].note
    assert by_no[8].offices_text == "各相关业务处室"


@pytest.mark.django_db
def test_ensure_indicators_on_demand_is_idempotent():
    assert ensure_indicators(2031) == 8
    assert ensure_indicators(2031) == 0
    for indicator in Indicator.objects.filter(year=2031):
        assert _offices(indicator) == ANNEX2[indicator.no]


@pytest.mark.django_db
def test_ensure_indicators_command(capsys):
    from django.core.management import call_command

    call_command("ensure_indicators", "--year", "2030")
    assert Indicator.objects.filter(year=2030).count() == 8


def _ind(no, year=2026):
    return Indicator.objects.get(year=year, no=no)


@pytest.mark.django_db
def test_progress_then_return_then_progress_then_complete(clerk_yijiao, general_office_reviewer):
    ind = _ind(8)
    entry = indicator_add_progress(
        indicator=ind, office=clerk_yijiao.offices.get(), user=clerk_yijiao, text="评优评先已查询信用记录。"
    )
    assert entry.pk
    with pytest.raises(IndicatorError):
        indicator_return(indicator=ind, user=general_office_reviewer, comment="  ")
    ind = indicator_return(indicator=ind, user=general_office_reviewer, comment="请补充佐证材料。")
    assert ind.status == IndicatorStatus.RETURNED and ind.status_comment == "请补充佐证材料。"
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    indicator_add_progress(
        indicator=ind, office=clerk_yijiao.offices.get(), user=clerk_yijiao, text="补充材料", attachment=pdf
    )
    ind.refresh_from_db()
    assert ind.status == IndicatorStatus.IN_PROGRESS
    ind = indicator_complete(indicator=ind, user=general_office_reviewer)
    assert ind.status == IndicatorStatus.DONE and ind.decided_by == general_office_reviewer
    with pytest.raises(IndicatorError):
        indicator_add_progress(indicator=ind, office=clerk_yijiao.offices.get(), user=clerk_yijiao, text="再补充")
    indicator_reopen(indicator=ind, user=general_office_reviewer)
    actions = list(IndicatorEvent.objects.filter(indicator=ind).values_list("action", flat=True))
    assert actions == ["progress", "return", "progress", "complete", "reopen"]


@pytest.mark.django_db
def test_only_the_general_office_confirms(clerk_yijiao):
    with pytest.raises(PermissionDenied):
        indicator_complete(indicator=_ind(8), user=clerk_yijiao)


@pytest.mark.django_db
def test_clerk_cannot_report_for_an_indicator_of_other_offices(clerk_yijiao):
    with pytest.raises(PermissionDenied):
        indicator_add_progress(indicator=_ind(1), office=clerk_yijiao.offices.get(), user=clerk_yijiao, text="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("a.exe", b"MZ..."), ("fake.pdf", b"<html>not a pdf"), ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))],
)
def test_attachment_type_content_and_size_are_checked(clerk_yijiao, name, content):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError):
        indicator_add_progress(
            indicator=_ind(8), office=clerk_yijiao.offices.get(), user=clerk_yijiao, text="x", attachment=upload
        )


@pytest.mark.django_db
def test_clerk_sees_only_their_offices_indicators(client, clerk_yijiao):
    client.force_login(clerk_yijiao)
    page = client.get(reverse("oversight:indicators") + "?year=2026")
    assert page.status_code == 200
    assert [i.no for i in page.context["indicators"]] == [8]
    assert client.get(reverse("oversight:indicator-detail", args=[_ind(8).pk])).status_code == 200
    for no in (1, 2, 3, 4, 5, 6, 7):
        assert client.get(reverse("oversight:indicator-detail", args=[_ind(no).pk])).status_code == 404
    # Another office's indicator: 404 for every action, before any role check.
    url = reverse("oversight:indicator-decision", args=[_ind(1).pk, "complete"])
    assert client.post(url, {"comment": ""}).status_code == 404
    assert client.post(reverse("oversight:indicator-progress", args=[_ind(1).pk]), {"text": "x"}).status_code == 404
    # Its own indicator: a clerk may not confirm it (403).
    url = reverse("oversight:indicator-decision", args=[_ind(8).pk, "complete"])
    assert client.post(url, {"comment": ""}).status_code == 403


@pytest.mark.django_db
def test_sheguan_clerk_sees_rows_2_3_4_and_8(client, clerk_sheguan):
    client.force_login(clerk_sheguan)
    page = client.get(reverse("oversight:indicators") + "?year=2026")
    assert [i.no for i in page.context["indicators"]] == [2, 3, 4, 8]


@pytest.mark.django_db
def test_progress_and_decision_through_the_pages(client, clerk_yijiao, general_office_reviewer):
    ind = _ind(8)
    client.force_login(clerk_yijiao)
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(
        reverse("oversight:indicator-progress", args=[ind.pk]),
        {
            "office": clerk_yijiao.offices.get().pk,
            "text": "已将信用记录纳入评优。",
            "link": "https://jyj.nc.gov.cn/a",
            "attachment": pdf,
        },
    )
    assert response.status_code == 302
    entry = ind.progress.get()
    download = client.get(reverse("oversight:progress-attachment", args=[entry.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(general_office_reviewer)
    response = client.post(reverse("oversight:indicator-decision", args=[ind.pk, "return"]), {"comment": ""})
    ind.refresh_from_db()
    assert ind.status == IndicatorStatus.IN_PROGRESS  # no comment: not returned
    client.post(reverse("oversight:indicator-decision", args=[ind.pk, "complete"]), {"comment": "完成良好"})
    ind.refresh_from_db()
    assert ind.status == IndicatorStatus.DONE
    # Another office's clerk cannot fetch the evidence.
    other = __import__("tests.factories", fromlist=["clerk_of"]).clerk_of("pugao", username="clerk_pugao2")
    client.force_login(other)
    assert client.get(reverse("oversight:progress-attachment", args=[entry.pk])).status_code == 200  # row 8: pugao too
    from tests.factories import clerk_of

    client.force_login(clerk_of("news"))
    assert client.get(reverse("oversight:progress-attachment", args=[entry.pk])).status_code == 404


@pytest.mark.django_db
def test_reviewer_creates_a_missing_year(client, general_office_reviewer):
    client.force_login(general_office_reviewer)
    page = client.get(reverse("oversight:indicators") + "?year=2032")
    assert page.context["can_ensure"]
    client.post(reverse("oversight:indicators-ensure"), {"year": "2032"})
    assert Indicator.objects.filter(year=2032).count() == 8


@pytest.mark.django_db
def test_indicators_api_is_scoped(client, clerk_yijiao, general_office_reviewer):
    client.force_login(general_office_reviewer)
    body = client.get("/api/v1/oversight/indicators/?year=2026").json()
    assert [i["no"] for i in body["results"]] == list(range(1, 9))
    row3 = body["results"][2]
    assert row3["lead"] == ["office"] and sorted(row3["cooperating"]) == ["sheguan", "zuren"]
    assert sorted(body["results"][7]["lead"]) == sorted(BUSINESS)
    client.force_login(clerk_yijiao)
    body = client.get("/api/v1/oversight/indicators/?year=2026").json()
    assert [i["no"] for i in body["results"]] == [8]


@pytest.mark.django_db
def test_admin_roles_have_no_oversight(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("oversight:indicators")).status_code == 403
    assert client.get(reverse("oversight:dashboard")).status_code == 403
    assert client.get("/api/v1/oversight/indicators/").status_code == 403
