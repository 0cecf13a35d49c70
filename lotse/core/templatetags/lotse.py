"""Template helpers for accessible forms and small UI bits."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def field_widget(field: BoundField) -> Any:
    """Render a widget tied to its help text and errors (aria-describedby, aria-invalid)."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if (
        field.field.required
        and not field.is_hidden
        and field.widget_type not in ("checkboxselectmultiple", "radioselect")
    ):
        attrs["required"] = "required"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return field.widget_type == "checkbox"


@register.filter
def is_multiple_checkbox(field: BoundField) -> bool:
    return field.widget_type in ("checkboxselectmultiple", "radioselect")


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
