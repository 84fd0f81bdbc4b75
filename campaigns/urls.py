from django.urls import path

from campaigns.views import hub, meetings, milestones, questions, updates

app_name = "campaigns"
urlpatterns = [
    path("manage/", hub.campaign_list, name="list"),
    path("manage/<slug:slug>/", hub.hub, name="hub"),
    path("manage/<slug:slug>/updates/", updates.update_list, name="updates"),
    path("manage/<slug:slug>/updates/new/", updates.new_update, name="new_update"),
    path("manage/<slug:slug>/updates/<id:pk>/", updates.edit_update, name="edit_update"),
    path(
        "manage/<slug:slug>/updates/<id:pk>/publish/",
        updates.publish_update,
        name="publish_update",
    ),
    path("manage/<slug:slug>/meetings/", meetings.meeting_list, name="meetings"),
    path("manage/<slug:slug>/meetings/new/", meetings.new_meeting, name="new_meeting"),
    path("manage/<slug:slug>/meetings/<id:pk>/", meetings.edit_meeting, name="edit_meeting"),
    path(
        "manage/<slug:slug>/decisions/<id:pk>/status/",
        meetings.decision_status,
        name="decision_status",
    ),
    path("manage/<slug:slug>/milestones/", milestones.milestone_list, name="milestones"),
    path("manage/<slug:slug>/milestones/add/", milestones.add_milestone, name="add_milestone"),
    path(
        "manage/<slug:slug>/milestones/<id:pk>/",
        milestones.edit_milestone,
        name="edit_milestone",
    ),
    path("manage/<slug:slug>/target/", milestones.set_target, name="set_target"),
    path("manage/<slug:slug>/questions/", questions.question_list, name="questions"),
    path(
        "manage/<slug:slug>/questions/<id:pk>/answer/",
        questions.answer_question,
        name="answer_question",
    ),
    path(
        "manage/<slug:slug>/questions/<id:pk>/moderate/",
        questions.moderate_question,
        name="moderate_question",
    ),
]
