from django.urls import path

from lotse.strategy import views

app_name = "strategy"

# Mounted under /m/<municipality>/strategy/.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("edit/", views.strategy_edit, name="edit"),
    path("history/", views.strategy_history, name="history"),
    path("fields/template/", views.adopt_template, name="adopt_template"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("<slug:kind>/new/", views.part_form, name="part_create"),
    path("<slug:kind>/<int:pk>/edit/", views.part_form, name="part_edit"),
    path("<slug:kind>/<int:pk>/delete/", views.part_delete, name="part_delete"),
    path("<slug:kind>/<int:pk>/history/", views.part_history, name="part_history"),
]
