from django.urls import path

from lotse.reuse import views

app_name = "reuse"

urlpatterns = [
    # The solution registry, shared by every municipality of the installation.
    path("solutions/", views.solutions, name="solutions"),
    path("solutions/new/", views.solution_form, name="solution_new"),
    path("solutions/merge/", views.merge_proposals, name="merge"),
    path("solutions/<int:pk>/", views.solution_detail, name="solution"),
    path("solutions/<int:pk>/edit/", views.solution_form, name="solution_edit"),
    path("solutions/<int:pk>/kit/", views.solution_kit, name="solution_kit"),
    path("solutions/services/<str:ozg_id>/", views.for_service, name="for_service"),
    # A municipality's uses (TenantMiddleware sets request.municipality).
    path("m/<slug:municipality>/solutions/", views.own_solutions, name="own"),
    path("m/<slug:municipality>/solutions/<int:pk>/use/", views.use_form, name="use"),
    path("m/<slug:municipality>/solutions/ozg/<int:pk>/", views.status_link, name="status_link"),
    path("m/<slug:municipality>/solutions/<int:pk>/adopt/", views.adopt_solution, name="adopt_solution"),
    path("m/<slug:municipality>/open-data/projects.json", views.feed_json, name="feed_json"),
    path("m/<slug:municipality>/reuse/capacity/", views.capacity_credit, name="capacity_credit"),
    # About one project of the municipality in the path.
    path("m/<slug:municipality>/reuse/projects/<int:pk>/", views.panel, name="panel"),
    path("m/<slug:municipality>/reuse/projects/<int:pk>/kit/", views.project_kit, name="project_kit"),
    # Adopting project `pk` (of any town the person may see) into the municipality in the path.
    path("m/<slug:municipality>/reuse/adopt/<int:pk>/", views.adopt, name="adopt"),
    # Declaring interest in project `pk` (of another town) for the municipality in the path.
    path("m/<slug:municipality>/reuse/interest/<int:pk>/", views.interest, name="interest"),
    path("reuse/adopt/<int:pk>/", views.choose, name="choose"),
]
