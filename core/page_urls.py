"""``reverse_by_pk``: an object's address on a page that links many objects of one kind, reversed once per rendering.

``reverse`` costs about 65 µs; a list of fifty records or forty public entries linking each of them (some twice) spent
several milliseconds on it. The address is reversed once per rendering of the page with a key no object has, then
that key is replaced by each object's (the template tags of ``credit.templatetags.record_cells`` and
``publicity.templatetags.public_entries``).
"""

from __future__ import annotations

from django.urls import reverse

# A primary key the address patterns accept and no object has.
_PK = 987_654_321_987


def reverse_by_pk(context, viewname: str, pk, *args) -> str:
    """``reverse(viewname, args=[*args, pk])`` for the template ``context`` being rendered; ``render_context`` lives
    as long as one rendering of the page."""
    memo = context.render_context.setdefault("core.page_urls", {})
    pattern = memo.get((viewname, args))
    if pattern is None:
        pattern = memo[(viewname, args)] = reverse(viewname, args=[*args, _PK])
    return pattern.replace(str(_PK), str(int(pk)), 1)
