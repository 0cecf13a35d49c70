from django.urls import path

from lotse.reuse import views

app_name = "reuse"

urlpatterns = [
    # About one project of the municipality in the path (TenantMiddleware sets request.municipality).
    path("m/<slug:municipality>/reuse/projects/<int:pk>/", views.panel, name="panel"),
    # Adopting project `pk` (of any town the person may see) into the municipality in the path.
    path("m/<slug:municipality>/reuse/adopt/<int:pk>/", views.adopt, name="adopt"),
    path("reuse/adopt/<int:pk>/", views.choose, name="choose"),
]
