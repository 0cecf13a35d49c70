from django.urls import path

from lotse.portfolio import views

app_name = "portfolio"

# Mounted under /m/<municipality>/projects/.
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("template.xlsx", views.project_template, name="template"),
    path("import/", views.project_import, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("board/", views.board, name="board"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("charts/", views.charts, name="charts"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/criteria/", views.criteria, name="criteria"),
    path("priorities/criteria/new/", views.criterion_form, name="criterion_create"),
    path("priorities/criteria/<int:pk>/edit/", views.criterion_form, name="criterion_edit"),
    path("capacity/", views.capacity, name="capacity"),
    path("reports/", views.reports_overdue, name="reports_overdue"),
    path("new/", views.project_form, name="create"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_form, name="edit"),
    path("<int:pk>/delete/", views.project_delete, name="delete"),
    path("<int:pk>/history/", views.project_history, name="history"),
    path("<int:pk>/scores/", views.project_scores, name="scores"),
    path("<int:pk>/move/", views.project_move, name="move"),
    path("<int:pk>/status/", views.status_report, name="status_report"),
]
