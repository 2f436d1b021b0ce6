"""Template filters of the public pages."""

from django import template

register = template.Library()


@register.filter
def pluriel(count, suffix: str = "s") -> str:
    """French plural: "s" above one ("0 action", "1 action", "2 actions"), where Django's
    ``pluralize`` would write "0 actions"."""
    try:
        return suffix if int(count) > 1 else ""
    except (TypeError, ValueError):
        return ""
