"""Template filters of the one-stop forms (a builtins library of the forms' own template engine)."""

from __future__ import annotations

from django import template

from congvu.onestop.documents import fmt

register = template.Library()

register.filter("vn_date", fmt.vn_date)
register.filter("vn_time", fmt.vn_time)
register.filter("vn_datetime", fmt.vn_datetime)
register.filter("two_digits", fmt.two_digits)
register.filter("vn_upper", fmt.upper)
register.filter("header_lines", lambda text: fmt.balanced_lines(fmt.upper(text)))


@register.filter
def or_dots(value):
    return value if value not in (None, "") else fmt.DOTS


@register.simple_tag
def date_line(place, day):
    return fmt.date_line(place, day)
