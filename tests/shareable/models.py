from django.db import models
from simple_history.models import HistoricalRecords

from lotse.tenancy.models import ShareableModel


class Note(ShareableModel):
    title = models.CharField(max_length=200)
    org_unit = models.ForeignKey("tenancy.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.title
