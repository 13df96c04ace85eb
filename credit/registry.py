"""Item number → typed record model. Metadata only: the record form generated from it is
``credit.forms.form_for_item``, which imports this module (never the other way round)."""

from collections.abc import Mapping
from types import MappingProxyType

from credit import models as m

# Filled by the typed models themselves as they are declared (``class FooRecord(Record, item=11)``); a live view, so
# a typed model declared in another installed app is found too.
ITEM_MODELS: Mapping[int, type[m.Record]] = MappingProxyType(m.Record.item_models)


def model_for_item(no: int) -> type[m.Record]:
    return ITEM_MODELS[no]
