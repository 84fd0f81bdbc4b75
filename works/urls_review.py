"""The review pages' URLs: the campaign's parties and their logins, the units' way through
review and approval, and the kept files."""

from django.urls import path

from works.views import parties, review

urlpatterns = [
    path("manage/<slug:slug>/parties/", parties.party_list, name="parties"),
    path("manage/<slug:slug>/parties/new/", parties.new_party, name="new_party"),
    path("manage/<slug:slug>/parties/<id:pk>/", parties.edit_party, name="edit_party"),
    path("manage/<slug:slug>/accounts/", parties.account_list, name="accounts"),
    path("manage/<slug:slug>/accounts/new/", parties.new_account, name="new_account"),
    path(
        "manage/<slug:slug>/accounts/<id:pk>/reset/",
        parties.reset_password,
        name="reset_password",
    ),
    path("manage/<slug:slug>/review/", review.review_overview, name="review_overview"),
    path("works/review/", review.review_home, name="review_home"),
    path("works/review/units/<id:pk>/", review.review_unit, name="review_unit"),
    path("works/review/units/<id:pk>/freeze/", review.freeze, name="freeze_packet"),
    path("works/review/units/<id:pk>/reviews/new/", review.add_review, name="add_review"),
    path("works/review/units/<id:pk>/contract/", review.record_contract, name="record_contract"),
    path("works/review/packets/<id:pk>/file/", review.packet_file, name="packet_file"),
    path("works/review/documents/<id:pk>/file/", review.document_file, name="review_document"),
    path("works/review/contracts/<id:pk>/file/", review.contract_file, name="contract_file"),
]
