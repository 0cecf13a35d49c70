from django.urls import path

from lotse.synergy import views

app_name = "synergy"

urlpatterns = [
    # About one project (TenantMiddleware sets request.municipality).
    path("m/<slug:municipality>/synergy/projects/<int:pk>/", views.similar, name="similar"),
    path("m/<slug:municipality>/synergy/projects/<int:pk>/decide/<int:other>/", views.decide, name="decide"),
    path("m/<slug:municipality>/synergy/projects/<int:pk>/contact/", views.contact, name="contact"),
    # Open data: the public projects as a feed other instances and portals can read.
    path("m/<slug:municipality>/open-data/", views.open_data, name="open_data"),
    # Schema 1.0; /open-data/projects.json itself (schema 2.0, with solutions and origins) is lotse.reuse's.
    path("m/<slug:municipality>/open-data/projects.v1.json", views.feed_json, name="feed_json"),
    path("m/<slug:municipality>/open-data/projects.csv", views.feed_csv, name="feed_csv"),
    path("m/<slug:municipality>/open-data/dcat.jsonld", views.feed_dcat, name="feed_dcat"),
    # Across the network: everything the person may see.
    path("synergies/", views.clusters, name="clusters"),
    path("synergies/search/", views.search, name="search"),
]
