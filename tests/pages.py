"""Every page of Lotse, for the crawl tests and the browser's accessibility check."""

from typing import Any

from django.urls import reverse


def page_urls(world: Any) -> list[str]:
    a = {"municipality": world.a.slug}
    return [
        reverse("home"),
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("api:tokens"),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("tenancy:municipality_list"),
        reverse("tenancy:network_list"),
        reverse("tenancy:network_detail", kwargs={"slug": "verbund-ab"}),
        reverse("tenancy:switch"),
        reverse("tenancy:municipality", kwargs=a),
        reverse("tenancy:municipality_edit", kwargs=a),
        reverse("tenancy:municipality_history", kwargs=a),
        reverse("tenancy:org_units", kwargs=a),
        reverse("tenancy:org_unit_create", kwargs=a),
        reverse("tenancy:org_unit_edit", kwargs={**a, "pk": world.unit_a2.pk}),
        reverse("tenancy:org_unit_delete", kwargs={**a, "pk": world.unit_a2.pk}),
        reverse("tenancy:org_unit_history", kwargs={**a, "pk": world.unit_a2.pk}),
        reverse("tenancy:members", kwargs=a),
        reverse("tenancy:member_add", kwargs=a),
        reverse("tenancy:member_edit", kwargs={**a, "pk": world.users["reader_a"].memberships.get().pk}),
        reverse("tenancy:member_history", kwargs={**a, "pk": world.users["reader_a"].memberships.get().pk}),
    ]
