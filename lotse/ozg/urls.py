from django.urls import path

from lotse.ozg import views

app_name = "ozg"

# Mounted under /m/<municipality>/ozg/.
urlpatterns = [
    path("", views.service_list, name="list"),
    path("bulk/", views.bulk_edit, name="bulk"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("network/", views.network, name="network"),
    path("processes/", views.processes, name="processes"),
    path("processes/new/", views.process_form, name="process_create"),
    path("processes/<int:pk>/edit/", views.process_form, name="process_edit"),
    path("processes/<int:pk>/delete/", views.process_delete, name="process_delete"),
    path("<str:ozg_id>/", views.service_detail, name="service"),
    path("<str:ozg_id>/history/", views.service_history, name="history"),
]
