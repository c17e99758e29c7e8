"""Filters for the staff-training wing's documents."""

from django import template

from institutes import formatting
from training.staff.documents import hours_in_arabic

register = template.Library()


@register.filter
def arabic_hours(value, mode=formatting.WESTERN):
    """`value|arabic_hours:doc.digits`: «ساعتان», «٣ ساعات», «١٢ ساعة»."""
    return hours_in_arabic(value, mode)
