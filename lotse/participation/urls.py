from django.urls import path

from lotse.participation import views

app_name = "participation"

# Mounted under /m/<municipality>/participation/.
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_form, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_form, name="campaign_edit"),
    path("campaigns/<int:pk>/history/", views.campaign_history, name="campaign_history"),
    path("campaigns/<int:pk>/submit/", views.idea_submit, name="submit"),
    path("campaigns/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("campaigns/<int:pk>/triage/", views.triage, name="triage"),
    path("campaigns/<int:pk>/project/", views.to_project, name="to_project"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("ideas/<int:pk>/support/", views.idea_support, name="support"),
    path("ideas/<int:pk>/comment/", views.idea_comment, name="comment"),
    path("ideas/<int:pk>/report/", views.idea_report, name="report"),
    path("ideas/<int:pk>/manage/", views.idea_manage, name="manage"),
    path("ideas/<int:pk>/merge/", views.idea_merge, name="merge"),
    path("ideas/<int:pk>/status/", views.triage_status, name="triage_status"),
    path("ideas/<int:pk>/history/", views.idea_history, name="idea_history"),
    path("moderate/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("mine/", views.mine, name="mine"),
    path("mine/link/", views.mine_link, name="mine_link"),
    path("mine/<str:token>/", views.mine_token, name="mine_token"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/log/", views.moderation_log, name="log"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/<int:pk>/", views.participant_action, name="participant_action"),
    path("for-project/<int:pk>/", views.project_ideas, name="project_ideas"),
    path("for-units/", views.unit_ideas, name="unit_ideas"),
    path("polls/new/", views.poll_form, name="poll_create"),
    path("polls/<int:pk>/", views.poll_detail, name="poll"),
    path("polls/<int:pk>/edit/", views.poll_form, name="poll_edit"),
    path("polls/<int:pk>/thanks/", views.poll_thanks, name="poll_thanks"),
    path("polls/<int:pk>/questions/", views.questions, name="questions"),
    path("polls/<int:pk>/results/", views.poll_results, name="results"),
    path("polls/<int:pk>/export.<str:fmt>", views.poll_export, name="export"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
]
