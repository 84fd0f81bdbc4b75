"""``{% load money %}``: the ``yuan`` filter (core.money.yuan) for templates."""

from django import template

from core.money import yuan

register = template.Library()
register.filter("yuan", yuan)
