"""ID numbers are encrypted in the database: the raw column is not the number, yet the portal finds and matches it."""

from django.db import connection

from credit.demo import person_id, sample_values
from credit.models import Item, Subject, TeacherPenaltyRecord
from credit.services import records as services


def _raw(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _penalty(clerk, seq=7):
    return services.record_create(item=Item.objects.get(no=8), user=clerk, data=sample_values(8, seq))


def test_the_raw_id_column_is_not_the_id_number_but_the_orm_reads_it(clerk):
    record = _penalty(clerk)
    plain = person_id(7, female=True)
    assert record.id_number == plain
    stored = _raw("SELECT id_number FROM credit_item8 WHERE record_ptr_id = %s", [record.pk])[0]
    assert stored != plain and plain not in stored and stored.startswith("enc1:")
    assert TeacherPenaltyRecord.objects.get(pk=record.pk).id_number == plain


def test_history_and_subject_tables_hold_no_plain_id(clerk):
    record = _penalty(clerk)
    plain = record.id_number
    history = _raw("SELECT id_number FROM credit_item8_history")
    subjects = _raw("SELECT identifier FROM credit_subject WHERE kind = 'natural'")
    assert history and subjects
    assert not any(plain in value for value in history + subjects)


def test_records_of_one_person_link_to_one_subject_and_are_found_by_exact_number(clerk):
    first = _penalty(clerk, seq=7)
    data = {**sample_values(8, 8), "id_number": first.id_number, "name": first.name}
    second = services.record_create(item=Item.objects.get(no=8), user=clerk, data=data)
    assert first.subject_id == second.subject_id
    assert Subject.objects.get(pk=first.subject_id).identifier == first.id_number
    found = TeacherPenaltyRecord.objects.filter(id_number=first.id_number.lower().upper())
    assert set(found.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_a_proposed_change_stores_the_id_number_encrypted(clerk, reviewer):
    record = _penalty(clerk)
    record = services.record_submit(record=record, user=clerk)
    record = services.record_approve(record=record, user=reviewer)
    new_id = person_id(99)
    change = services.record_change_propose(record=record, user=clerk, data={"id_number": new_id, "name": record.name})
    raw = _raw('SELECT "values" FROM credit_recordchange WHERE id = %s', [change.pk])[0]
    assert new_id not in str(raw)
    change.refresh_from_db()
    assert change.values["id_number"] == new_id


def test_upload_template_export_shows_stored_ids_in_clear_including_rows_from_before_encryption(clerk):
    """The exporter decrypts outside the ORM (one cipher for the whole file): encrypted and legacy clear values both
    come out as the number itself, never as ciphertext."""
    import io

    import openpyxl

    from reporting.exporters import UploadTemplateExporter

    encrypted = _penalty(clerk, seq=7)
    legacy = _penalty(clerk, seq=8)
    legacy_plain = legacy.id_number
    with connection.cursor() as cursor:  # a row written before migration 0006 encrypted existing values
        cursor.execute("UPDATE credit_item8 SET id_number = %s WHERE record_ptr_id = %s", [legacy_plain, legacy.pk])
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=8), TeacherPenaltyRecord.objects.all()).write(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = headers.index(TeacherPenaltyRecord._meta.get_field("id_number").verbose_name) + 1
    exported = [sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)]
    assert exported == [encrypted.id_number, legacy_plain]
    assert not any(str(value).startswith("enc1:") for value in exported)
