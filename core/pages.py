"""Small answers every app gives the same way."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_printable(request: HttpRequest, reason: str) -> HttpResponse:
    """The site's 404 page, with the reason on top of it."""
    messages.error(request, reason)
    return render(request, "404.html", status=404)
