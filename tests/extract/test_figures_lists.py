"""Figures of lists and shared nouns: items of one list with the same count, the noun phrase of a
list, and what the rules count under `other`."""

from __future__ import annotations

from collections.abc import Callable

from monitor.models import Extraction

Run = Callable[..., Extraction]


def _got(ex: Extraction) -> list[tuple[float, str, str]]:
    return sorted((f.value, f.unit, f.measure) for f in ex.figures)


def test_two_items_of_one_list_with_the_same_count_are_two_figures(run: Run) -> None:
    """In one sentence the same count of two things is two seizures, not a repeat."""
    ex = run(
        "警方破获一起网络赌博案",
        "民警现场查获笔记本电脑4台、台式电脑4台、手机12部。",
    )
    assert _got(ex).count((4, "devices", "other:devices_seized")) == 2


def test_a_count_restated_in_another_sentence_is_still_one_figure(run: Run) -> None:
    ex = run(
        "Police seize 4 computers in gambling raid",
        "Officers seized 4 computers at the site. The 4 computers were seized as evidence.",
    )
    assert _got(ex).count((4, "devices", "other:devices_seized")) == 1


def test_apps_are_counted_as_other_platforms_with_their_own_measure(run: Run) -> None:
    """The rules' units have no 'apps': an app is a non-website platform (other)."""
    ex = run(
        "网信部门通报整治结果",
        "今年以来，全省下架违规应用程序、小程序1350余款，关闭违法网站420家。",
    )
    assert (1350, "other", "apps_closed") in _got(ex)
    ex = run("Regulators act on illegal apps", "Regulators removed 75 mobile apps in May.")
    assert (75, "other", "apps_closed") in _got(ex)


def test_an_english_list_of_things_is_read_to_its_last_noun(run: Run) -> None:
    """'N computers, routers and other equipment were seized': the verb after the list."""
    ex = run(
        "Police bust telecom fraud gang",
        "Police arrested 45 suspects and more than 900 laptops, modems and other devices "
        "were seized in the raids.",
    )
    assert (900, "devices", "other:devices_seized") in _got(ex)


def test_after_and_a_noun_of_another_unit_starts_another_phrase(run: Run) -> None:
    ex = run(
        "Regulators clean up the internet",
        "Regulators closed 8,000 illegal accounts and warned internet companies to comply.",
    )
    assert (8000, "accounts", "accounts_closed") in _got(ex)


def test_such_before_a_noun_does_not_end_the_phrase(run: Run) -> None:
    ex = run(
        "Police crack down on paid posting",
        "Public security organs targeted online paid posters this year. About 2,400 such "
        "cases were investigated and 3,100 suspects were detained.",
    )
    assert (2400, "cases", "cases_handled") in _got(ex)


def test_an_article_after_a_number_ends_what_it_counts(run: Run) -> None:
    """'Three buses carrying the suspects' counts buses, not suspects."""
    ex = run(
        "Fraud suspects repatriated",
        "Police repatriated 80 suspects on Monday. Three buses carrying the suspects "
        "arrived in Kunming at noon.",
    )
    assert [f.value for f in ex.figures] == [80]
