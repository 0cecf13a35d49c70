from django.urls import include, path

from lotse.tenancy import views

app_name = "tenancy"

# Everything under /m/<municipality>/ gets request.municipality from TenantMiddleware.
municipality_patterns = [
    path("", views.municipality_home, name="municipality"),
    path("settings/", views.municipality_edit, name="municipality_edit"),
    path("settings/history/", views.municipality_history, name="municipality_history"),
    path("org-units/", views.org_unit_list, name="org_units"),
    path("org-units/new/", views.org_unit_form, name="org_unit_create"),
    path("org-units/import/", views.org_unit_import, name="org_unit_import"),
    path("org-units/<int:pk>/edit/", views.org_unit_form, name="org_unit_edit"),
    path("org-units/<int:pk>/delete/", views.org_unit_delete, name="org_unit_delete"),
    path("org-units/<int:pk>/history/", views.org_unit_history, name="org_unit_history"),
    path("members/", views.member_list, name="members"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/history/", views.member_history, name="member_history"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
]

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/new/", views.municipality_create, name="municipality_create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_form, name="network_create"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("networks/<slug:slug>/edit/", views.network_form, name="network_edit"),
    path("networks/<slug:slug>/join/", views.network_join, name="network_join"),
    path("networks/<slug:slug>/requests/<int:pk>/", views.join_decide, name="join_decide"),
    path("switch/", views.switch, name="switch"),
    path("m/<slug:municipality>/", include(municipality_patterns)),
]
