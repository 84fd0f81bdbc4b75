"""The daily inspection and its issues (issue 19, parts 5–6)."""

from django.urls import path

from works.views import inspections, issues

urlpatterns = [
    path("works/inspections/", inspections.inspection_list, name="inspections"),
    path("works/inspections/<id:pk>/", inspections.inspection_detail, name="inspection"),
    path("works/sites/<id:pk>/inspections/", inspections.site_page, name="site_inspections"),
    path("works/sites/<id:pk>/inspect/", inspections.new_inspection, name="new_inspection"),
    path("works/inspection-photos/<id:pk>/", inspections.inspection_photo, name="inspection_photo"),
    path("works/issues/", issues.my_issues, name="my_issues"),
    path("works/issues/<id:pk>/", issues.issue_detail, name="issue"),
    path("works/issues/<id:pk>/close/", issues.close_issue, name="close_issue"),
    path("works/issues/<id:pk>/reopen/", issues.reopen_issue, name="reopen_issue"),
    path("works/issue-photos/<id:pk>/", issues.issue_photo, name="issue_photo"),
    path("works/campaign/<slug:slug>/issues/", issues.issue_list, name="issues"),
]
