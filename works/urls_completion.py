"""Acceptance, handover and after-sales: the secretary's records per elevator, the residents'
fault report, and the maintenance company's tickets."""

from django.urls import path

from works.views import completion, faults

urlpatterns = [
    path("manage/<slug:slug>/completion/", completion.overview, name="completion"),
    path(
        "manage/<slug:slug>/completion/<id:pk>/",
        completion.site_completion,
        name="site_completion",
    ),
    path(
        "manage/<slug:slug>/completion/<id:pk>/inspection/",
        completion.record_inspection,
        name="record_inspection",
    ),
    path(
        "manage/<slug:slug>/completion/<id:pk>/registration/",
        completion.record_registration,
        name="record_registration",
    ),
    path(
        "manage/<slug:slug>/completion/<id:pk>/opening/",
        completion.record_opening,
        name="record_opening",
    ),
    path(
        "manage/<slug:slug>/completion/<id:pk>/handover/",
        completion.record_handover,
        name="record_handover",
    ),
    path(
        "manage/<slug:slug>/completion/reports/<id:pk>/",
        completion.inspection_report,
        name="inspection_report",
    ),
    path("c/<slug:slug>/fault/", faults.report_fault, name="report_fault"),
    path("tickets/", faults.my_tickets, name="my_tickets"),
    path("tickets/<id:pk>/", faults.ticket, name="ticket"),
    path("tickets/<id:pk>/answer/", faults.answer_ticket, name="answer_ticket"),
    path("tickets/<id:pk>/fix/", faults.fix_ticket, name="fix_ticket"),
]
