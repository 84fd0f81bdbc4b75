from django.urls import path

from consultations import proposal_urls
from consultations.views import (
    activity,
    consent,
    doors,
    household,
    outage,
    packet,
    packet_files,
    people,
    personal_data,
)
from consultations.views import print as print_views

app_name = "consultations"
urlpatterns = [
    path("doors/", doors.my_doors, name="my_doors"),
    path("doors/follow-ups/", doors.follow_ups, name="follow_ups"),
    path("households/<id:pk>/", household.household_page, name="household"),
    path("households/<id:pk>/visits/", household.log_visit, name="log_visit"),
    path("households/<id:pk>/trace/", household.log_trace, name="log_trace"),
    path("households/<id:pk>/needs/", household.record_needs, name="record_needs"),
    path(
        "households/<id:pk>/owners/<id:owner_pk>/phone/",
        personal_data.owner_phone,
        name="owner_phone",
    ),
    path(
        "households/<id:pk>/export.json",
        personal_data.export_household_data,
        name="export_household_data",
    ),
    path(
        "households/<id:pk>/erase/",
        personal_data.erase_household_data,
        name="erase_household_data",
    ),
    path("visits/<id:pk>/edit/", household.edit_visit, name="edit_visit"),
    path("activity/", activity.activity, name="activity"),
    path("households/<id:pk>/sign/", consent.sign, name="sign"),
    path("consents/<id:pk>/signature/", consent.signature_file, name="signature_file"),
    path(
        "consents/<id:pk>/attorney-letter/",
        consent.attorney_letter_file,
        name="attorney_letter_file",
    ),
    path("units/<id:pk>/consent/", consent.unit_consent, name="unit_consent"),
    path("units/<id:pk>/walk-sheet.pdf", print_views.unit_walk_sheet, name="unit_walk_sheet"),
    path(
        "buildings/<id:pk>/walk-sheet.pdf",
        print_views.building_walk_sheet,
        name="building_walk_sheet",
    ),
    path(
        "households/<id:pk>/cost-sheet.pdf",
        print_views.household_cost_sheet,
        name="cost_sheet",
    ),
    path("units/<id:pk>/packet.pdf", packet.unit_packet, name="unit_packet"),
    path("campaigns/<slug:slug>/packet.pdf", packet_files.campaign_packet, name="campaign_packet"),
    path("campaigns/<slug:slug>/packet/", packet_files.packet_page, name="packet_page"),
    path(
        "campaigns/<slug:slug>/packet/generate/",
        packet_files.request_packet_view,
        name="request_packet",
    ),
    path("packets/<id:pk>/status/", packet_files.packet_status, name="packet_status"),
    path("packets/<id:pk>/download/", packet_files.packet_download, name="packet_download"),
    path("campaigns/<slug:slug>/outage-help/", outage.outage_help, name="outage_help"),
    path("campaigns/<slug:slug>/outage-help.pdf", outage.outage_help_pdf, name="outage_help_pdf"),
    path("campaigns/<slug:slug>/owners/", people.people_page, name="people"),
    path("campaigns/<slug:slug>/owners/link/", people.link_owners, name="link_owners"),
    path("campaigns/<slug:slug>/owners/<id:pk>/split/", people.split_owner, name="split_owner"),
    path("campaigns/<slug:slug>/people/<id:pk>/kind/", people.person_kind, name="person_kind"),
    path("households/<id:pk>/consent-form.pdf", packet.consent_form, name="consent_form"),
    *proposal_urls.urlpatterns,
]
