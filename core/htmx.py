"""When a page answers htmx with one of its partials rather than the whole page."""

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page: not a boosted link (it replaces the body)
    nor a history restore after a cache miss (htmx puts the answer in place of the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not (htmx.boosted or htmx.history_restore_request)
