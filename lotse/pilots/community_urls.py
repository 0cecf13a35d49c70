from django.urls import path

from lotse.pilots import community_views as views

app_name = "community"

# Mounted under /networks/<slug>/community/.
urlpatterns = [
    path("", views.board, name="board"),
    path("ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/follow/", views.follow, name="follow"),
    path("answers/<int:pk>/accept/", views.accept, name="accept"),
    path("<str:kind>/<int:pk>/hide/", views.hide, name="hide"),
    path("<str:kind>/<int:pk>/report/", views.report, name="report"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_form, name="event_create"),
    path("events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
]
