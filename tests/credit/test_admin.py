"""The credit admin: who may enter it (三员分立), what the system admin may change, and the calendar's CSV import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from credit.models import CalendarDay, DayKind, InstitutionRecord, Item, ItemField, Office

pytestmark = pytest.mark.django_db

PASSWORD = "Pa55word!x"
CALENDAR_LIST = reverse("admin:credit_calendarday_changelist")
CALENDAR_IMPORT = reverse("admin:credit_calendarday_import_csv")
ITEM_LIST = reverse("admin:credit_item_changelist")
OFFICE_LIST = reverse("admin:credit_office_changelist")
USER_LIST = reverse("admin:accounts_user_changelist")
ADMIN_LOGIN = reverse("admin:login")


def make_user(role: str, username: str | None = None) -> User:
    # Not User.objects.create_user: Django's version passes is_staff=False, which the role-derived property rejects.
    user = User(username=username or role, role=role)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def sysadmin_client(client):
    client.force_login(make_user(Role.SYSADMIN))
    return client


@pytest.fixture
def secadmin_client(client):
    client.force_login(make_user(Role.SECADMIN))
    return client


def csv_upload(text: str, name: str = "calendar.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def provisional_record() -> InstitutionRecord:
    """An item-3 record of 28 Dec 2026 whose due date was computed before 2027's arrangement was known."""
    clerk = make_user(Role.CLERK, "clerk1")
    return InstitutionRecord.objects.create(
        item=Item.objects.get(no=3),
        office=Office.objects.get(code="yijiao"),
        created_by=clerk,
        updated_by=clerk,
        org_name="南昌市测试小学",
        org_code="91350100M000100Y43",
        supervising_authority="南昌市教育局",
        school_type="小学",
        business_date=date(2026, 12, 28),
        due_date=date(2027, 1, 7),  # 元旦 (1 Jan) computed by law; 2027's notice not entered yet
        due_date_provisional=True,
        validity_end=date(2031, 12, 28),
    )


# --- who may enter -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/", CALENDAR_LIST, ITEM_LIST, CALENDAR_IMPORT])
def test_anonymous_is_sent_to_the_admin_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.AUDITOR])
@pytest.mark.parametrize("url", ["/admin/", CALENDAR_LIST, ITEM_LIST, USER_LIST, CALENDAR_IMPORT])
def test_non_admin_roles_cannot_enter_the_admin(client, role, url):
    client.force_login(make_user(role))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)
    # The login page itself answers (it tells them they are not authorised), it does not crash.
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [(CALENDAR_LIST, 200), (ITEM_LIST, 200), (OFFICE_LIST, 200), (CALENDAR_IMPORT, 200), (USER_LIST, 403)],
)
def test_system_admin_manages_the_system_not_the_users(sysadmin_client, url, expected):
    assert sysadmin_client.get(url).status_code == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [(USER_LIST, 200), (CALENDAR_LIST, 403), (ITEM_LIST, 403), (OFFICE_LIST, 403), (CALENDAR_IMPORT, 403)],
)
def test_security_admin_manages_the_users_not_the_system(secadmin_client, url, expected):
    assert secadmin_client.get(url).status_code == expected


def test_security_admin_cannot_post_an_import(secadmin_client):
    response = secadmin_client.post(CALENDAR_IMPORT, {"file": csv_upload("2027-01-01,holiday,元旦\n")})
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_admin_speaks_chinese(sysadmin_client):
    page = sysadmin_client.get(CALENDAR_LIST).content.decode()
    assert "节假日与调休" in page
    assert "从CSV导入" in page and CALENDAR_IMPORT in page
    assert "星期六" in page  # the adjusted Saturdays are recognisable in the list
    index = sysadmin_client.get("/admin/").content.decode()
    assert "信用信息事项" in index and "处室" in index
    assert USER_LIST not in index  # the security admin's model is not offered


# --- items and offices ---------------------------------------------------------------------------------------


def test_item_list_shows_the_annex_attributes(sysadmin_client):
    page = sysadmin_client.get(ITEM_LIST).content.decode()
    for item in Item.objects.all():
        assert item.name in page
    assert "政务共享" in page or Item.objects.first().sharing_scope in page
    assert Item.objects.get(no=2).deadline_text in page


def test_item_page_shows_its_data_items_read_only(sysadmin_client):
    item = Item.objects.get(no=2)
    page = sysadmin_client.get(reverse("admin:credit_item_change", args=[item.pk])).content.decode()
    for field in ItemField.objects.filter(item=item):
        assert field.name in page
        assert field.key in page
    assert 'name="fields-0-name"' not in page  # the inline has no inputs
    assert 'name="fields-TOTAL_FORMS"' in page  # (the management form is still there)
    assert 'name="subject_type"' not in page  # an Annex 1 attribute: read-only
    assert 'name="deadline_days"' in page  # an operational setting: editable


def test_system_admin_changes_operational_settings_but_not_annex_attributes(sysadmin_client):
    item = Item.objects.get(no=2)
    url = reverse("admin:credit_item_change", args=[item.pk])
    count = item.fields.count()
    data = {
        "name": "改名",
        "subject_type": "自然人",
        "name_en": "Penalties",
        "deadline_days": "10",
        "deadline_from": item.deadline_from,
        "fields-TOTAL_FORMS": str(count),
        "fields-INITIAL_FORMS": str(count),
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "0",
    }
    for i, field in enumerate(item.fields.order_by("position")):
        data[f"fields-{i}-id"] = str(field.pk)
        data[f"fields-{i}-item"] = str(item.pk)
    response = sysadmin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert (item.name_en, item.deadline_days) == ("Penalties", 10)
    assert item.name == "学校、办学机构处罚信息" and item.subject_type != "自然人"
    assert item.fields.count() == count


def test_items_and_offices_cannot_be_added_or_deleted(sysadmin_client):
    item = Item.objects.get(no=1)
    office = Office.objects.get(code="yijiao")
    assert sysadmin_client.get(reverse("admin:credit_item_add")).status_code == 403
    assert sysadmin_client.get(reverse("admin:credit_item_delete", args=[item.pk])).status_code == 403
    assert sysadmin_client.get(reverse("admin:credit_office_add")).status_code == 403
    assert sysadmin_client.get(reverse("admin:credit_office_delete", args=[office.pk])).status_code == 403


def test_office_name_en_and_email_are_editable_code_and_name_are_not(sysadmin_client):
    office = Office.objects.get(code="yijiao")
    url = reverse("admin:credit_office_change", args=[office.pk])
    response = sysadmin_client.post(
        url, {"code": "hacked", "name": "改名", "name_en": "Compulsory Education", "email": "yijiao@example.cn"}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.code, office.name) == ("yijiao", "义教处")
    assert (office.name_en, office.email) == ("Compulsory Education", "yijiao@example.cn")


def test_office_search(sysadmin_client):
    page = sysadmin_client.get(OFFICE_LIST, {"q": "义教"}).content.decode()
    assert "义教处" in page and "组人处" not in page


# --- calendar editing recomputes provisional due dates --------------------------------------------------------


def test_adding_a_holiday_recomputes_provisional_due_dates(sysadmin_client):
    record = provisional_record()
    response = sysadmin_client.post(
        reverse("admin:credit_calendarday_add"), {"date": "2027-01-04", "kind": DayKind.HOLIDAY, "name": "元旦"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    # Moved by the added day; still 暂定: a stored day does not make 2027 official.
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)


def test_changing_a_day_recomputes_provisional_due_dates(sysadmin_client):
    record = provisional_record()
    day = CalendarDay.objects.create(date=date(2028, 1, 3), kind=DayKind.HOLIDAY, name="元旦")
    url = reverse("admin:credit_calendarday_change", args=[day.pk])
    # Corrected from 2028 to 2027: the record's window now holds one more holiday.
    response = sysadmin_client.post(url, {"date": "2027-01-04", "kind": DayKind.HOLIDAY, "name": "元旦"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)


def test_deleting_a_day_recomputes_provisional_due_dates(sysadmin_client):
    record = provisional_record()
    workday = CalendarDay.objects.create(date=date(2027, 1, 2), kind=DayKind.WORKDAY, name="元旦")
    CalendarDay.objects.create(date=date(2027, 1, 4), kind=DayKind.HOLIDAY, name="元旦")
    url = reverse("admin:credit_calendarday_delete", args=[workday.pk])
    response = sysadmin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=workday.pk).exists()
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)


def test_bulk_delete_recomputes_provisional_due_dates(sysadmin_client):
    record = provisional_record()
    days = [
        CalendarDay.objects.create(date=date(2027, 1, 4), kind=DayKind.HOLIDAY, name="元旦"),
        CalendarDay.objects.create(date=date(2027, 1, 2), kind=DayKind.WORKDAY, name="元旦"),
    ]
    response = sysadmin_client.post(
        CALENDAR_LIST,
        {"action": "delete_selected", "_selected_action": [days[1].pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 1
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)


def test_calendar_changelist_filters_by_year_and_kind(sysadmin_client):
    page = sysadmin_client.get(CALENDAR_LIST, {"date__year": "2026", "kind": DayKind.WORKDAY}).content.decode()
    assert "2026-02-28" in page or "2026年2月28日" in page
    assert "2026年2月16日" not in page and "2026-02-16" not in page  # a holiday
    assert "2025年" not in page.split('id="result_list"')[1]


# --- 从CSV导入 -------------------------------------------------------------------------------------------------


def test_import_view_saves_the_rows_and_reports_counts(sysadmin_client):
    record = provisional_record()
    upload = csv_upload("日期,类型,名称\n2027-01-01,休,元旦\n2027-01-04,休,元旦\n2026-02-16,holiday,春节假期\n")
    response = sysadmin_client.post(CALENDAR_IMPORT, {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == CALENDAR_LIST
    page = response.content.decode()
    assert "导入完成：新增 2 天，更新 1 天，重新计算 1 条截止日期。" in page
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节假期"
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)


def test_import_view_accepts_a_gbk_txt_file(sysadmin_client):
    upload = csv_upload("2027-01-01,休,元旦\n", name="2027.txt", encoding="gbk")
    response = sysadmin_client.post(CALENDAR_IMPORT, {"file": upload})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "元旦"


def test_import_view_shows_every_error_and_saves_nothing(sysadmin_client):
    before = CalendarDay.objects.count()
    upload = csv_upload("2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n2027-02-06,周末,春节\n")
    response = sysadmin_client.post(CALENDAR_IMPORT, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "第2行“日期”列" in page
    assert "第3行“类型”列：“周末”无效" in page
    assert "发现 2 处错误，未保存任何数据" in page
    assert CalendarDay.objects.count() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_upload("2027-01-01,holiday,元旦\n", name="calendar.xlsx"), "只接受 .csv 或 .txt 文件"),
        (csv_upload("2027-01-01,holiday,元旦\n" * 50_000), "文件过大"),
        (SimpleUploadedFile("calendar.csv", b"PK\x03\x04\x00\x00binary"), "不是文本格式的CSV文件"),
    ],
    ids=["extension", "size", "binary"],
)
def test_import_view_rejects_unsuitable_files(sysadmin_client, upload, message):
    before = CalendarDay.objects.count()
    response = sysadmin_client.post(CALENDAR_IMPORT, {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CalendarDay.objects.count() == before


def test_import_view_requires_a_file(sysadmin_client):
    response = sysadmin_client.post(CALENDAR_IMPORT, {})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()
