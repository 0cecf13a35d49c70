from django.urls import path

from lotse.pilots import programme_views as views

app_name = "programme"

# Mounted under /networks/<slug>/programme/.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("modules/new/", views.module_form, name="module_create"),
    path("modules/<int:pk>/edit/", views.module_form, name="module_edit"),
    path("seminars/new/", views.seminar_form, name="seminar_create"),
    path("seminars/<int:pk>/", views.seminar_detail, name="seminar"),
    path("seminars/<int:pk>/edit/", views.seminar_form, name="seminar_edit"),
    path("seminars/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("certificate/<int:pilot>.pdf", views.certificate_pdf, name="certificate"),
]
