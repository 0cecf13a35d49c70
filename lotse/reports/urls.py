from django.urls import path

from lotse.reports import views

app_name = "reports"

# Mounted under /m/<municipality>/.
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
