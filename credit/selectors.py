"""Reads that are more than a filter: scoped record look-ups."""

from django.http import Http404

from credit.models import Record
from credit.registry import model_for_item


def typed_record_for(user, pk, *, action: str = "view") -> Record:
    """The typed record ``pk`` if ``user`` may ``action`` it; otherwise 404, never 403 (no existence leak)."""
    try:
        base = Record.objects.restrict(user, action).select_related("item").get(pk=int(pk))
    except (Record.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    model = model_for_item(base.item.no)
    return model.objects.select_related("item", "office", "created_by", "updated_by", "decided_by").get(pk=base.pk)
