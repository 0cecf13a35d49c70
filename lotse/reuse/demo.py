"""The reuse room's demo: the registry made from the OZG statuses' free texts, then the dog tax: Lindenau runs
"Hundesteuer online" of Regio IT, Bachfelden has connected to the same solution, Musterstadt is interested and
links its own project; Hohenberg adopts Lindenau's (public) project and plans less than it cost; an open-source
form server of Musterstadt's for others to reuse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lotse.ozg.models import OzgService, OzgStatus
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project, Status
from lotse.reuse import services
from lotse.reuse.models import CostModel, ProviderKind, Solution, SolutionKind, UseStatus
from lotse.tenancy.models import Membership, Municipality, Role, Visibility

DOG_TAX = "Hundehaltung (An- und Abmeldung, Hundesteuer)"


def _coordinator(town: Municipality) -> Any:
    return Membership.objects.filter(municipality=town, role=Role.COORDINATOR).select_related("user").first().user  # type: ignore[union-attr]


def build(user: Any, musterstadt: Municipality, neighbours: dict[str, tuple[Any, Municipality]]) -> None:
    services.link_ozg_texts(user=user)
    lindenau_user, lindenau = neighbours["lindenau"]
    bachfelden_user, bachfelden = neighbours["bachfelden"]
    dog_tax = OzgService.objects.get(name=DOG_TAX)

    hundesteuer = Solution.objects.get(name="Hundesteuer online", provider="Regio IT")
    services.solution_save(
        hundesteuer,
        user=lindenau_user,
        data={
            "kind": SolutionKind.SERVICE,
            "summary": "An-, Ab- und Ummeldung eines Hundes mit Steuerbescheid und E-Payment, als Dienst von Regio IT.",
            "description": (
                "Bürgerinnen und Bürger melden ihren Hund online an, ab oder um; der Antrag kommt als Datensatz im "
                "Steuerverfahren an, die Steuermarke wird verschickt. Bezahlt wird mit dem E-Payment des Landes."
            ),
            "provider_kind": ProviderKind.ASSOCIATION,
            "cost_model": CostModel.MEMBERSHIP,
            "cost_note": "Einrichtung einmalig 1.500 €, Betrieb in der Mitgliedschaft enthalten",
            "contact_name": "Regio IT, Team Onlinedienste",
            "contact_email": "onlinedienste@regio-it.example",
        },
        m2m={"ozg_services": [dog_tax]},
    )
    lindenau_use = hundesteuer.uses.get(municipality=lindenau)
    services.use_save(
        lindenau_use,
        user=lindenau_user,
        municipality=lindenau,
        solution=hundesteuer,
        data={
            "status": UseStatus.OPERATING,
            "since": date(2024, 3, 1),
            "contact": _coordinator(lindenau),
            "project": Project.objects.filter(municipality=lindenau, title="Hundesteuer online").first(),
            "experience": (
                "Nach drei Monaten kamen 70 % der Anmeldungen online. Wichtig war, die Steuermarke gleich mit "
                "zu verschicken und das Papierformular von der Website zu nehmen."
            ),
            "visibility": Visibility.PUBLIC,
        },
    )
    # Bachfelden connected to the same solution: its status's free text named it differently.
    status = OzgStatus.objects.get(municipality=bachfelden, service=dog_tax)
    services.link_status(user=bachfelden_user, status=status, solution=hundesteuer)
    use = hundesteuer.uses.get(municipality=bachfelden)
    services.use_save(
        use,
        user=bachfelden_user,
        municipality=bachfelden,
        solution=hundesteuer,
        data={
            "status": UseStatus.OPERATING,
            "since": date(2025, 5, 15),
            "contact": _coordinator(bachfelden),
            "experience": "Von Lindenau übernommen; angebunden in zwei Wochen, ohne eigene Ausschreibung.",
            "visibility": Visibility.PUBLIC,
        },
    )
    services.use_save(
        None,
        user=user,
        municipality=musterstadt,
        solution=hundesteuer,
        data={
            "status": UseStatus.INTERESTED,
            "project": Project.objects.filter(municipality=musterstadt, title__icontains="Hundesteuer").first(),
            "contact": user,
            "visibility": Visibility.NETWORK,
        },
    )
    # Musterstadt's own form assistant, taken into the registry from its OZG status, completed as open source.
    forms = Solution.objects.get(name="Formular-Assistent Hundesteuer")
    services.solution_save(
        forms,
        user=user,
        data={
            "name": "Formularserver Kommunal",
            "kind": SolutionKind.OPEN_SOURCE,
            "summary": "Online-Formulare mit Prüfregeln und XÖV-Export, in Musterstadt entwickelt, offen lizenziert.",
            "description": (
                "Formulare werden im Browser gebaut, mit Pflichtfeldern, Prüfregeln und barrierefreien Vorlagen; "
                "die Anträge gehen als XML an die Fachverfahren."
            ),
            "provider": "Stadt Musterstadt",
            "provider_kind": ProviderKind.MUNICIPALITY,
            "provider_municipality": musterstadt,
            "licence": "EUPL-1.2",
            "repository_url": "https://git.musterstadt.example/digital/formularserver",
            "cost_model": CostModel.FREE,
            "contact_name": "Stabsstelle Digitalisierung",
            "contact_email": "digital@musterstadt.example",
        },
    )
    use = forms.uses.get(municipality=musterstadt)
    services.use_save(
        use,
        user=user,
        municipality=musterstadt,
        solution=forms,
        data={"status": UseStatus.OPERATING, "since": date(2023, 10, 1), "visibility": Visibility.PUBLIC},
    )

    docs = "https://www.musterstadt.example/digital/formularserver"
    services.kit_save(  # everything but a contract other towns may call off from
        user=user,
        solution=forms,
        data={
            "specification_url": f"{docs}/leistungsbeschreibung.pdf",
            "dpia_url": f"{docs}/dsfa.pdf",
            "operations_url": f"{docs}/betriebskonzept.pdf",
            "training_url": f"{docs}/schulung/",
        },
    )
    adopt_lindenaus_project(lindenau_user, lindenau, neighbours["hohenberg"])


def adopt_lindenaus_project(lindenau_user: Any, lindenau: Municipality, hohenberg: tuple[Any, Municipality]) -> None:
    """Lindenau's dog-tax project is done and public, with what it cost; Hohenberg adopts it and needs half."""
    origin = Project.objects.get(municipality=lindenau, title="Hundesteuer online")
    year = {"budget_planned": Decimal(15000), "budget_approved": Decimal(15000)}
    portfolio.project_save(
        origin,
        user=lindenau_user,
        municipality=lindenau,
        data={"visibility": Visibility.PUBLIC, "status": Status.OPERATION, "start_date": date(2024, 1, 1),
              "end_date": date(2024, 12, 31)},
        children={"years": [{**year, "year": 2024, "budget_spent": Decimal(14200), "staff_fte": Decimal("0.8")}]},
    )  # fmt: skip
    user, town = hohenberg
    adopted = services.adopt(
        user=user,
        origin=origin,
        municipality=town,
        title="Hundesteuer online nach Lindenau",
        start_date=date(2027, 1, 1),
    )
    portfolio.project_save(
        adopted,
        user=user,
        municipality=town,
        data={},
        children={"years": [{"id": adopted.years.get(year=2027).pk, "year": 2027, "budget_planned": Decimal(4000),
                             "budget_approved": 0, "budget_spent": 0, "staff_fte": Decimal("0.3")}]},
    )  # fmt: skip
