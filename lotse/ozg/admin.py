"""The catalogue in the admin: platform admins set which services a Gemeinde or a Landkreis has to offer."""

from django.contrib import admin

from lotse.ozg.models import LeikaService, OzgService


@admin.register(OzgService)
class OzgServiceAdmin(admin.ModelAdmin):
    list_display = ["ozg_id", "name", "life_situation", "for_municipalities", "for_districts"]
    list_editable = ["for_municipalities", "for_districts"]
    list_filter = ["life_situation__topic", "for_municipalities", "for_districts"]
    search_fields = ["ozg_id", "name"]
    readonly_fields = ["ozg_id", "name", "life_situation"]  # these come from the catalogue import


@admin.register(LeikaService)
class LeikaServiceAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "service"]
    search_fields = ["key", "name", "service__ozg_id"]
    readonly_fields = ["key", "name", "service", "leika_type"]
