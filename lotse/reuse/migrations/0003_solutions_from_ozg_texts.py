"""The OZG statuses' free-text solution and provider become registry entries: one entry per name and provider
(compared without case and spacing), each town's use of it with the statuses it serves. Spellings that differ
more are proposed for merging afterwards (`lotse solutions_link --proposals`, or "Mögliche Dubletten")."""

from django.db import migrations

ONLINE_FROM = 3


def _key(text):
    return " ".join(text.casefold().split())


def forwards(apps, schema_editor):
    OzgStatus = apps.get_model("ozg", "OzgStatus")
    OzgSharing = apps.get_model("ozg", "OzgSharing")
    Municipality = apps.get_model("tenancy", "Municipality")
    Solution = apps.get_model("reuse", "Solution")
    SolutionUse = apps.get_model("reuse", "SolutionUse")
    sharing = set(OzgSharing.objects.filter(share_in_network=True).values_list("municipality_id", flat=True))
    towns = {m.name.casefold(): m for m in Municipality.objects.all()}
    entries, uses = {}, {}
    for status in OzgStatus.objects.exclude(solution_name="").order_by("pk").iterator():
        key = (_key(status.solution_name), _key(status.provider))
        solution = entries.get(key)
        if solution is None:
            town = towns.get(key[1])
            kind = "efa" if status.solution_kind == "efa" else ("service" if status.provider else "process")
            solution = entries[key] = Solution.objects.create(
                name=status.solution_name,
                provider=status.provider,
                kind=kind,
                provider_kind="municipality" if town else "",
                provider_municipality=town,
                website_url=status.solution_url,
                summary="Aus den Angaben der OZG-Umsetzungsstände übernommen; bitte ergänzen.",
                registered_in_id=status.municipality_id,
                listed=status.municipality_id in sharing,
            )
        solution.ozg_services.add(status.service_id)
        use = uses.get((status.municipality_id, solution.pk))
        level = "operating" if status.maturity >= ONLINE_FROM else ("introducing" if status.maturity else "planned")
        if use is None:
            use = uses[(status.municipality_id, solution.pk)] = SolutionUse.objects.create(
                municipality_id=status.municipality_id,
                solution=solution,
                status=level,
                visibility="network" if status.municipality_id in sharing else "internal",
            )
        elif level == "operating" and use.status != "operating":
            use.status = "operating"
            use.save(update_fields=["status"])
        use.ozg_statuses.add(status)


class Migration(migrations.Migration):
    dependencies = [("reuse", "0002_solution_registry"), ("ozg", "0002_text_limits")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
