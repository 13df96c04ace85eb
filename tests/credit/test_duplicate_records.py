"""The same decision entered twice is refused, on the form and through the API, as the batch import refuses it.

Two records with the same natural key (the catalogue's ``natural_key``: the subject's identifier with the decision's
number, date or kind) are one decision entered twice — two presses of 保存 a moment apart, or two clerks of one office
— which would be reported to the platform and published twice. Before, the form and the API saved both (only the
import refused the second). Only the user's own scope counts, as in the import: another office may hold the same
decision, and a refusal naming its record would tell the clerk it exists."""

import threading

import pytest
from django.db import connections

from credit.models import Item, Record, RecordStatus
from credit.registry import model_for_item
from credit.services import records as services
from tests.credit.test_api_records import api
from tests.factories import create_record, record_values

pytestmark = pytest.mark.django_db

NEW_PENALTY = "/workspace/items/8/new/"  # 教师行政处罚, 组人处 (``clerk``)


def test_the_same_record_saved_twice_on_the_form_is_refused_the_second_time_naming_the_first(clerk_client):
    data = {**record_values(8, 700), "save": ""}
    first = clerk_client.post(NEW_PENALTY, data)
    assert first.status_code == 302
    record = Record.objects.get()

    again = clerk_client.post(NEW_PENALTY, data)

    assert again.status_code == 200
    page = again.content.decode()
    assert f"系统中已有相同记录 #{record.pk}（身份证号、处罚文书编号 相同），请勿重复报送" in page
    assert Record.objects.count() == 1
    assert data["offence"] in page  # what was typed is still on the form
    assert f'<a href="/workspace/records/{record.pk}/" id="duplicate-of">打开已有记录 #{record.pk}</a>' in page


def test_a_second_decision_about_the_same_person_is_saved(clerk_client):
    data = {**record_values(8, 701), "save": ""}
    clerk_client.post(NEW_PENALTY, data)
    other = {**data, "decision_number": "洪教罚〔2026〕88号"}
    assert clerk_client.post(NEW_PENALTY, other).status_code == 302
    assert Record.objects.count() == 2


def test_a_revoked_record_does_not_block_entering_the_decision_again(clerk, reviewer):
    revoked = create_record(8, clerk, status="approved", reviewer=reviewer, seq=702)
    services.record_revoke(record=revoked, user=reviewer, reason="决定已撤销，重新作出")
    again = create_record(8, clerk, seq=702)
    assert again.pk != revoked.pk and again.status == RecordStatus.DRAFT


def test_a_draft_edited_into_another_records_decision_is_refused(clerk, clerk_client):
    first = create_record(8, clerk, seq=703)
    second = create_record(8, clerk, seq=704)
    data = {**record_values(8, 703), "save": ""}

    response = clerk_client.post(f"/workspace/records/{second.pk}/edit/", data)

    assert response.status_code == 200
    assert f"系统中已有相同记录 #{first.pk}" in response.content.decode()
    assert f'href="/workspace/records/{first.pk}/" id="duplicate-of"' in response.content.decode()
    kept = model_for_item(8).objects.get(pk=second.pk)
    assert kept.decision_number == record_values(8, 704)["decision_number"]  # the draft kept its own values


def test_the_api_refuses_the_same_record_with_a_400_naming_the_fields(clerk):
    data = record_values(8, 705)
    assert api(clerk).post("/api/v1/items/8/records/", data, format="json").status_code == 201

    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")

    assert response.status_code == 400
    assert "身份证号、处罚文书编号 相同" in response.json()["non_field_errors"][0]
    assert Record.objects.count() == 1


def test_another_offices_record_of_the_same_decision_neither_blocks_nor_shows(clerk_yijiao, clerk_sheguan):
    """Item 2 is reported by 义教处 and 社管处: each may hold the decision; neither learns of the other's."""
    item = Item.objects.get(no=2)
    data = record_values(2, 706)
    services.record_create(item=item, user=clerk_yijiao, data=data)
    services.record_create(item=item, user=clerk_sheguan, data=data)
    assert Record.objects.filter(item=item).count() == 2
    with pytest.raises(services.RecordError):
        services.record_create(item=item, user=clerk_sheguan, data=data)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_of_the_same_record_at_the_same_moment_keep_one(clerk, monkeypatch):
    """Each save looks for the record, then inserts it. The first is held between the two for as long as the second
    takes to look too (or a second, when the item's write lock keeps the second from looking): without the lock both
    find nothing and both insert."""
    both_looked = threading.Barrier(2)
    look = services.natural_key_duplicate

    def look_then_wait(record, user):
        found = look(record, user)
        try:
            both_looked.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(services, "natural_key_duplicate", look_then_wait)
    item = Item.objects.get(no=8)
    data = record_values(8, 707)
    outcomes: list[object] = []

    def save() -> None:
        try:
            outcomes.append(services.record_create(item=item, user=clerk, data=data).pk)
        except services.RecordError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Record.objects.filter(item=item).count() == 1
    assert sorted(type(o).__name__ for o in outcomes) == ["DuplicateRecordError", "int"], outcomes


def test_a_change_into_another_records_decision_is_refused_when_proposed_and_when_approved(clerk, reviewer):
    first = create_record(8, clerk, status="approved", reviewer=reviewer, seq=708)
    second = create_record(8, clerk, status="approved", reviewer=reviewer, seq=709)
    typed = model_for_item(8).objects.get(pk=first.pk)
    same_as_first = {"id_number": typed.id_number, "decision_number": typed.decision_number}

    with pytest.raises(services.RecordError) as exc:
        services.record_change_propose(record=second, user=clerk, data=same_as_first, note="更正文书号")
    assert f"系统中已有相同记录 #{first.pk}" in exc.value.messages[0]

    # Proposed while no record held that decision; one was entered before the reviewer approved the change.
    services.record_revoke(record=first, user=reviewer, reason="决定撤销")
    change = services.record_change_propose(record=second, user=clerk, data=same_as_first, note="更正文书号")
    third = create_record(8, clerk, seq=708)
    with pytest.raises(services.RecordError) as exc:
        services.record_change_approve(change=change, user=reviewer)
    assert f"系统中已有相同记录 #{third.pk}" in exc.value.messages[0]
