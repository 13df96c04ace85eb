"""The item's own record (the typed child row) of a base record, for tests that read item fields."""

from credit.models import Record
from credit.registry import model_for_item


def typed(record: Record) -> Record:
    model = model_for_item(record.item.no)
    return record if isinstance(record, model) else model.objects.get(pk=record.pk)
