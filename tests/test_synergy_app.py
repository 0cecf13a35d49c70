"""Synergies in the app: similar projects across towns within visibility, decisions, contact, search, clusters."""

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.core.services import versioned_update
from lotse.portfolio import services as portfolio
from lotse.portfolio.models import Project
from lotse.synergy import selectors
from lotse.synergy.index import NETWORK
from lotse.synergy.models import ContactMessage, PairDecision, Signature
from lotse.tenancy.models import Visibility


def make(world: Any, town: Any, title: str, summary: str, visibility: str = Visibility.NETWORK) -> Project:
    return portfolio.project_save(
        None,
        user=world.users["admin"],
        municipality=town,
        data={"title": title, "summary": summary, "visibility": visibility},
    )


@pytest.fixture
def dogs(world: Any) -> dict[str, Project]:
    return {
        "a": make(world, world.a, "Hundesteuer online", "Hunde online an- und abmelden", Visibility.INTERNAL),
        "a_other": make(world, world.a, "Digitale Hundesteueranmeldung im Bürgeramt", "Onlinedienst für Hundehalter"),
        "b": make(world, world.b, "Anmeldung der Hundesteuer digital", "Hundehalter melden ihren Hund im Portal an"),
        "c": make(world, world.c, "E-Hundesteuer", "Hundesteuer elektronisch veranlagen"),
        "b_noise": make(world, world.b, "Neue Hundewiese", "Eine Freilauffläche für Hunde im Park"),
    }


def test_similar_projects_in_own_town_and_network_with_reason(world: Any, dogs: Any) -> None:
    own, others = selectors.similar_to(dogs["a"], world.users["coordinator_a"])
    assert [s.project for s in own] == [dogs["a_other"]]
    assert others[0].project == dogs["b"] and others[0].match and "Hundesteuer" in " ".join(others[0].reason)
    assert dogs["c"] not in [s.project for s in others], "C is not in A's network"
    assert all(s.project != dogs["b_noise"] or not s.match for s in others), "a dog park is not a digital project"
    # The admin sees every town.
    _own, everywhere = selectors.similar_to(dogs["a"], world.users["admin"])
    assert {dogs["b"], dogs["c"]} <= {s.project for s in everywhere}


def test_panel_on_the_project_page_respects_visibility(world: Any, dogs: Any, client_for: Any) -> None:
    url = reverse("synergy:similar", kwargs={"municipality": "bdorf", "pk": dogs["b"].pk})
    body = client_for(world.users["coordinator_b"]).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in body and "Digitale Hundesteueranmeldung im Bürgeramt" in body
    assert "Hundesteuer online" not in body, "A's internal project stays internal"
    page = (
        client_for(world.users["coordinator_a"])
        .get(reverse("portfolio:project", kwargs={"municipality": "astadt", "pk": dogs["a"].pk}))
        .content.decode()
    )
    assert f'hx-get="{reverse("synergy:similar", kwargs={"municipality": "astadt", "pk": dogs["a"].pk})}"' in page


def test_the_index_follows_edits_and_can_be_rebuilt(world: Any, dogs: Any) -> None:
    selectors.similar_to(dogs["a"], world.users["admin"])
    assert Signature.objects.get(project=dogs["b"]).version == dogs["b"].version
    versioned_update(
        dogs["b"],
        user=world.users["admin"],
        expected_version=dogs["b"].version,
        data={"title": "Parkleitsystem", "summary": "Freie Parkplätze per App"},
    )
    _own, others = selectors.similar_to(dogs["a"], world.users["coordinator_a"])
    assert dogs["b"] not in [s.project for s in others if s.match]
    # After an upgrade to a new engine version, a new process recomputes the signatures of the old engine.
    Signature.objects.filter(project=dogs["a_other"]).update(engine="old", features={})
    NETWORK.reset()
    selectors.similar_to(dogs["a"], world.users["coordinator_a"])
    assert Signature.objects.get(project=dogs["a_other"]).features
    Signature.objects.all().delete()
    call_command("synergy_reindex", verbosity=0)
    assert Signature.objects.count() == Project.objects.count()


def test_decisions_reorder_and_hide_pairs(world: Any, dogs: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    decide = reverse("synergy:decide", kwargs={"municipality": "astadt", "pk": dogs["a"].pk, "other": dogs["b"].pk})
    assert client.post(decide, {"kind": "reuse"}).status_code == 302
    decision = PairDecision.objects.get()
    assert (decision.first_id, decision.second_id, decision.kind) == (*sorted((dogs["a"].pk, dogs["b"].pk)), "reuse")
    _own, others = selectors.similar_to(dogs["a"], world.users["coordinator_a"])
    assert others[0].project == dogs["b"] and others[0].decision == "reuse"
    client.post(decide, {"kind": "unrelated"})
    _own, others = selectors.similar_to(dogs["a"], world.users["coordinator_a"])
    assert dogs["b"] not in [s.project for s in others], "marked as unrelated: no longer suggested"
    # Readers may not decide; nobody decides about a project they cannot see.
    assert client_for(world.users["reader_a"]).post(decide, {"kind": "reuse"}).status_code == 403
    hidden = reverse("synergy:decide", kwargs={"municipality": "astadt", "pk": dogs["a"].pk, "other": dogs["c"].pk})
    assert client_for(world.users["coordinator_a"]).post(hidden, {"kind": "reuse"}).status_code == 404


def test_contact_sends_mail_to_the_other_town_and_keeps_it(world: Any, dogs: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    url = reverse("synergy:contact", kwargs={"municipality": "bdorf", "pk": dogs["b"].pk})
    assert "Wegen Ihres Projekts" in client.get(url + f"?about={dogs['a'].pk}").content.decode()
    response = client.post(url, {"text": "Wollen wir gemeinsam beschaffen?", "about": dogs["a"].pk})
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.recipients == ["admin@test.example", "coordinator_b@test.example"]
    assert len(mail.outbox) == 1 and "Wollen wir gemeinsam beschaffen?" in mail.outbox[0].body
    assert "coordinator_a@test.example" in mail.outbox[0].body and "Hundesteuer online" in mail.outbox[0].body
    assert client_for(None).post(url, {"text": "x"}).status_code == 404  # a network project: not for the public
    assert ContactMessage.objects.count() == 1


def test_search_and_clusters_across_the_network(world: Any, dogs: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_b"])
    body = client.get(reverse("synergy:search") + "?q=Hundesteuer+digital+anmelden").content.decode()
    assert "Anmeldung der Hundesteuer digital" in body and "Digitale Hundesteueranmeldung im Bürgeramt" in body
    assert "Hundesteuer online" not in body and "E-Hundesteuer" not in body
    clusters = selectors.clusters(world.users["admin"]).clusters
    dog_cluster = next(c for c in clusters if c.label == "Hundesteuer")
    assert dog_cluster.municipalities == ["Astadt", "Bdorf", "Cburg"]
    assert "Neue Hundewiese" not in [p.title for p in dog_cluster.projects]
    page = client_for(world.users["coordinator_a"]).get(reverse("synergy:clusters")).content.decode()
    assert "2 Kommunen: Hundesteuer" in page and "nur die Gruppen" not in page


def test_in_a_large_network_clusters_start_from_the_viewers_own_projects(
    world: Any, dogs: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = selectors.clusters(world.users["coordinator_b"])
    assert not everything.scoped and everything.clusters
    monkeypatch.setattr(selectors, "CLUSTER_ALL_LIMIT", 0)  # as if the network were a whole state
    scoped = selectors.clusters(world.users["coordinator_b"])
    assert scoped.scoped
    # the same groups, as far as they include a project of Bdorf: here all of them do
    assert [(c.label, c.municipalities) for c in scoped.clusters] == [
        (c.label, c.municipalities) for c in everything.clusters if "Bdorf" in c.municipalities
    ]
    assert scoped.clusters and all("Bdorf" in c.municipalities for c in scoped.clusters)
    page = client_for(world.users["coordinator_b"]).get(reverse("synergy:clusters")).content.decode()
    assert "nur die Gruppen" in page and "Hundesteuer" in page
    # a platform admin belongs to no municipality: told to search instead of waiting for the whole state
    admin = client_for(world.users["admin"]).get(reverse("synergy:clusters")).content.decode()
    assert "Keine Gruppe mit Vorhaben Ihrer Kommune" in admin


def test_a_decision_must_be_chosen(world: Any, dogs: Any, client_for: Any) -> None:
    client = client_for(world.users["coordinator_a"])
    panel = client.get(
        reverse("synergy:similar", kwargs={"municipality": "astadt", "pk": dogs["a"].pk})
    ).content.decode()
    assert '<option value="">– bitte wählen –</option>' in panel, "nothing is preselected"
    decide = reverse("synergy:decide", kwargs={"municipality": "astadt", "pk": dogs["a"].pk, "other": dogs["b"].pk})
    response = client.post(decide, {"kind": ""}, follow=True)
    assert "Bitte eine Einschätzung wählen." in response.content.decode()
    assert not PairDecision.objects.exists()


def test_cached_groups_are_never_shown_after_a_change(world: Any, dogs: Any, client_for: Any, monkeypatch: Any) -> None:
    """The grouping is cached; every kind of change that could alter it must show at once."""
    from lotse.tenancy.models import Network

    computed: list[int] = []
    original = selectors._group

    def counting(*args: Any) -> Any:
        computed.append(1)
        return original(*args)

    monkeypatch.setattr(selectors, "_group", counting)
    client = client_for(world.users["coordinator_b"])

    def page() -> str:
        return client.get(reverse("synergy:clusters")).content.decode()

    assert "Digitale Hundesteueranmeldung im Bürgeramt" in page()
    assert "Digitale Hundesteueranmeldung im Bürgeramt" in page() and len(computed) == 1  # the second from cache
    # A title is edited so that it no longer matches: the group is gone.
    other = dogs["a_other"]
    versioned_update(
        other,
        user=world.users["admin"],
        expected_version=other.version,
        data={"title": "Neue Parkbänke am See", "summary": "Sitzgelegenheiten für den Uferweg"},
    )
    assert "Parkbänke" not in page() and "Hundesteuer" not in page()
    # A new matching project in a network town joins at once, and leaves when it is deleted.
    new = make(world, world.a, "Hundesteuer digital anmelden", "Hundehalter melden ihren Hund online an")
    assert "Hundesteuer digital anmelden" in page()
    Project.objects.filter(pk=new.pk).delete()
    assert "Hundesteuer digital anmelden" not in page()
    # Visibility: the same project made internal is no longer shown to the neighbour.
    new = make(world, world.a, "Hundesteuer digital anmelden", "Hundehalter melden ihren Hund online an")
    assert "Hundesteuer digital anmelden" in page()
    versioned_update(new, user=world.users["admin"], expected_version=new.version, data={"visibility": "internal"})
    assert "Hundesteuer digital anmelden" not in page()
    versioned_update(new, user=world.users["admin"], expected_version=new.version, data={"visibility": "network"})
    assert "Hundesteuer digital anmelden" in page()
    # The neighbour's town leaves the network: what only the network showed is gone (no project changed).
    Network.objects.get(slug="verbund-ab").members.remove(world.b)
    assert "Hundesteuer digital anmelden" not in page()
    # The same grouping for the same state and person again comes from the cache.
    before = len(computed)
    page()
    assert len(computed) == before


FILLER_TOPICS = [
    ("Glasfaser für Gewerbegebiete", "Ausbau des Breitbandnetzes mit Fördermitteln"),
    ("Ratsinformationssystem erneuern", "Sitzungsdienst und Vorlagen digital"),
    ("Radwegekonzept", "Lücken im Radnetz schließen"),
    ("Bürgerhaushalt", "Bürgerinnen schlagen Ausgaben vor"),
    ("E-Akte in der Verwaltung", "Dokumentenmanagement für alle Ämter"),
    ("WLAN in Schulen", "Funknetz für alle Klassenzimmer"),
    ("Friedhofsverwaltung", "Grabstellen und Gebühren verwalten"),
    ("Smarte Straßenbeleuchtung", "Laternen mit Sensoren dimmen nachts"),
]


def network_of(world: Any, count: int = 40) -> list[Project]:
    """Enough projects that the combined engine measures its scores on the network itself (semantic included)."""
    towns = [world.a, world.b, world.c]
    return [
        make(world, towns[i % 3], f"{title} {i}", f"{summary}, Abschnitt {i}")
        for i, (title, summary) in enumerate(FILLER_TOPICS * (count // len(FILLER_TOPICS)))
    ]


def test_the_task_computes_vectors_and_reuses_them_for_the_same_text(world: Any, monkeypatch: Any) -> None:
    from lotse.synergy import embeddings, services

    calls: list[int] = []
    original = embeddings.StandIn.embed

    def counted(self: Any, texts: Any) -> Any:
        calls.append(len(texts))
        return original(self, texts)

    def stored(project: Project) -> bytes:
        value = Signature.objects.get(project=project).vector
        assert value is not None
        return bytes(value)

    monkeypatch.setattr(embeddings.StandIn, "embed", counted)
    first = make(world, world.a, "Hundesteuer online", "Hunde online an- und abmelden")
    NETWORK.sync()  # the index notices the new text (any query does) and queues its vector
    signature = Signature.objects.get(project=first)
    assert signature.vector is not None and len(bytes(signature.vector)) == 384 and signature.embedded_at
    assert calls == [1], "the save queued one task (immediate in tests) that embedded one text"
    twin = make(world, world.b, "Hundesteuer online", "Hunde online an- und abmelden")
    NETWORK.sync()
    assert calls == [1], "the same text takes the vector already computed"
    assert stored(twin) == stored(first)
    Signature.objects.filter(project=first).update(vector=None)
    assert services.embed([first.pk]) == 0 and Signature.objects.get(project=first).vector is not None
    # An edit of the text is a new vector.
    first.refresh_from_db()
    versioned_update(
        first,
        user=world.users["admin"],
        expected_version=first.version,
        data={"summary": "Hundehalter melden ihre Hunde im Portal an"},
    )
    NETWORK.sync()
    assert calls == [1, 1] and stored(first) != stored(twin)


def test_the_panel_says_semantic_matches_follow_until_the_task_has_run(
    world: Any, dogs: Any, client_for: Any, settings: Any
) -> None:
    from lotse.synergy import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nothing runs
    fresh = make(world, world.b, "Hundesteuer-Anmeldung im Portal", "Online an- und abmelden")
    NETWORK.sync()
    assert Signature.objects.get(project=fresh).vector is None
    url = reverse("synergy:similar", kwargs={"municipality": "bdorf", "pk": fresh.pk})
    client = client_for(world.users["coordinator_b"])
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Anmeldung der Hundesteuer digital" in body, "lexical matches at once"
    assert "Treffer nach Bedeutung folgen" in body
    services.embed(Project.objects.values_list("pk", flat=True))  # what the worker does
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Anmeldung der Hundesteuer digital" in body and "Treffer nach Bedeutung folgen" not in body


def test_a_project_described_in_other_words_is_found_by_its_vector(world: Any, dogs: Any) -> None:
    """No word in common, the same meaning (as the model would say: here the vectors are set alike)."""
    network_of(world)
    mine = make(world, world.a, "Digitale Trauerfeier-Planung", "Angehörige buchen Termine der Aussegnungshalle")
    theirs = make(world, world.b, "Bestattungstermine im Netz", "Beisetzungen werden per Webformular vereinbart")
    NETWORK.sync()
    assert Signature.objects.get(project=mine).vector is not None
    _own, others = selectors.similar_to(mine, world.users["admin"])
    assert theirs not in [s.project for s in others if s.match], "the stand-in sees no likeness in other words"
    # What a worker does when the model finds the two alike: a new vector, stamped now.
    Signature.objects.filter(project=theirs).update(
        vector=Signature.objects.get(project=mine).vector, embedded_at=timezone.now()
    )
    _own, others = selectors.similar_to(mine, world.users["admin"])
    found = next(s for s in others if s.project == theirs)
    assert found.match and found.reason[0] == "ähnlich beschrieben", found
    assert others[0].project == theirs


@pytest.mark.ci_once("postgresql")  # about ten seconds of model work: one CI pass is enough
def test_the_real_model_end_to_end_in_the_app(world: Any, monkeypatch: Any) -> None:
    """The bundled multilingual-e5-small through the task, the index and the panel's engine: a paraphrase with
    hardly a word in common is found by meaning."""
    monkeypatch.setenv("EMBEDDINGS_BACKEND", "bundled")
    network_of(world)
    mine = make(
        world, world.a, "Kita-Platzvergabe online", "Eltern melden ihr Kind im Portal für einen Betreuungsplatz an"
    )
    theirs = make(
        world,
        world.b,
        "Digitale Anmeldung Kindertagesstätte",
        "Familien beantragen Krippen- und Kindergartenplätze im Netz",
    )
    NETWORK.sync()  # queues the vectors; the test settings' queue runs the task at once, with the real model
    assert Signature.objects.filter(vector__isnull=False).count() == Project.objects.count()
    _own, others, embedded = selectors.similar_with_state(mine, world.users["admin"])
    assert embedded
    assert others[0].project == theirs and others[0].match, others[:3]


def test_repeated_texts_are_queued_together_and_embedded_once(world: Any, settings: Any, monkeypatch: Any) -> None:
    """A bulk import of one template (or a generated network) repeats texts: each distinct text goes to the model
    once, and its repeats take that vector, however the tasks are cut."""
    from django_tasks.backends.dummy import DummyBackend

    from lotse.synergy import embeddings, services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nothing runs
    monkeypatch.setattr(services, "EMBED_BATCH", 2)  # two distinct texts per task
    towns = [world.a, world.b]
    made = [
        make(world, towns[k % 2], f"Vorlage {k % 3}: Sperrmüll online anmelden", f"Termin Nummer {k % 3} im Portal")
        for k in range(9)
    ]
    from django_tasks import task_backends

    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    NETWORK.sync()  # the signatures (it queues the vectors too; here they are queued once more)
    before = len(backend.results)
    assert services.queue_embedding([p.pk for p in made]) == 9
    batches = [list(result.args[0]) for result in backend.results[before:]]
    assert sorted(pk for batch in batches for pk in batch) == sorted(p.pk for p in made)
    texts_of = {p.pk: p.title for p in made}
    assert [len({texts_of[pk] for pk in batch}) for batch in batches] == [2, 1], "texts split over tasks"
    seen: list[str] = []
    real = embeddings.StandIn.embed

    def counted(self: embeddings.StandIn, texts: list[str]) -> Any:
        seen.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(embeddings.StandIn, "embed", counted)
    for batch in batches:  # what the worker does
        services.embed(batch)
    assert len(seen) == 3, seen
    vectors = dict(Signature.objects.filter(project__in=made).values_list("project_id", "vector"))
    assert all(vectors.values())
    assert len({vectors[p.pk] for p in made if p.title == made[0].title}) == 1
