"""`{% load onestop_hooks %}{% form_scripts "receive" %}`: the scripts other apps registered for a form
(`congvu.onestop.hooks.register_form_script`)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join

from congvu.onestop import hooks

register = template.Library()


@register.simple_tag
def form_scripts(form: str) -> str:
    return format_html_join("", '<script src="{}" defer></script>', ((static(p),) for p in hooks.form_scripts(form)))
