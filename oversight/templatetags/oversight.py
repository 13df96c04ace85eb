from django import template

from oversight.selectors import percent_text

register = template.Library()


@register.filter
def pct(rate) -> str:
    """0.6667 → "66.7%"; None (nothing due) → "—" (``oversight.selectors.percent_text``)."""
    return percent_text(None if rate == "" else rate)


@register.filter
def offices_in_role(assignments, role: str) -> list:
    """The assignments of an indicator in ``role`` ("lead" or "cooperating"), for a list joined by "、"."""
    return [a for a in assignments if a.role == role]
