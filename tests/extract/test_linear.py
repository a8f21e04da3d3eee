"""Extraction time grows with the length of a text, not with its square, on every adversarial
shape of bench.generate (dense figures, one long sentence, repeated campaign names, quotes,
titles, lists). Time per character at lengths up to 1,000,000 is in `bench/extract.py --scaling`;
these tests only check the growth, with the profiler's count of calls (deterministic) and with
CPU time under a bound loose enough for a shared machine.
"""

from __future__ import annotations

import gc
import sys
import time
from types import FrameType

import pytest

from bench.generate import ADVERSARIAL, adversarial_article
from monitor.extract import Extractor
from monitor.extract.numbers import parse_zh_number

# every shape but the one whose cost was a single regular expression search (no Python calls)
_COUNTED = [shape for shape in ADVERSARIAL if shape != "quote-then-blanks"]


def _calls(extractor: Extractor, shape: str, size: int) -> int:
    """Python and C function calls made by one extraction: the same for the same text. (Compiled,
    the extractor's own functions make no calls the profiler sees; those left are of the Python
    libraries it uses, cn2an and pydantic.)"""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        count += 1

    article = adversarial_article(shape, size)
    parse_zh_number.cache_clear()  # numbers parsed for an earlier text would not be counted
    sys.setprofile(profile)
    try:
        extractor.extract(article)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("shape", _COUNTED)
def test_calls_grow_with_the_length(extractor: Extractor, shape: str) -> None:
    """Four times the text, at most five times the calls (a pass that read back to the start of
    its clause or sentence for every number made 9 to 16 times as many)."""
    small, large = _calls(extractor, shape, 4_000), _calls(extractor, shape, 16_000)
    assert large < 5 * small, f"{shape}: {small:,} calls at 4,000 characters, {large:,} at 16,000"


def _cpu_seconds(extractor: Extractor, shape: str, size: int) -> float:
    """The extraction's own CPU time, the collector off: its passes over every object the
    suite's earlier tests left alive cost more for a long text than for a short one, which would
    count as growth the extractor does not have."""
    article = adversarial_article(shape, size)
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(2):
            started = time.process_time()
            extractor.extract(article)
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("shape", list(ADVERSARIAL))
def test_time_grows_with_the_length(extractor: Extractor, shape: str) -> None:
    """Four times the text, under ten times the CPU time (linear is about four; the quadratic
    passes took 15 to 30 times as long at these lengths)."""
    _cpu_seconds(extractor, shape, 1_000)  # warm the caches
    small, large = _cpu_seconds(extractor, shape, 20_000), _cpu_seconds(extractor, shape, 80_000)
    assert large < 10 * max(small, 1e-3), f"{shape}: {small:.3f}s at 20,000, {large:.3f}s at 80,000"


def test_a_quote_mark_before_a_long_run_of_blanks_takes_no_time(extractor: Extractor) -> None:
    """It took 1.5 s at 2,000 blanks and grew with the square of the run."""
    started = time.process_time()
    extraction = extractor.extract(adversarial_article("quote-then-blanks", 200_000))
    assert time.process_time() - started < 2.0
    assert extraction.campaigns == ()


def test_a_chinese_numeral_thousands_of_characters_long_is_no_number(
    extractor: Extractor,
) -> None:
    """抓获一一一…: cn2an overflowed (a traceback) and took seconds; it is not a count."""
    extraction = extractor.extract(adversarial_article("zh-numeral-run", 20_000))
    assert extraction.figures == ()
