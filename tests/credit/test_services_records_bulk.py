"""records_create_bulk writes what record_create writes, row for row, and refuses when it would skip a receiver."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from credit.catalog import ItemSpec
from credit.forms import form_for_item
from credit.models import Item, Office, Record, RecordEvent, Subject
from credit.registry import model_for_item
from credit.services.records import record_create
from credit.services.records_bulk import records_create_bulk, unsafe_receivers
from credit.signals import record_changed
from tests.factories import clerk_of, record_values

pytestmark = pytest.mark.django_db

# Items with an encrypted ID number and a publicity receiver (8), an organisation subject (3, no date field of its
# own) and a natural person with certificates (1).
CASES = [(1, "zuren"), (8, "zuren"), (3, "sheguan")]
CASES_OFFICE = dict(CASES)
DAY = timezone.localdate() - datetime.timedelta(days=10)
# Columns whose values legitimately differ between two creations of the same records: ids and clock readings.
# Clock readings are compared as set / not set.
CLOCKS = {"created_at", "updated_at", "submitted_at", "decided_at", "history_date", "at"}


def _entered(no: int) -> list[dict[str, str]]:
    model = model_for_item(no)
    rows = []
    for seq in range(3):
        data = record_values(no, seq, day=DAY)
        if model.BUSINESS_DATE_FIELD is None:
            data["business_date"] = DAY.isoformat()
        rows.append(data)
    return rows


def _existing_subject(no: int) -> None:
    """The first record's subject exists already under another name: neither path renames it."""
    item, office = Item.objects.get(no=no), Office.objects.get(code=CASES_OFFICE[no])
    probe = form_for_item(no)(data=_entered(no)[0], instance=model_for_item(no)(item=item, office=office))
    assert probe.is_valid(), probe.errors
    kind, identifier, identifier_kind = probe.instance.subject_identity()
    Subject.objects.create(kind=kind, identifier=identifier, identifier_kind=identifier_kind, name="旧名称")


def _rows(no: int) -> dict[str, list]:
    """Every row that creating item ``no``'s records wrote, with ids replaced by what they point to."""
    model = model_for_item(no)
    ordinal = {pk: i for i, pk in enumerate(Record.objects.order_by("pk").values_list("pk", flat=True))}
    subject = {pk: (kind, ident) for pk, kind, ident in Subject.objects.values_list("pk", "kind", "identifier")}

    def plain(row: dict, *, drop: set[str]) -> dict:
        out = {}
        for key, value in row.items():
            if key in drop:
                continue
            if key in CLOCKS:
                value = value is not None
            elif key in {"id", "record_ptr_id", "record_id"}:
                value = ordinal[value]
            elif key == "subject_id":
                value = subject.get(value)
            out[key] = value
        return out

    typed_columns = [f.attname for f in model._meta.local_concrete_fields]
    history = [plain(r, drop={"history_id"}) for r in model.history.order_by("history_id").values()]
    events = [plain(r, drop={"id"}) for r in RecordEvent.objects.order_by("pk").values()]
    return {
        "base": [plain(r, drop=set()) for r in Record.objects.order_by("pk").values()],
        "typed": [plain(r, drop=set()) for r in model.objects.order_by("pk").values(*typed_columns)],
        # One by one, a record's rows follow each other; in bulk, all first rows come first: compare per record.
        "history": sorted(history, key=lambda r: (r["id"], r["history_type"] != "+")),
        "events": sorted(events, key=lambda r: (r["record_id"], r["action"] != "create")),
        "subjects": [plain(r, drop={"id"}) for r in Subject.objects.order_by("kind", "identifier").values()],
    }


def _wipe(no: int) -> None:
    RecordEvent.objects.all().delete()
    Record.objects.all().delete()
    model_for_item(no).history.all().delete()  # after the records: deleting them wrote "-" rows
    Subject.objects.all().delete()


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submitted"])
@pytest.mark.parametrize("no", [no for no, _code in CASES])
def test_bulk_creation_writes_the_rows_that_record_create_writes(no, submit):
    item, office = Item.objects.get(no=no), Office.objects.get(code=CASES_OFFICE[no])
    clerk = clerk_of(CASES_OFFICE[no])
    _existing_subject(no)
    for data in _entered(no):
        data = {**data, "confirm_subject_name": "1"}  # the first names its known subject differently
        record_create(item=item, user=clerk, data=data, office=office, submit=submit)
    one_by_one = _rows(no)
    _wipe(no)
    _existing_subject(no)
    now = timezone.now()
    model = model_for_item(no)
    instances = []
    for data in _entered(no):
        instance = model(item=item, office=office, created_by=clerk, created_at=now, updated_by=clerk, updated_at=now)
        form = form_for_item(no)(data=data, instance=instance)
        assert form.is_valid(), form.errors
        instances.append(form.instance)
    records_create_bulk(item=item, office=office, user=clerk, records=instances, submit=submit)
    in_bulk = _rows(no)
    assert len(one_by_one["history"]) == 3 * (2 if submit else 1)
    assert "旧名称" in [subject["name"] for subject in one_by_one["subjects"]]
    for table in one_by_one:
        assert in_bulk[table] == one_by_one[table], table


def test_bulk_creation_is_refused_to_another_office(clerk):
    item = Item.objects.get(no=8)
    with pytest.raises(PermissionDenied):
        records_create_bulk(item=item, office=Office.objects.get(code="yijiao"), user=clerk, records=[])


def _one_valid_record(clerk):
    item, office = Item.objects.get(no=8), Office.objects.get(code="zuren")
    instance = model_for_item(8)(item=item, office=office, created_by=clerk, updated_by=clerk)
    form = form_for_item(8)(data=record_values(8, 0, day=DAY), instance=instance)
    assert form.is_valid(), form.errors
    return item, office, form.instance


def _audit_elsewhere(sender, **kwargs):
    """A receiver that the bulk path does not know (a stand-in for any future one)."""


@pytest.mark.parametrize(
    ("signal", "sender"),
    [
        (post_save, lambda: model_for_item(8)),
        (pre_save, lambda: model_for_item(8)),
        (post_save, lambda: Subject),
        (pre_save, lambda: RecordEvent),
        (post_create_historical_record, lambda: model_for_item(8).history.model),
        (record_changed, lambda: None),
    ],
    ids=[
        "post_save-record",
        "pre_save-record",
        "post_save-subject",
        "pre_save-event",
        "history-signal",
        "record_changed",
    ],
)
def test_bulk_creation_refuses_while_an_unknown_receiver_is_connected(clerk, signal, sender):
    item, office, record = _one_valid_record(clerk)
    signal.connect(_audit_elsewhere, sender=sender(), dispatch_uid="test-unknown-receiver")
    try:
        with pytest.raises(ImproperlyConfigured, match="_audit_elsewhere"):
            records_create_bulk(item=item, office=office, user=clerk, records=[record])
    finally:
        signal.disconnect(sender=sender(), dispatch_uid="test-unknown-receiver")
    assert not Record.objects.exists() and not Subject.objects.exists()
    assert records_create_bulk(item=item, office=office, user=clerk, records=[record])[0].pk


def test_only_the_known_receivers_are_connected_for_any_item():
    """Every receiver connected today (history, audit; publicity's record_changed declares itself safe for new
    records) is on the allow-list with its reason."""
    numbers = [spec.no for spec in ItemSpec.all()]
    assert {no: unsafe_receivers(model_for_item(no)) for no in numbers} == {no: [] for no in numbers}
