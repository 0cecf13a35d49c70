"""Template helpers for accessible forms and small UI bits."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pyphen
from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

SOFT_HYPHEN = "\u00ad"
WORD = r"[^\W\d_]{%d,}"  # long words only: short ones never need a break


@lru_cache(maxsize=4)
def _hyphenator(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="de_DE" if language.startswith("de") else "en_US")


@lru_cache(maxsize=8)
def _words(shortest: int) -> re.Pattern[str]:
    return re.compile(WORD % shortest)


@register.filter
def hyphenate(value: Any, shortest: int = 10) -> SafeString:
    """Soft hyphens in long words, so narrow columns and cards break "Bürger­beteiligung" at a syllable
    instead of mid-letter or not at all (German compounds are long; browsers here hyphenate nothing). Only
    words of at least `shortest` letters get them."""
    text = str(conditional_escape("" if value is None else value))
    hyphenator = _hyphenator(get_language() or "de")
    words = _words(int(shortest))
    return mark_safe(words.sub(lambda m: hyphenator.inserted(m.group(0), hyphen=SOFT_HYPHEN), text))


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
        and field.form.use_required_attribute  # false for a formset's extra rows, which may stay empty
        and not field.is_hidden
        and field.widget_type not in ("checkboxselectmultiple", "radioselect")
        # a select whose first option is a real value cannot be "required" in HTML (Nu Html Checker)
        and field.field.widget.use_required_attribute(field.initial)
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


def anchor_of(field: BoundField) -> str:
    """Where the summary's link jumps: the input itself, or the first box of a group of checkboxes or radios."""
    if is_multiple_checkbox(field):
        return f"#{field.auto_id}_0"
    return f"#{field.id_for_label or field.auto_id}"


@register.simple_tag
def error_items(form: Any = None, formsets: Any = None) -> list[tuple[str, str]]:
    """Every error of a form and its formsets as (anchor, text) for the summary at the top of the page:
    non-field errors without an anchor, field errors linked to their field, rows named by their formset."""
    items: list[tuple[str, str]] = []
    if form is not None and hasattr(form, "errors"):
        items += [("", str(e)) for e in form.non_field_errors()]
        for field in form.visible_fields():
            items += [(anchor_of(field), f"{field.label}: {e}") for e in field.errors]
    sets = formsets.values() if isinstance(formsets, dict) else (formsets or [])
    for formset in sets:
        legend = str(getattr(formset, "legend", "") or "")
        if not formset.is_bound:
            continue
        items += [("", f"{legend}: {e}" if legend else str(e)) for e in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            items += [("", f"{legend}, {_('Zeile')} {number}: {e}") for e in row.non_field_errors()]
            for field in row.visible_fields():
                items += [
                    (anchor_of(field), f"{legend}, {_('Zeile')} {number}, {field.label}: {e}") for e in field.errors
                ]
    return items
