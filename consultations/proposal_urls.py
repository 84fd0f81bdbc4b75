"""Cost-sharing proposal pages, included by consultations/urls.py (app namespace "consultations")."""

from django.urls import path

from consultations.views import proposals

urlpatterns = [
    path("units/<int:pk>/proposals/", proposals.unit_proposals, name="unit_proposals"),
    path("units/<int:pk>/proposals/new/", proposals.new_proposal, name="new_proposal"),
    path("proposals/<int:pk>/", proposals.proposal_page, name="proposal"),
    path("proposals/<int:pk>/edit/", proposals.edit_proposal, name="edit_proposal"),
    path("proposals/<int:pk>/publish/", proposals.publish_proposal, name="publish_proposal"),
]
