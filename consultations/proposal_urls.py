"""Cost-sharing proposal pages, included by consultations/urls.py (app namespace "consultations")."""

from django.urls import path

from consultations.views import proposals

urlpatterns = [
    path("units/<id:pk>/proposals/", proposals.unit_proposals, name="unit_proposals"),
    path("units/<id:pk>/proposals/new/", proposals.new_proposal, name="new_proposal"),
    path("proposals/<id:pk>/", proposals.proposal_page, name="proposal"),
    path("proposals/<id:pk>/edit/", proposals.edit_proposal, name="edit_proposal"),
    path("proposals/<id:pk>/publish/", proposals.publish_proposal, name="publish_proposal"),
    path("proposals/<id:pk>/matters/new/", proposals.add_matter, name="add_matter"),
    path("proposals/<id:pk>/matters/<id:number>/", proposals.edit_matter, name="edit_matter"),
    path(
        "proposals/<id:pk>/matters/<id:number>/remove/",
        proposals.remove_matter,
        name="remove_matter",
    ),
]
