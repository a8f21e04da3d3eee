"""Named campaigns: operations, special actions and series of strikes, in English and Chinese.

Known names come from config/campaigns.toml (aliases in both languages, "{year}"/"{n}"
placeholders); unknown ones are found by their shape (a quoted name next to "campaign",
"operation", 专项行动 ...). Quoted crime types are never campaigns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from monitor.extract.config import CampaignEntry
from monitor.extract.en import campaigns as en
from monitor.extract.entities import issuer_home
from monitor.extract.keywords import Keywords, fold
from monitor.extract.text import LETTER, positions
from monitor.extract.zh import campaigns as zh

_YEAR: Final = r"(?:19|20)\d{2}"
_N: Final = r"\d{1,3}"
_ROMAN: Final = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN_RE: Final = re.compile(r"\b[IVX]{1,6}$")
_OPEN_Q: Final = "\"“‘'「『《"
_CLOSE_Q: Final = "\"”’'」』》"
# “断流”“拔钉”等专项行动: 等 (and the like) may close a list before the trigger
# "the Yunjian (Cloud Sword) operation": a gloss in brackets may stand between
TRIGGER_AFTER: Final = re.compile(
    rf"\s*(?:[(（][^()（）\n]{{1,40}}[)）]\s*)?(?:{en.TRIGGER}|等?{zh.TRIGGER})", re.IGNORECASE
)
_QUOTE_OPENERS: Final = '"“‘「『'
_QUOTED: Final = re.compile(r"[\"“‘「『]\s*([^\"“”‘’「」『』\n]{2,80}?)\s*[\"”’」』]")
_CLOSE_QUOTES: Final = '"”’」』'  # what _QUOTED closes a name with
_LIST_JOIN: Final = re.compile(r"^\s*(?:,|、|and|or|和|及|与|以及)?\s*$", re.IGNORECASE)


_QUOTE_MARKS: Final = '"“”‘’「」『』'


def _quoted_names(text: str) -> list[tuple[int, int, int, int]]:
    """The spans of `_QUOTED.finditer(text)`'s matches and of their names (start, end, name start,
    name end), found without trying the pattern everywhere: a name in quotes holds no quote mark,
    so it closes at the first quote mark after the opening one, and that must be a closing one
    with at most 80 characters but blanks between; the name is what stands between the blanks.
    Tried everywhere, the pattern reads on over every blank after an opening quote that is never
    closed, once per blank: one quote mark before a long run of spaces took minutes."""
    out = []
    end = 0
    marks = positions(text, _QUOTE_MARKS)
    for k, at in enumerate(marks):
        if at < end or text[at] not in _QUOTE_OPENERS or k + 1 == len(marks):
            continue
        close = marks[k + 1]
        if text[close] not in _CLOSE_QUOTES:
            continue
        inner = text[at + 1 : close]
        name = inner.strip()
        if len(name) > 80 or "\n" in name:
            continue
        if len(name) >= 2:
            start = close - len(inner.lstrip())
            out.append((at, close + 1, start, start + len(name)))
            end = close + 1
            continue
        # a name of fewer than two characters but blanks: the pattern takes blanks into it
        m = _QUOTED.match(text, at, close + 1)
        if m is not None:
            out.append((m.start(), m.end(), m.start(1), m.end(1)))
            end = m.end()
    return out


# a case named by its date: “12·15”专案, “2003.4.30”特大抢劫案, the "9.06" case
_CASE_NAME: Final = re.compile(r"(?:(?:19|20)\d{2}[·.•・])?\d{1,2}[·.•・]\d{1,2}")
_CASE_NAME_DOT: Final = re.compile(r"[·•・]")
_CASE_AFTER: Final = re.compile(
    r"\s*(?:[\u4e00-\u9fff]{0,12}?(?:专案|案)|(?:[A-Za-z-]+\s+){0,5}cases?\b)", re.IGNORECASE
)
_MAX_WORDS: Final = 8
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
_YEAR_RE: Final = re.compile(_YEAR)
_YY: Final = re.compile(r"(?<!\d)\d{2}(?!\d)")
_DIGITS: Final = re.compile(r"\d+")
_INNER_HYPHEN: Final = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_BREAK: Final = re.compile(r"[.!?;。；]\s|[,，]")
_SENTENCE_BREAK: Final = re.compile(r"[.!?;。；]\s")
_SPACE_OR_HYPHEN: Final = re.compile(r"[ -]")
_SELF_TRIGGERED: Final = re.compile(r"(?:行动|专项|战役|operation|campaign|action)$", re.IGNORECASE)


_NUMBERED: Final = re.compile(r"^(.+?) ((?:No\. )?\d+|[IVX]+)$")
# a year that dates what it stands before: not "since 2018", 自2018年以来, 2018年起
# nor the date of a page or a list entry (2019-09-24)
_DATING_YEAR: Final = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(?![\d.%])(?![-/]\d)(?!年(?:以来|起|开始|至今))"
)
_SINCE: Final = re.compile(r"(?:\bsince|自|从)[^,，。.]{0,20}$", re.IGNORECASE)
_SENTENCE_END: Final = re.compile(r"[。！？；!?;\n]|\.\s")
_REACH: Final = 300  # how far back a sentence is read for a year
_SENTENCES_READ: Final = 16  # for how many yearless mentions of a series


def _written_tails(found: list[tuple[str, str, int, int]]) -> dict[str, set[str]]:
    """Each name written with a year or number after it, and those years and numbers:
    "Kunlun 2023" and "Kunlun 2024" give {"Kunlun": {"2023", "2024"}}."""
    tails: dict[str, set[str]] = {}
    for c, _, _, _ in found:
        m = _NUMBERED.match(c)
        if m is not None:
            tails.setdefault(m.group(1), set()).add(m.group(2))
    return tails


def _with_their_dated(found: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """A name written without its year or number beside one dated or numbered form of it
    ("Sword Strike" beside "Sword Strike 2023", 断链 beside 断链-2023, "HAECHI" beside "HAECHI
    III") is that campaign, not a second one. Yearly series of the list are dated before
    (`_dated`, which also reads the sentence and the headline); beside several years or numbers
    a name stays as written."""
    dated = _written_tails(found)
    if not dated:
        return found
    out = []
    for c, mention, start, end in found:
        tails = dated.get(c)
        if tails is not None and len(tails) == 1:
            c = f"{c} {next(iter(tails))}"
        out.append((c, mention, start, end))
    return out


def _years(text: str, start: int, end: int, names: bytearray) -> set[str]:
    """The years between `start` and `end` that date what follows them, leaving out those of
    campaign names (`names` marks their characters): "Sky Net 2023" dates no other campaign."""
    out = set()
    for m in _DATING_YEAR.finditer(text, start, end):
        if names[m.start()] or _SINCE.search(text, max(start, m.start() - 24), m.start()):
            continue
        out.add(m.group(1))
    return out


def _sentence_start(text: str, pos: int) -> int:
    lo = max(0, pos - _REACH)
    last = lo
    for m in _SENTENCE_END.finditer(text, lo, pos):
        last = m.end()
    return last


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos, pos + _REACH)
    return end if end >= 0 else min(len(text), pos + _REACH)


class Mention:
    """One campaign mention: a plain class the compiled extractor builds natively."""

    canonical: str
    mention: str
    start: int
    end: int
    known: bool

    def __init__(self, canonical: str, mention: str, start: int, end: int, known: bool) -> None:
        self.canonical = canonical
        self.mention = mention
        self.start = start
        self.end = end
        self.known = known


def _alias_pattern(alias: str) -> str:
    parts = re.split(r"(\{year\}|\{yy\}|\{n\}|\{roman\})", alias)
    out = []
    for part in parts:
        if part == "{year}":
            out.append(_YEAR)
        elif part == "{yy}":
            out.append(r"\d{2}")
        elif part == "{n}":
            out.append(_N)
        elif part == "{roman}":
            out.append(_ROMAN)
        else:
            out.append(
                r"[\s\-]*".join(re.escape(w) for w in re.split(r"[\s\-]+", part) if w)
                if part.strip()
                else r"[\s\-]*"
            )
    body = r"[\s\-]*".join(o for o in out if o != r"[\s\-]*")
    # whole words in Latin script; a Chinese character may touch the name (云剑-2022行动)
    if alias[:1].isascii() and alias[:1].isalnum():
        body = r"(?<![A-Za-z0-9_])" + body
    if alias[-1:].isascii() and (alias[-1:].isalnum() or alias.endswith("}")):
        body = body + r"(?![A-Za-z0-9_])"
    return body


def _stems(alias: str) -> list[str]:
    """The literal starts an alias is looked for by: its first two Chinese characters, else its
    first three words (two, one if it has no more) as they may be written, with a blank, a
    hyphen or nothing between. Several words, because first words such as "cyber", "cut off"
    and "internet" stand in every announcement, and each hit costs a regular-expression match.
    """
    head = alias.split("{", 1)[0].strip()
    if not head:
        return [alias[:2]]
    if re.match(r"[\u4e00-\u9fff]", head):
        return [head[:2]]
    words = [fold(w) for w in re.split(r"[\s\-]+", head) if w][:3]
    stems = words[:1]
    for word in words[1:]:
        stems = [f"{stem}{gap}{word}" for stem in stems for gap in (" ", "-", "")]
    return stems


def fill(template: str, mention: str) -> str:
    """The canonical name of a templated entry for the year or number in the mention."""
    if "{year}" in template:
        year = _YEAR_RE.search(mention)
        # a year in two digits ("THUNDERBOLT 18") is of this century
        yy = _YY.search(mention) if year is None else None
        written = year.group(0) if year else f"20{yy.group(0)}" if yy else ""
        template = template.replace("{year}", written)
    if "{n}" in template:
        num = _DIGITS.search(mention)
        template = template.replace("{n}", num.group(0) if num else "")
    if "{roman}" in template:
        roman = _ROMAN_RE.search(mention)
        template = template.replace("{roman}", roman.group(0) if roman else "")
    return template.strip()


def normalise_name(name: str) -> str:
    """An English canonical name from a written one: 'four-pipes' -> 'Four Pipes'."""
    name = " ".join(name.strip(" \"“”‘’'").split())
    if _CJK.search(name):
        return name.replace(" ", "")
    if "-" in name:
        name = _INNER_HYPHEN.sub(" ", name)
    words = name.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word.lower() in en.SMALL:
            out.append("No." if word.lower() == "no." else word.lower())
        elif word.islower():
            out.append(word[:1].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


class CampaignFinder:
    """Finds campaign mentions; built once from the campaign entries and crime-type words."""

    def __init__(
        self,
        entries: Iterable[CampaignEntry],
        crime_words: Iterable[str],
        is_known: Callable[[str], bool],
    ) -> None:
        self.entries = sorted(entries, key=lambda e: ("{" not in e.name, not e.home, -len(e.name)))
        # each entry has its own pattern, run only when the first word of an alias is present
        self.entry_res = []
        stems: dict[str, set[int]] = {}
        for i, entry in enumerate(self.entries):
            aliases = sorted({*entry.aliases, entry.name}, key=len, reverse=True)
            self.entry_res.append(
                re.compile("|".join(_alias_pattern(a) for a in aliases), re.IGNORECASE)
            )
            for alias in aliases:
                for stem in _stems(alias):
                    stems.setdefault(stem, set()).add(i)
        # "cleaning" found must also try the entries whose stem is "clean"
        for stem, ids in stems.items():
            for other, other_ids in stems.items():
                if other != stem and stem.startswith(other):
                    ids |= other_ids
        self.stems = Keywords((stem, frozenset(ids)) for stem, ids in stems.items())
        self.alias_index = {
            normalise_name(a).lower(): e.name
            for e in self.entries
            for a in (*e.aliases, e.name)
            if "{" not in a
        }
        self.known_names = {e.name.lower() for e in self.entries if "{" not in e.name}
        # the yearly series: "Clean Internet" for "Clean Internet {year}"
        self.series = {
            e.name[: -len(" {year}")] for e in self.entries if e.name.endswith(" {year}")
        }
        self.templates = [
            re.compile(_alias_pattern(e.name), re.IGNORECASE) for e in self.entries if "{" in e.name
        ]
        self.crime_words = {fold(w) for w in crime_words}
        self.crime_keys = Keywords((w, w) for w in self.crime_words if " " in w)
        self._config_known: dict[str, bool] = {}
        self.is_known = is_known

    def _known(self, canonical: str) -> bool:
        known = self._config_known.get(canonical)
        if known is None:
            known = canonical.lower() in self.known_names or any(
                t.fullmatch(canonical) for t in self.templates
            )
            if len(self._config_known) > 50_000:  # names seen in a long run: stay bounded
                self._config_known.clear()
            self._config_known[canonical] = known
        return known or self.is_known(canonical)

    def _is_crime_type(self, name: str) -> bool:
        """A crime type written alone, or opening or closing the name ("naked chat blackmail")."""
        low = fold(name.strip())
        if low in self.crime_words:
            return True
        return any(s == 0 or e == len(low) for s, e, _ in self.crime_keys.find(low))

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every occurrence, in text order (callers keep one per written form for output)."""
        found: list[tuple[str, str, int, int]] = []
        # the characters of the mentions found so far, one byte each: a mention that overlaps one
        # is dropped, tested in time of its own length however many there are
        taken = bytearray(len(text))

        def add(canonical: str, start: int, end: int) -> None:
            if taken.find(1, start, end) >= 0:
                return
            taken[start:end] = b"\x01" * (end - start)
            found.append((canonical, text[start:end], start, end))

        folded = fold(text) if folded is None else folded
        hits = []
        for at, _, ids in self.stems.find(folded):
            for i in ids:
                m = self.entry_res[i].match(text, at)
                if m:
                    hits.append((m.start(), -m.end(), i, m))
        hits.sort(key=lambda h: h[:3])
        for k, (_, _, i, m) in enumerate(hits):
            entry = self.entries[i]
            # 雷霆 is Hong Kong's Thunderbolt in a Hong Kong release, else the mainland's (the
            # issuer is read once a text: issuer_home is memoised)
            if entry.home and self._contested(hits, k) and issuer_home(folded) not in entry.home:
                continue
            written = m.group()
            # one English word in lower case is an everyday word ("could trigger action",
            # "thunder"), not the name it spells, unless quoted
            if (
                written.isascii()
                and written.isalpha()
                and written.islower()
                and not self._quoted(text, m.start(), m.end())
            ):
                continue
            if (
                entry.bare
                or _SELF_TRIGGERED.search(m.group())
                or self._quoted(text, m.start(), m.end())
                or self._triggered(text, m.start(), m.end())
            ):
                add(fill(entry.name, m.group()), m.start(), m.end())
        for canonical, start, end in self._unknown(text, folded):
            add(canonical, start, end)
        found.sort(key=lambda f: f[2])
        # 夏季治安打击整治“百日行动”: a name written right before a quoted campaign qualifies it
        found = [
            f
            for k, f in enumerate(found)
            if k + 1 == len(found)
            or found[k + 1][2] != f[3] + 1
            or text[f[3] : f[3] + 1] not in _QUOTE_OPENERS
        ]
        merged = self._dated(self._merge_abbreviations(found), text)
        return [
            Mention(c, mention, s, e, self._known(c))
            for c, mention, s, e in _with_their_dated(self._in_english(merged))
        ]

    def _in_english(
        self, found: list[tuple[str, str, int, int]]
    ) -> list[tuple[str, str, int, int]]:
        """Every name in English: a Chinese name no list knows in pinyin (`zh.english_name`),
        once per name a text."""
        if not any(_CJK.search(c) for c, _, _, _ in found):
            return found
        names: dict[str, str] = {}
        out = []
        for c, mention, s, e in found:
            if _CJK.search(c):
                c = names.get(c) or names.setdefault(c, zh.english_name(c, self._english_of))
            out.append((c, mention, s, e))
        return out

    def _dated(
        self, found: list[tuple[str, str, int, int]], text: str
    ) -> list[tuple[str, str, int, int]]:
        """A yearly series named without its year ("净网", "the Kunlun action") is the year's
        campaign: the year of a dated mention of the same series in the text when there is one
        (so the two are one campaign), else the year its sentence gives before it ("2021年...
        开展“净网”专项行动"), else the one year the headline gives. Any other name beside its
        one dated or numbered form is dated after (`_with_their_dated`)."""
        if not any(f[0] in self.series for f in found):
            return found
        dated = _written_tails(found)  # base name -> the years or numbers written after it
        names = bytearray(len(text))
        for _, _, start, end in found:
            names[start:end] = b"\x01" * (end - start)
        headline = _years(text, 0, _line_end(text, 0), names)
        own: list[set[str]] = []
        told: dict[str, set[str]] = {}  # the years the sentences of a series' mentions give
        read: dict[str, int] = {}  # sentences read per series
        for c, _, start, _ in found:
            years: set[str] = set()
            # the first few mentions' sentences tell the year; reading one per mention of a
            # text that repeats a name thousands of times would cost more than it tells
            if c in self.series and c not in dated and read.get(c, 0) < _SENTENCES_READ:
                read[c] = read.get(c, 0) + 1
                years = _years(text, _sentence_start(text, start), start, names)
                told.setdefault(c, set()).update(years)
            own.append(years)
        out = []
        for (c, mention, start, end), years in zip(found, own, strict=True):
            if c in self.series:
                # one year of the dated mentions, else of all the sentences, else of this
                # mention's sentence, else of the headline; several years date nothing
                choices = (dated.get(c, set()), told.get(c, set()), years, headline)
                year = next((y for y in choices if len(y) == 1), None)
                if year is not None and not any(len(y) > 1 for y in choices[:1]):
                    c = f"{c} {next(iter(year))}"
            out.append((c, mention, start, end))
        return out

    def _contested(self, hits: list[tuple[int, int, int, re.Match[str]]], k: int) -> bool:
        """Whether another entry, of another home, matched where hit `k` starts."""
        start, _, i, _ = hits[k]
        home = self.entries[i].home
        for j in range(k + 1, len(hits)):
            if hits[j][0] != start:
                break
            if self.entries[hits[j][2]].home != home:
                return True
        return False

    @staticmethod
    def _quoted(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 2) : start].rstrip()
        after = text[end : end + 3].lstrip()
        if after[:1] in (",", "."):  # "Great Wall," "Card Breaking" and "Pulling Nails."
            after = after[1:]
        return bool(before) and before[-1] in _OPEN_Q and bool(after) and after[0] in _CLOSE_Q

    @staticmethod
    def _triggered(text: str, start: int, end: int) -> bool:
        rest = text[end : end + 60]
        if rest[:1] in _CLOSE_Q:
            rest = rest[1:]
        if TRIGGER_AFTER.match(rest):
            return True
        if en.OPERATION_BEFORE.search(text[max(0, start - 12) : start]):
            return True
        return text[start : start + 1].isupper() and bool(
            en.LIST_INTRO.search(text[max(0, start - 120) : start])
        )

    def _english_of(self, chinese: str) -> str | None:
        """The English name of a known campaign written as `chinese` (猎鹰 -> Falcon)."""
        found = self.alias_index.get(normalise_name(chinese).lower())
        return found if found is not None and not _CJK.search(found) else None

    def _canonical(self, name: str) -> str:
        norm = normalise_name(name)
        return self.alias_index.get(norm.lower(), norm)

    def _acceptable(self, name: str) -> bool:
        words = name.split()
        if not words or len(words) > _MAX_WORDS or self._is_crime_type(name):
            return False
        if not LETTER.search(name):
            return False
        return not _BREAK.search(name)

    def _unknown(self, text: str, folded: str) -> Iterable[tuple[str, int, int]]:
        quoted = _quoted_names(text)
        i = 0
        while i < len(quoted):
            j = i
            while j + 1 < len(quoted) and _LIST_JOIN.match(text[quoted[j][1] : quoted[j + 1][0]]):
                j += 1
            # anchored where the list ends, the pattern fails at once where no trigger follows
            end = quoted[j][1]
            listed = TRIGGER_AFTER.match(text, end, end + 60) is not None
            for q_start, q_end, n_start, n_end in quoted[i : j + 1]:
                name = text[n_start:n_end].strip()
                first = name[:1]
                if first.isdigit() and _CASE_NAME.fullmatch(name):
                    if _CASE_AFTER.match(text, q_end):
                        yield _CASE_NAME_DOT.sub(".", name), n_start, n_start + len(name)
                    continue
                is_name = listed
                if "\u4e00" <= first <= "\u9fff":
                    # “全国同步打诈专案行动”: the suffix inside the quotes; 代号“谋攻”的执法行动
                    suffixed = zh.INNER_TRIGGER.match(name) if name.endswith(zh.SUFFIXES) else None
                    if suffixed is not None:
                        name = suffixed.group(1)
                        is_name = True
                    elif not is_name:
                        is_name = text[max(0, q_start - 3) : q_start].endswith(zh.CODE_WORDS)
                elif not is_name:
                    is_name = (
                        name[-6:].lower().endswith(("action", "ration", "paign", "ctions", "tions"))
                        and not _CJK.search(name)
                        and en.INNER_TRIGGER.match(name) is not None
                    )
                if is_name and self._acceptable(name):
                    yield self._canonical(name), n_start, n_start + len(name)
            i = j + 1
        if "行动" in text or "专项" in text:
            yield from zh.names_with_year(text)
        spans: list[tuple[int, int]] = []
        if "Operation " in text:
            spans += [m.span(1) for m in en.OPERATION_NAME.finditer(text)]
        for at, _, _ in en.DUBBING.find(folded):
            m = en.DUBBED.match(text, at)
            if m is not None:
                # an operation word earlier in the sentence: "The operation, code-named X"
                clause = text[max(0, at - 60) : at]
                after_break = 0
                for stop in _SENTENCE_BREAK.finditer(clause):
                    after_break = stop.end()
                if en.OPERATION_WORD.search(clause, after_break):
                    spans.append(m.span(1))
        for word in ("campaign", "operation"):
            at = folded.find(word)
            while at >= 0:  # the word opening the text names nothing, but later ones may
                base = max(0, at - 70)
                words = text[base:at].rsplit(None, 2)  # the last two words, one each
                if words and words[-1].lower() == "special":
                    words.pop()
                named = (
                    en.CAPITALISED.search(text, base, at)
                    if words and (words[-1][:1].isupper() or words[-1].isdigit())
                    else None
                )
                if named:
                    spans.append(named.span(1))
                at = folded.find(word, at + 1)
        for start, end in spans:
            name = text[start:end]
            if {w.lower() for w in _SPACE_OR_HYPHEN.split(name)} & en.NOT_A_NAME_WORDS:
                continue
            if self._acceptable(name):
                yield self._canonical(name), start, end

    @staticmethod
    def _merge_abbreviations(
        found: list[tuple[str, str, int, int]],
    ) -> list[tuple[str, str, int, int]]:
        """'spring clean-up ... network action' is the 'spring action' the text later names."""
        shorts = {
            (words[0].lower(), words[-1].lower()): c
            for c, _, _, _ in found
            if len(words := c.split()) == 2
        }
        out = []
        for c, mention, s, e in found:
            words = c.split()
            key = (words[0].lower(), words[-1].lower()) if len(words) > 2 else None
            out.append((shorts.get(key, c) if key else c, mention, s, e))
        return out
