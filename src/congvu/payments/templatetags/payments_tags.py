from django import template

from congvu.payments import money

register = template.Library()


@register.filter
def vnd(value):
    return money.vnd(value)


@register.filter
def vnd_words(value):
    return money.vnd_words(value)
