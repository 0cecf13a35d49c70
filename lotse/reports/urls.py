from django.urls import path

from lotse.reports import views

app_name = "reports"

# Mounted under /m/<municipality>/.
urlpatterns = [
    path("start/", views.start, name="start"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", views.council, name="council"),
    path("report/template/", views.council_template, name="council_template"),
    path("report/<int:year>.<str:fmt>", views.council_file, name="council_file"),
    path("revisions/", views.revisions, name="revisions"),
    path("revisions/compare/", views.compare, name="compare"),
    path("revisions/<int:pk>/edit/", views.revision_edit, name="revision_edit"),
    path("maturity/", views.maturity, name="maturity"),
    path("maturity/<int:pk>/", views.maturity_unit, name="maturity_unit"),
    path("waves/", views.waves, name="waves"),
    path("waves/<int:pk>/", views.wave_detail, name="wave"),
    path("waves/<int:pk>/edit/", views.wave_edit, name="wave_edit"),
    path("waves/material/<int:pk>/", views.wave_document, name="wave_document"),
    path("waves/<int:pk>/units/<int:unit>/", views.wave_unit, name="wave_unit"),
    path("concept/<int:unit>/", views.concept, name="concept"),
]
