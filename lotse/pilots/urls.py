from django.urls import path

from lotse.pilots import views

app_name = "pilots"

# Mounted under /m/<municipality>/pilots/; the network view under /networks/<slug>/pilots/.
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.pilot_form, name="create"),
    path("<int:pk>/", views.pilot_home, name="pilot"),
    path("<int:pk>/edit/", views.pilot_form, name="edit"),
    path("<int:pk>/delete/", views.pilot_delete, name="delete"),
    path("<int:pk>/history/", views.pilot_history, name="history"),
]
