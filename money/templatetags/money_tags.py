"""What lower apps' templates show of the money without importing it: the household's final
share once its elevator's settlement is published (for the cost sheet)."""

from django import template

from money.models import SettledShare

register = template.Library()


@register.simple_tag
def settled_share(household):
    """The household's share at the published settlement of its unit's published proposal,
    with the settlement, or None. One query."""
    return (
        SettledShare.objects.filter(
            household=household,
            settlement__published_at__isnull=False,
            settlement__proposal__status="published",
        )
        .select_related("settlement__proposal")
        .first()
    )
