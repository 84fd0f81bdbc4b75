"""The construction phase's pages: review and approval, each site's schedule, the daily
stand-up and inspection, and what residents see and report."""

from django.urls import include, path

app_name = "works"

urlpatterns = [
    path("", include("works.urls_review")),
    path("", include("works.urls_schedule")),
    path("", include("works.urls_site")),
    path("", include("works.urls_public")),
    path("", include("works.urls_completion")),
]
