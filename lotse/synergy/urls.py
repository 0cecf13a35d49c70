from django.urls import path

from lotse.synergy import views

app_name = "synergy"

urlpatterns = [
    # About one project (TenantMiddleware sets request.municipality).
    path("m/<slug:municipality>/synergy/projects/<int:pk>/", views.similar, name="similar"),
    path("m/<slug:municipality>/synergy/projects/<int:pk>/decide/<int:other>/", views.decide, name="decide"),
    path("m/<slug:municipality>/synergy/projects/<int:pk>/contact/", views.contact, name="contact"),
    # Across the network: everything the person may see.
    path("synergies/", views.clusters, name="clusters"),
    path("synergies/search/", views.search, name="search"),
]
