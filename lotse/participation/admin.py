from django.contrib import admin

from lotse.participation.models import Campaign, Idea, ModerationEntry, Poll


@admin.register(Campaign, Poll)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "audience", "starts_on", "ends_on", "published"]
    list_filter = ["audience", "published"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "campaign", "status", "publication"]
    list_filter = ["status", "publication"]
    raw_id_fields = ["campaign", "participant", "merged_into", "projects", "field", "org_unit"]


@admin.register(ModerationEntry)
class ModerationEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "municipality", "actor", "action", "subject"]
    readonly_fields = ["at", "municipality", "actor", "action", "subject", "reason"]
