"""Small template helpers: sortable column headers, query strings, Vietnamese numbers."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header link that sorts by ``key``, toggling direction; keeps the other filters."""
    request = context["request"]
    current = context.get("current_sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    new = f"-{key}" if current == key else key
    params["sort"] = new
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    return format_html('<a href="?{}" class="link-dark text-decoration-none">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (e.g. page=2, export='xlsx')."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def num(value, decimals=None):
    """Group thousands and use the locale's decimal separator: 16837 → 16.837 in Vietnamese."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


@register.filter
def percent(value, decimals=1):
    if value is None:
        return "—"
    return f"{num(value, decimals)}%"
