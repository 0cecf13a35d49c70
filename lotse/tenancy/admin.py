"""Django admin for platform admins: creating municipalities and networks."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lotse.tenancy.models import Membership, Municipality, Network, OrgUnit


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ars", "inhabitants", "district"]
    list_filter = ["kind"]
    search_fields = ["name", "ars", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "municipality", "parent"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "municipality", "role"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]
