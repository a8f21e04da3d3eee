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
