from django.urls import path

from consultations.views import activity, doors, household
from consultations.views import print as print_views

app_name = "consultations"
urlpatterns = [
    path("doors/", doors.my_doors, name="my_doors"),
    path("doors/follow-ups/", doors.follow_ups, name="follow_ups"),
    path("households/<int:pk>/", household.household_page, name="household"),
    path("households/<int:pk>/visits/", household.log_visit, name="log_visit"),
    path("households/<int:pk>/trace/", household.log_trace, name="log_trace"),
    path("visits/<int:pk>/edit/", household.edit_visit, name="edit_visit"),
    path("activity/", activity.activity, name="activity"),
    path("units/<int:pk>/walk-sheet.pdf", print_views.unit_walk_sheet, name="unit_walk_sheet"),
    path(
        "buildings/<int:pk>/walk-sheet.pdf",
        print_views.building_walk_sheet,
        name="building_walk_sheet",
    ),
]
