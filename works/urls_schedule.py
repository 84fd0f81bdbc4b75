"""The schedule pages' URLs: each elevator's reverse schedule and the timeline, the daily
stand-up and its actions."""

from django.urls import path

from works.views import schedule, standup

urlpatterns = [
    path("manage/<slug:slug>/schedule/", schedule.schedules, name="schedules"),
    path("manage/<slug:slug>/schedule/print/", schedule.timeline_print, name="timeline_print"),
    path("manage/<slug:slug>/schedule/start/", schedule.start_schedule, name="start_schedule"),
    path(
        "manage/<slug:slug>/sites/<id:pk>/schedule/", schedule.site_schedule, name="site_schedule"
    ),
    path("manage/<slug:slug>/sites/<id:pk>/opening/", schedule.move_opening, name="move_opening"),
    path("manage/<slug:slug>/steps/<id:pk>/", schedule.edit_step, name="edit_step"),
    path("manage/<slug:slug>/steps/<id:pk>/mark/", schedule.mark_step, name="mark_step"),
    path("manage/<slug:slug>/standups/", standup.standups, name="standups"),
    path("manage/<slug:slug>/standups/new/", standup.new_standup, name="new_standup"),
    path("manage/<slug:slug>/standups/<id:pk>/", standup.standup_detail, name="standup"),
    path("manage/<slug:slug>/actions/<id:pk>/close/", standup.close_action, name="close_action"),
]
