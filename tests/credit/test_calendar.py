"""The working-day calendar: due dates, semiannual periods, CSV import, seeding and the management commands."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import Role
from credit.models import CalendarDay, CalendarYear, DayKind, InstitutionRecord, Item, Office, Record
from credit.services.calendar import (
    DueDate,
    calendar_import_csv,
    calendar_year_set_complete,
    due_date_for,
    item_due_date,
    recompute_provisional_due_dates,
    semiannual_period,
)

pytestmark = pytest.mark.django_db


def make_user(role: str = Role.CLERK, username: str = "clerk1"):
    # Not User.objects.create_user: Django's version passes is_staff=False, which the role-derived property rejects.
    user = User(username=username, role=role)
    user.set_password("Pa55word!x")
    user.save()
    return user


def make_provisional_record(business_date: date = date(2026, 12, 28)) -> InstitutionRecord:
    """An item-3 record whose due date was computed before 2027's arrangement was known."""
    user = make_user()
    due = due_date_for(business_date, 7)
    assert due.provisional
    return InstitutionRecord.objects.create(
        item=Item.objects.get(no=3),
        office=Office.objects.get(code="yijiao"),
        created_by=user,
        updated_by=user,
        org_name="南昌市测试小学",
        org_code="91350100M000100Y43",
        supervising_authority="南昌市教育局",
        school_type="小学",
        business_date=business_date,
        due_date=due.due,
        due_date_provisional=True,
        validity_end=date(2031, 12, 28),
    )


# --- due dates -------------------------------------------------------------------------------------------------


def test_spring_festival_is_skipped_and_adjusted_saturdays_count():
    # 13 Feb (Fri), 14 Feb (Sat, 调休), 15–23 Feb holiday, 24–27 Feb, 28 Feb (Sat, 调休) = seven working days.
    assert due_date_for(date(2026, 2, 12), 7) == DueDate(date(2026, 2, 28), False)


def test_without_the_calendar_the_spring_festival_rule_would_give_another_date():
    # Guards the test above: it must depend on the stored calendar, not on the Monday–Friday rule.
    CalendarDay.objects.filter(date__year=2026, date__month=2).delete()
    assert due_date_for(date(2026, 2, 12), 7).due == date(2026, 2, 23)


def test_a_normal_week():
    # Monday 2 March 2026: Tue–Fri, then Mon–Wed of the next week; the business date itself is not counted.
    assert due_date_for(date(2026, 3, 2), 7) == DueDate(date(2026, 3, 11), False)
    assert due_date_for(date(2026, 3, 6), 1) == DueDate(date(2026, 3, 9), False)  # Friday → Monday


def test_new_years_day_and_the_adjusted_sunday():
    # 1–3 Jan 2026 holiday, Sunday 4 Jan 2026 worked (调休).
    assert due_date_for(date(2025, 12, 31), 7) == DueDate(date(2026, 1, 12), False)


def test_business_date_at_the_end_of_a_year_whose_successor_is_unknown_is_provisional():
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    # 29, 30, 31 Dec, then Monday–Friday in 2027; 1 Jan is 元旦 by law although the arrangement is not known yet.
    assert due_date_for(date(2026, 12, 28), 7) == DueDate(date(2027, 1, 7), True)
    assert due_date_for(date(2026, 12, 31), 7) == DueDate(date(2027, 1, 12), True)
    assert due_date_for(date(2027, 1, 1), 7) == DueDate(date(2027, 1, 12), True)


def test_a_date_within_a_known_year_is_not_provisional():
    assert due_date_for(date(2026, 12, 1), 7) == DueDate(date(2026, 12, 10), False)


def test_importing_next_years_days_updates_stored_records_but_the_year_stays_provisional():
    record = make_provisional_record()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 7), True)

    # The notice adds a 调休 Monday off (4 Jan, invented for the test): the stored record moves, still 暂定.
    result = calendar_import_csv(data="2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n")

    assert due_date_for(date(2026, 12, 28), 7) == DueDate(date(2027, 1, 8), True)
    assert (result.created, result.updated, result.recomputed) == (2, 0, 1)
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)

    calendar_year_set_complete(year=2027, complete=True, notice="国办发明电〔2026〕1号")
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), False)


def test_recompute_leaves_a_submitted_records_official_due_date_alone():
    record = make_provisional_record()
    # A final date of a submitted record stays what the office was measured against.
    Record.objects.filter(pk=record.pk).update(due_date_provisional=False, status="submitted")
    CalendarDay.objects.create(date=date(2027, 1, 4), kind=DayKind.HOLIDAY, name="元旦")
    assert recompute_provisional_due_dates(years={2027}) == 0
    Record.objects.filter(pk=record.pk).update(due_date_provisional=True)
    assert recompute_provisional_due_dates(years={2027}) == 1
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2027, 1, 8), True)
    assert recompute_provisional_due_dates(years={2027}) == 0  # nothing left to move


def test_item_due_date_follows_the_items_rule():
    assert item_due_date(Item.objects.get(no=3), date(2026, 2, 12)) == DueDate(date(2026, 2, 28), False)
    assert item_due_date(Item.objects.get(no=1), date(2026, 3, 1)) == DueDate(date(2026, 6, 30), False)


# --- semiannual periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 3, 1), (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 6, 30), (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), (date(2026, 7, 1), date(2026, 12, 31))),
        (date(2026, 12, 31), (date(2026, 7, 1), date(2026, 12, 31))),
    ],
)
def test_semiannual_period(day, period):
    assert semiannual_period(day) == period


# --- CSV import ----------------------------------------------------------------------------------------------


def test_import_a_good_file_with_header():
    result = calendar_import_csv(
        data="date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n2027-02-07,休,春节\n".encode()
    )
    assert (result.created, result.updated) == (3, 0)
    stored = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2027)}
    assert stored == {
        date(2027, 1, 1): (DayKind.HOLIDAY, "元旦"),
        date(2027, 2, 6): (DayKind.WORKDAY, "春节"),
        date(2027, 2, 7): (DayKind.HOLIDAY, "春节"),
    }


def test_header_is_optional_and_a_bom_is_accepted():
    result = calendar_import_csv(data="\ufeff2027-01-01,班,\n2027/1/2,holiday,元旦\n".encode())
    assert result.created == 2
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=date(2027, 1, 2)).kind == DayKind.HOLIDAY


def test_importing_an_existing_date_updates_it():
    result = calendar_import_csv(data="2026-02-16,holiday,春节假期\n2026-02-17,holiday,春节\n")
    assert (result.created, result.updated) == (0, 1)
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节假期"


def test_bad_rows_are_all_reported_with_their_row_numbers_and_nothing_is_saved():
    before = CalendarDay.objects.count()
    data = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n2027-02-06,周末,春节\n"
    with pytest.raises(ValidationError) as exc:
        calendar_import_csv(data=data)
    messages = exc.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("第3行“日期”列")
    assert messages[1].startswith("第4行“类型”列") and "周末" in messages[1]
    assert CalendarDay.objects.count() == before
    assert not CalendarDay.objects.filter(date=date(2027, 1, 1)).exists()


def test_duplicate_dates_in_the_file_are_rejected():
    with pytest.raises(ValidationError) as exc:
        calendar_import_csv(data="2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-01,workday,元旦\n")
    assert exc.value.messages == ["第3行：日期 2027-01-01 重复。"]
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_an_empty_file_is_rejected():
    with pytest.raises(ValidationError):
        calendar_import_csv(data="date,kind,name\n")


# --- seeding -------------------------------------------------------------------------------------------------


def test_the_migration_seeded_the_official_calendar():
    spring = CalendarDay.objects.get(date=date(2026, 2, 16))
    assert (spring.kind, spring.name) == (DayKind.HOLIDAY, "春节")
    adjusted = CalendarDay.objects.get(date=date(2026, 2, 28))
    assert (adjusted.kind, adjusted.name) == (DayKind.WORKDAY, "春节")
    assert CalendarDay.objects.filter(date__year=2004).exists()


def test_seed_calendar_is_idempotent_and_keeps_manual_edits(capsys):
    before = CalendarDay.objects.count()
    CalendarDay.objects.filter(date=date(2026, 10, 7)).delete()
    CalendarDay.objects.filter(date=date(2026, 2, 16)).update(name="春节（人工修改）")

    call_command("seed_calendar")
    assert CalendarDay.objects.count() == before  # the deleted day is back
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节（人工修改）"
    assert "保留不同 1 天" in capsys.readouterr().out

    call_command("seed_calendar")
    assert "新增 0 天" in capsys.readouterr().out

    call_command("seed_calendar", overwrite=True)
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节"
    assert CalendarDay.objects.count() == before


def test_seed_calendar_recomputes_provisional_due_dates():
    CalendarDay.objects.filter(date__year=2026).delete()  # as if 2026 had not been seeded yet
    CalendarYear.objects.filter(year=2026).delete()
    record = make_provisional_record(date(2026, 2, 12))
    assert record.due_date == date(2026, 2, 27)  # the computed 春节 (除夕 16 Feb to 初三 19 Feb) skipped
    call_command("seed_calendar")
    record.refresh_from_db()
    assert (record.due_date, record.due_date_provisional) == (date(2026, 2, 28), False)
    assert CalendarYear.objects.get(year=2026).complete


# --- import_calendar command ---------------------------------------------------------------------------------


def test_import_calendar_command_imports_and_reports_counts(tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text("日期,类型,名称\n2027-01-01,休,元旦\n", encoding="utf-8")
    call_command("import_calendar", str(path))  # no CommandError: exit status 0
    assert "新增 1 天" in capsys.readouterr().out
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).kind == DayKind.HOLIDAY


def test_import_calendar_command_accepts_gbk_files(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_bytes("2027-01-01,休,元旦\n".encode("gbk"))
    call_command("import_calendar", str(path))
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "元旦"


def test_import_calendar_command_exits_non_zero_and_prints_every_error(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,holiday,元旦\n2027-13-01,holiday,x\nx,y\n", encoding="utf-8")
    # call_command rather than execute_from_command_line: the latter closes the test's database connection.
    with pytest.raises(CommandError) as exc:
        call_command("import_calendar", str(path))
    assert exc.value.returncode != 0  # manage.py exits with this status
    err = capsys.readouterr().err
    assert "第2行“日期”列" in err and "第3行“日期”列" in err and "未保存任何数据" in str(exc.value)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_import_calendar_command_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_calendar", str(tmp_path / "missing.csv"))
