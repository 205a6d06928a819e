from django import template

from congvu.payments import money

register = template.Library()


@register.filter
def vnd(value):
    return money.vnd(value)


@register.filter
def vnd_words(value):
    return money.vnd_words(value)


@register.simple_tag
def receipt_css():
    """The receipt's stylesheet inlined for the PDF renderer (browsers load the static file: CSP)."""
    from pathlib import Path

    from django.utils.safestring import mark_safe

    return mark_safe((Path(__file__).resolve().parent.parent / "static" / "payments" / "receipt.css").read_text())
