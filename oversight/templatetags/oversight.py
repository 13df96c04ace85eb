from django import template

register = template.Library()


@register.filter
def pct(rate) -> str:
    """0.6667 → "66.7%"; None (nothing due) → "—"."""
    if rate is None or rate == "":
        return "—"
    return f"{float(rate) * 100:.1f}%"


@register.filter
def offices_in_role(assignments, role: str) -> list:
    """The assignments of an indicator in ``role`` ("lead" or "cooperating"), for a list joined by "、"."""
    return [a for a in assignments if a.role == role]
