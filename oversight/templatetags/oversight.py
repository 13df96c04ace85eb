from django import template

register = template.Library()


@register.filter
def pct(rate) -> str:
    """0.6667 → "66.7%"; None (nothing due) → "—"."""
    if rate is None or rate == "":
        return "—"
    return f"{float(rate) * 100:.1f}%"
