from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lotse.api.urls import api
from lotse.core import views as core_views
from lotse.ozg import views as ozg_views
from lotse.pilots import views as pilot_views
from lotse.reports import views as report_views

handler403 = "lotse.core.views.permission_denied"

urlpatterns = [
    path("", report_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("media/logos/<str:name>", core_views.logo, name="logo"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("lotse.accounts.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("", include("lotse.tenancy.urls")),
    path("m/<slug:municipality>/strategy/", include("lotse.strategy.urls")),
    path("m/<slug:municipality>/projects/", include("lotse.portfolio.urls")),
    path("m/<slug:municipality>/ozg/", include("lotse.ozg.urls")),
    path("ozg-catalogue/", ozg_views.catalogue_upload, name="ozg_catalogue"),
    path("m/<slug:municipality>/pilots/", include("lotse.pilots.urls")),
    path("m/<slug:municipality>/participation/", include("lotse.participation.urls")),
    path("m/<slug:municipality>/", include("lotse.reports.urls")),
    path("networks/<slug:slug>/pilots/", pilot_views.network_coverage, name="pilot_coverage"),
    path("networks/<slug:slug>/programme/", include("lotse.pilots.programme_urls")),
    path("networks/<slug:slug>/community/", include("lotse.pilots.community_urls")),
    path("", include("lotse.synergy.urls")),
    path("", include("lotse.reuse.urls")),
    path("api/v1/", api.urls),
    path("account/api-tokens/", include("lotse.api.token_urls")),
    path("admin/", admin.site.urls),
]
