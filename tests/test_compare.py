"""Comparing years (kasograph.analysis.compare) and near-identical names (kasograph.analysis.reconcile).

The later document is tests/fixtures/example-2022: FICTIONAL data, the bundled
2021 table with the deliberate edits listed in its document.toml. Each test
below holds the comparison to exactly those edits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kasograph import resources
from kasograph.analysis.compare import (
    TEXT_THRESHOLD,
    DocumentDiff,
    UnknownDocument,
    diff_documents,
    documents,
    format_text,
    revision_links,
    text_similarity,
)
from kasograph.analysis.reconcile import (
    PartySeen,
    edit_distance,
    find_near_matches,
    format_candidates,
    merged_spellings,
    near_matches,
    normalise_name,
)
from kasograph.model.build import build_dataset
from kasograph.model.validate import validate_dataset, validate_source
from kasograph.namespaces import DEFAULT_BASE, KG
from kasograph.source.table import read_document
from kasograph.store.engine import GoalStore

KASO = resources.bundled_documents()[0]
EXAMPLE = Path(__file__).parent / "fixtures" / "example-2022"
A, B = "vantaa-kaso-2021", "example-kaso-2022"
PERSON = DEFAULT_BASE + "person/vantaa/"
GOAL_A, GOAL_B = DEFAULT_BASE + f"goal/{A}/", DEFAULT_BASE + f"goal/{B}/"
UNCHANGED = {"etaopetus", "kehittamisryhmat", "perhekeskus", "tiedolla-johtaminen"}


@pytest.fixture(scope="module")
def two_documents():
    return [read_document(KASO), read_document(EXAMPLE)]


@pytest.fixture(scope="module")
def two_dataset(two_documents):
    return build_dataset(two_documents, DEFAULT_BASE)


@pytest.fixture(scope="module")
def two_store(two_dataset) -> GoalStore:
    return GoalStore.from_dataset(two_dataset)


@pytest.fixture(scope="module")
def diff(two_store):
    return diff_documents(two_store, A, B)


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    target.mkdir()
    for file in EXAMPLE.iterdir():
        (target / file.name).write_bytes(file.read_bytes())
    return target


# --- the fixture ------------------------------------------------------------------------------


def test_the_example_says_it_is_fictional(two_documents):
    info = two_documents[1].info
    assert info.id == B and info.year == 2022 and info.target_period == 2022
    assert info.title.startswith("ESIMERKKI – ei Vantaan julkaisu")
    assert "FICTIONAL TEST DATA" in info.rights and "never published by the City of Vantaa" in info.rights
    assert all(goal.text.startswith("ESIMERKKI") for goal in two_documents[1].goals if goal.key == "esimerkki-ulkoilupaivat")


def test_both_documents_build_and_validate(two_dataset):
    report = validate_dataset(two_dataset)
    assert report.conforms, report.text()
    assert sorted(report.graphs) == [DEFAULT_BASE + f"graph/{B}", DEFAULT_BASE + f"graph/{A}"]


def test_the_example_is_held_against_its_own_source_text():
    report = validate_source(EXAMPLE)
    assert report.conforms and not report.warnings, report.text()


def test_persons_groups_and_themes_are_shared_nodes(two_store):
    rows = two_store.select("""
        SELECT ?x (COUNT(DISTINCT ?g) AS ?graphs) WHERE {
          GRAPH ?g { ?goal a kg:Goal ; prov:wasAttributedTo|kg:theme ?x } } GROUP BY ?x""")
    graphs = {r["x"]: r["graphs"] for r in rows}
    assert graphs[PERSON + "ari-ranki"] == 2
    assert graphs[DEFAULT_BASE + "group/vantaa/kaso/tvt-kehittamisryhma"] == 2
    assert graphs[DEFAULT_BASE + "theme/vantaa/edistamme-asukkaiden-hyvinvointia"] == 2
    assert graphs[PERSON + "tuija-harakkaa"] == 1


# --- diff_documents: exactly the edits made ---------------------------------------------------------


def test_documents_are_listed(two_store):
    assert {(d.id, d.graph) for d in documents(two_store)} == {
        (A, DEFAULT_BASE + f"graph/{A}"), (B, DEFAULT_BASE + f"graph/{B}")}


def test_added_and_dropped(diff):
    assert [(g.key, g.iri) for g in diff.added] == [("esimerkki-ulkoilupaivat", GOAL_B + "esimerkki-ulkoilupaivat")]
    assert [(g.key, g.iri) for g in diff.dropped] == [("oppimiskampus", GOAL_A + "oppimiskampus")]
    assert diff.added[0].text.startswith("ESIMERKKI: ")


def test_reworded_goal_is_paired_by_its_text(diff):
    [match] = diff.reworded
    assert (match.earlier.key, match.later.key) == ("monikieliset-opintopolut", "monikielisyytta-hyodyntavat-opintopolut")
    assert match.matched_by == "text"
    assert match.earlier.text == "Luodaan oppijoiden monikielisyyttä hyödyntävät opintopolut"
    assert match.later.text == "Luodaan ja vakiinnutetaan oppijoiden monikielisyyttä hyödyntävät opintopolut"
    assert TEXT_THRESHOLD <= match.similarity < 1
    assert not (match.status_changed or match.theme_changed or match.responsibility_changed)


def test_status_change(diff):
    [match] = diff.status_changed
    assert match.later.key == "yhteisollinen-hyvinvointi"
    assert (match.status_from.iri, match.status_to.iri) == (str(KG.PartiallyAchieved), str(KG.FullyAchieved))
    assert (match.status_from.label, match.status_to.label) == ("Toteutuu osittain", "Toteutuu täysin")
    assert (match.status_from.label_en, match.status_to.label_en) == ("Partially achieved", "Fully achieved")


def test_theme_change(diff):
    [match] = diff.theme_changed
    assert match.later.key == "oppivelvollisuus"
    assert match.theme_from.label == "Lisäämme kaupungin elinvoimaa ja vetovoimaa"
    assert match.theme_to.label == "Edistämme asukkaiden hyvinvointia"
    assert match.theme_to.iri == DEFAULT_BASE + "theme/vantaa/edistamme-asukkaiden-hyvinvointia"


def test_responsibility_changes(diff):
    changes = {m.later.key: ([(p.iri, p.name, p.kind, p.role) for p in m.parties_removed],
                             [(p.iri, p.name, p.kind, p.role) for p in m.parties_added])
               for m in diff.responsibility_changed}
    assert changes == {
        "mielenterveysosaaminen": ([(PERSON + "tuija-harakka", "Tuija Harakka", "person", "person")],
                                   [(PERSON + "eila-tanninen", "Eila Tanninen", "person", "person")]),
        "huoltajien-osallisuus": ([(PERSON + "tuija-harakka", "Tuija Harakka", "person", "person")],
                                  [(PERSON + "tuija-harakkaa", "Tuija Harakkaa", "person", "person")]),
    }


def test_everything_else_is_carried_over_unchanged(diff):
    assert len(diff.matches) == 9
    changed = {m.later.key for m in diff.matches if m.changed}
    assert changed == {"monikielisyytta-hyodyntavat-opintopolut", "yhteisollinen-hyvinvointi", "oppivelvollisuus",
                       "mielenterveysosaaminen", "huoltajien-osallisuus"}
    for match in diff.matches:
        if match.later.key != "monikielisyytta-hyodyntavat-opintopolut":
            assert match.matched_by == "key" and match.similarity == 1.0 and match.earlier.key == match.later.key
    assert UNCHANGED <= {m.later.key for m in diff.matches if not m.changed}


def test_responsible_bodies_and_posts_are_compared_too(two_store):
    # tiedolla-johtaminen names persons, a post and two groups; none of them changed.
    match = next(m for m in diff_documents(two_store, A, B).matches if m.later.key == "tiedolla-johtaminen")
    assert not match.responsibility_changed


@pytest.mark.parametrize("document", [A, B])
def test_a_document_compared_with_itself_has_no_differences(two_store, document):
    same = diff_documents(two_store, document, document)
    assert not same.has_changes
    assert not (same.added or same.dropped or same.reworded or same.status_changed or same.theme_changed
                or same.responsibility_changed)
    assert len(same.matches) == 10 and all(m.matched_by == "key" and m.similarity == 1.0 for m in same.matches)
    assert format_text(same).endswith("No differences.")
    assert format_text(same, "fi").endswith("Ei eroja.")


def test_documents_may_be_named_by_id_graph_or_document_iri(two_store, diff):
    by_graph = diff_documents(two_store, DEFAULT_BASE + f"graph/{A}", DEFAULT_BASE + f"graph/{B}")
    by_document = diff_documents(two_store, DEFAULT_BASE + f"document/{A}", B)
    assert by_graph == diff == by_document


def test_an_unknown_document_is_refused(two_store):
    with pytest.raises(UnknownDocument, match="vantaa-kaso-2021"):
        diff_documents(two_store, A, "vantaa-kaso-2023")


def test_the_reverse_comparison_mirrors_it(two_store):
    back = diff_documents(two_store, B, A)
    assert [g.key for g in back.added] == ["oppimiskampus"]
    assert [g.key for g in back.dropped] == ["esimerkki-ulkoilupaivat"]
    [status] = back.status_changed
    assert status.status_to.iri == str(KG.PartiallyAchieved)


def test_json_round_trip(diff):
    data = json.loads(json.dumps(diff.to_dict(), ensure_ascii=False))
    assert DocumentDiff.from_dict(data) == diff
    assert data["summary"] == {"earlier_goals": 10, "later_goals": 10, "carried_over": 9, "added": 1, "dropped": 1,
                               "reworded": 1, "status_changed": 1, "theme_changed": 1, "responsibility_changed": 2}
    assert data["earlier"]["id"] == A and data["later"]["id"] == B
    assert data["status_changed"][0]["from"]["label"] == "Toteutuu osittain"
    assert data["threshold"] == TEXT_THRESHOLD


@pytest.mark.parametrize("lang, words", [
    ("en", ["Added goals (1)", "Dropped goals (1)", "Reworded goals (1)", "Status changed (1)", "Theme changed (1)",
            "Responsibility changed (2)", "Partially achieved → Fully achieved"]),
    ("fi", ["Uudet tavoitteet (1)", "Poistuneet tavoitteet (1)", "Uudelleen muotoillut tavoitteet (1)",
            "Tila muuttunut (1)", "Teema muuttunut (1)", "Vastuut muuttuneet (2)", "Toteutuu osittain → Toteutuu täysin",
            "Lisäämme kaupungin elinvoimaa ja vetovoimaa → Edistämme asukkaiden hyvinvointia"]),
])
def test_text_output_mentions_each_change(diff, lang, words):
    text = format_text(diff, lang)
    for word in words + ["+ esimerkki-ulkoilupaivat", "- oppimiskampus",
                         "monikieliset-opintopolut → monikielisyytta-hyodyntavat-opintopolut",
                         "Luodaan ja vakiinnutetaan oppijoiden", "yhteisollinen-hyvinvointi:", "oppivelvollisuus:",
                         "- Tuija Harakka (", "+ Tuija Harakkaa (", "+ Eila Tanninen ("]:
        assert word in text, (word, text)
    for key in UNCHANGED:
        assert key not in text


def test_revision_links_pair_every_carried_over_goal(two_store):
    links = revision_links(two_store, A, B)
    assert len(links) == 9
    assert (GOAL_B + "monikielisyytta-hyodyntavat-opintopolut", GOAL_A + "monikieliset-opintopolut") in links
    assert (GOAL_B + "perhekeskus", GOAL_A + "perhekeskus") in links
    assert all(later.startswith(GOAL_B) and earlier.startswith(GOAL_A) for later, earlier in links)
    linked = {x for pair in links for x in pair}
    assert GOAL_A + "oppimiskampus" not in linked and GOAL_B + "esimerkki-ulkoilupaivat" not in linked


def test_a_kept_key_pairs_a_reworded_goal_by_key(tmp_path):
    folder = copy_example(tmp_path)
    for name in ("goals.csv", "mentions.csv", "numbers.csv"):
        file = folder / name
        file.write_text(file.read_text(encoding="utf-8").replace("monikielisyytta-hyodyntavat-opintopolut",
                                                                 "monikieliset-opintopolut"), encoding="utf-8")
    store = GoalStore.from_dataset(build_dataset([read_document(KASO), read_document(folder)], DEFAULT_BASE))
    [match] = diff_documents(store, A, B).reworded
    assert match.matched_by == "key" and match.earlier.key == match.later.key == "monikieliset-opintopolut"


def test_below_the_threshold_a_reworded_goal_is_dropped_and_added(two_store):
    strict = diff_documents(two_store, A, B, threshold=0.95)
    assert {g.key for g in strict.added} == {"esimerkki-ulkoilupaivat", "monikielisyytta-hyodyntavat-opintopolut"}
    assert {g.key for g in strict.dropped} == {"oppimiskampus", "monikieliset-opintopolut"}
    assert not strict.reworded


def test_different_goals_of_the_bundled_document_stay_below_the_threshold(two_documents):
    texts = [g.text for g in two_documents[0].goals]
    assert max(text_similarity(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]) < TEXT_THRESHOLD


# --- reconcile ------------------------------------------------------------------------------------


def test_the_bundled_data_alone_has_no_near_matches(store):
    # Its 7 persons, 2 posts and 6 groups are clearly different parties; the closest
    # pair (Osaaminen-kehittämisryhmä, tvt-kehittämisryhmä) differs in its distinguishing word.
    assert near_matches(store) == []
    assert merged_spellings(store) == []
    assert format_candidates([]) == "No near matches."


def test_the_typo_of_the_example_is_found_and_nothing_else(two_store):
    [candidate] = near_matches(two_store)
    assert (candidate.a.iri, candidate.b.iri) == (PERSON + "tuija-harakka", PERSON + "tuija-harakkaa")
    assert (candidate.a.name, candidate.b.name) == ("Tuija Harakka", "Tuija Harakkaa")
    assert candidate.a.documents == (B, A) and candidate.b.documents == (B,)
    assert candidate.reason == "spelling" and candidate.distance == 1 and candidate.score > 0.9
    assert candidate.kind == "person"
    assert json.loads(json.dumps(candidate.to_dict()))["b"]["iri"] == PERSON + "tuija-harakkaa"
    for lang in ("en", "fi"):
        text = format_candidates([candidate], lang)
        assert "Tuija Harakka ~ Tuija Harakkaa" in text and PERSON + "tuija-harakkaa" in text


def test_near_matches_change_nothing(two_store):
    before = len(two_store)
    near_matches(two_store)
    assert len(two_store) == before
    assert two_store.select(f"SELECT ?n WHERE {{ <{PERSON}tuija-harakkaa> foaf:name ?n }}") == [{"n": "Tuija Harakkaa"}]


def test_names_merged_by_the_identity_rules_are_listed(tmp_path):
    folder = copy_example(tmp_path)
    goals = folder / "goals.csv"
    text = goals.read_text(encoding="utf-8")
    # One goal spells the name without the "ö": the same slug, so the same IRI.
    goals.write_text(text.replace("Ilkka Kalo, Sole Askola-Vehviläinen & Anders Vikström",
                                  "Ilkka Kalo, Sole Askola-Vehviläinen & Anders Vikstrom"), encoding="utf-8")
    store = GoalStore.from_dataset(build_dataset([read_document(KASO), read_document(folder)], DEFAULT_BASE))
    [merged] = merged_spellings(store)
    assert merged.iri == PERSON + "anders-vikstrom"
    assert merged.names == ("Anders Vikstrom", "Anders Vikström")
    assert all(c.a.iri != c.b.iri for c in near_matches(store))


def party(n: int, name: str, docs=("d1",), kind="person", scope="person/vantaa", partners=()) -> PartySeen:
    return PartySeen(f"https://example.org/{scope}/{n}", kind, name, tuple(docs), (name,), frozenset(partners))


def pairs(parties) -> set[tuple[str, str, str]]:
    return {(c.a.name, c.b.name, c.reason) for c in find_near_matches(parties)}


def test_rule_spelling_and_its_limits():
    assert pairs([party(1, "Tuija Harakka"), party(2, "Tuija Harakkaa")]) == {("Tuija Harakka", "Tuija Harakkaa", "spelling")}
    assert pairs([party(1, "Ari Ranki"), party(2, "Ari Rnaki")]) == {("Ari Ranki", "Ari Rnaki", "spelling")}  # a swap
    # two edits, but the differing words are not alike: different groups
    assert pairs([party(1, "tvt-kehittämisryhmä", kind="group"), party(2, "ict-kehittämisryhmä", kind="group")]) == set()


def test_rule_similar_finds_an_inflected_group_name():
    found = pairs([party(1, "Opiskeluhuolto ja hyvinvointi kehittämisryhmä", kind="group"),
                   party(2, "Opiskeluhuollon ja hyvinvoinnin kehittämisryhmä", kind="group")])
    assert found == {("Opiskeluhuolto ja hyvinvointi kehittämisryhmä", "Opiskeluhuollon ja hyvinvoinnin kehittämisryhmä", "similar")}


def test_rule_initial():
    assert pairs([party(1, "T. Harakka"), party(2, "Tuija Harakka")]) == {("T. Harakka", "Tuija Harakka", "initial")}
    assert pairs([party(1, "T. Harakka"), party(2, "Eila Harakka")]) == set()


def test_rule_surname_changed_needs_other_documents_and_a_shared_partner():
    colleague = "https://example.org/group/x"
    assert pairs([party(1, "Eila Tanninen", ["d1"], partners=[colleague]),
                  party(2, "Eila Virtanen", ["d2"], partners=[colleague])]) == {("Eila Tanninen", "Eila Virtanen", "surname-changed")}
    # named in the same document: two people
    assert pairs([party(1, "Eila Tanninen", ["d1"], partners=[colleague]),
                  party(2, "Eila Virtanen", ["d1", "d2"], partners=[colleague])]) == set()
    # nothing in common but a first name: namesakes are not listed
    assert pairs([party(1, "Eila Tanninen", ["d1"]), party(2, "Eila Virtanen", ["d2"])]) == set()


def test_only_the_same_kind_and_scope_are_compared():
    assert pairs([party(1, "Tuija Harakka", scope="person/vantaa"), party(2, "Tuija Harakkaa", scope="person/espoo")]) == set()
    assert pairs([party(1, "Tuija Harakka"), party(2, "Tuija Harakkaa", kind="post")]) == set()


def test_name_normalisation_and_edit_distance():
    assert normalise_name("Sole  Askola-Vehviläinen") == "sole askola vehvilainen"
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("ab", "ba") == 1
    assert edit_distance("harakka", "harakkaa") == 1
    assert edit_distance("kitten", "sitting", limit=2) == 3  # "more than 2"
    assert edit_distance("abcdef", "abcdef", limit=0) == 0
