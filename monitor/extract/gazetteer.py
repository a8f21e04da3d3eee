"""The gazetteer: places and bodies the extractor names, read from config/regions.toml and
config/agencies.toml and validated at load.

A file that does not parse, an entry with a wrong field, a name or form given to two entries, or
a `parent`/`in` naming no entry raises ConfigError naming the file, the entry and the field.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.errors import ConfigError
from monitor.extract.config import resolve, two_letters_or_more

RegionLevel = Literal["province", "city", "district", "country", "foreign_place"]
LEVELS: tuple[RegionLevel, ...] = ("province", "city", "district", "country", "foreign_place")
# where a body whose home is one of these acts, it is Chinese police
CHINESE_HOMES = frozenset({"China", "Hong Kong", "Macau", "Taiwan"})


def _cjk_only(forms: tuple[str, ...]) -> tuple[str, ...]:
    for form in forms:
        if not form or not all("\u4e00" <= c <= "\u9fff" for c in form):
            raise ValueError(f"{form!r} is not written in Chinese characters only")
    return forms


def matchable(form: str) -> str | None:
    """The form a keyword list searches for: Chinese and ASCII forms as they are, a Latin form
    with accents without them ("Polícia Judiciária" as "Policia Judiciaria"), else None. A key
    outside ASCII and Chinese would send every English text with a curly quote down the
    keyword search's slow path."""
    if all(c.isascii() or "\u4e00" <= c <= "\u9fff" for c in form):
        return form  # ASCII, Chinese, or both (O记)
    bare = "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))
    return bare if bare.isascii() else None


class RegionEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=2)
    zh: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    in_: str | None = Field(default=None, alias="in")

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _cjk_only(value)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return two_letters_or_more(value, "alias")


class AgencyEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=3)
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    short: str | None = None
    home: str = "China"

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return two_letters_or_more(value, "alias")


class GroupEntry(BaseModel):
    """An abbreviation that names several places at once (粤港澳: Guangdong, Hong Kong, Macau)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    zh: str = Field(min_length=2)
    regions: tuple[str, ...] = Field(min_length=2)

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        return _cjk_only((value,))[0]


class HomeWords(BaseModel):
    """Words only one home's releases use (港警, 本澳, 新台币): they tell whose release it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=2)
    words: tuple[str, ...] = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return two_letters_or_more(value, "word")


@dataclass(frozen=True)
class Region:
    name: str
    level: RegionLevel
    zh: tuple[str, ...]
    aliases: tuple[str, ...]
    within: str | None


@dataclass(frozen=True)
class Gazetteer:
    """Both files, checked: every name once, every form to one name."""

    regions: tuple[Region, ...]
    agencies: tuple[AgencyEntry, ...]
    files: tuple[Path, ...] = field(default=())
    groups: tuple[GroupEntry, ...] = ()  # abbreviations of several regions (粤港澳)
    homes: tuple[HomeWords, ...] = ()  # the words of each home's releases

    def region(self, name: str) -> Region | None:
        return next((r for r in self.regions if r.name == name), None)

    def agency_home(self) -> dict[str, str]:
        return {a.name: a.home for a in self.agencies}


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


def _problem(path: Path, key: str, i: int, label: object, fld: str, msg: str) -> ConfigError:
    return ConfigError(f"{path}: {key} entry {i} ({label!r}), field `{fld}`: {msg}")


def _validate(
    path: Path, key: str, i: int, item: object, model: type[BaseModel], label_field: str = "name"
) -> BaseModel:
    label = item.get(label_field, "?") if isinstance(item, dict) else "?"
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        fld = ".".join(str(p) for p in err["loc"]) or "entry"
        raise _problem(path, key, i, label, fld, err["msg"]) from None


def load_regions(path: Path) -> tuple[Region, ...]:
    return _regions(path, _read(path))


def _regions(path: Path, data: dict[str, object]) -> tuple[Region, ...]:
    unknown = sorted(set(data) - {*LEVELS, "group"})
    if unknown:
        raise ConfigError(
            f"{path}: unknown list {unknown[0]!r} (the lists are {', '.join(LEVELS)}, group)"
        )
    out: list[Region] = []
    names: dict[str, str] = {}
    forms: dict[str, str] = {}
    for level in LEVELS:
        raw = data.get(level, [])
        if not isinstance(raw, list):
            raise ConfigError(f"{path}: `{level}` must be a list of tables")
        for i, item in enumerate(raw, 1):
            entry = _validate(path, level, i, item, RegionEntry)
            assert isinstance(entry, RegionEntry)
            if entry.name in names:
                raise _problem(
                    path, level, i, entry.name, "name", f"duplicates a {names[entry.name]} entry"
                )
            names[entry.name] = level
            for form in (*entry.zh, *entry.aliases):
                other = forms.get(form)
                if other is not None and other != entry.name:
                    raise _problem(path, level, i, entry.name, "zh/aliases", f"{form!r} is {other}")
                forms[form] = entry.name
            out.append(Region(entry.name, level, entry.zh, entry.aliases, entry.in_))
    for i, region in enumerate(out, 1):
        if region.within is not None and region.within not in names:
            raise _problem(path, region.level, i, region.name, "in", f"no region {region.within!r}")
    return tuple(out)


def _groups(
    path: Path, data: dict[str, object], regions: tuple[Region, ...]
) -> tuple[GroupEntry, ...]:
    """The `group` list of the regions file: each names regions the file has."""
    raw = data.get("group", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: `group` must be a list of tables")
    names = {r.name for r in regions}
    out: list[GroupEntry] = []
    for i, item in enumerate(raw, 1):
        entry = _validate(path, "group", i, item, GroupEntry, label_field="zh")
        assert isinstance(entry, GroupEntry)
        for name in entry.regions:
            if name not in names:
                raise _problem(path, "group", i, entry.zh, "regions", f"no region {name!r}")
        out.append(entry)
    return tuple(out)


def load_agencies(path: Path) -> tuple[AgencyEntry, ...]:
    return _agencies(path, _read(path))


def _agencies(path: Path, data: dict[str, object]) -> tuple[AgencyEntry, ...]:
    raw = data.get("agency", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: `agency` must be a list of tables ([[agency]])")
    out: list[AgencyEntry] = []
    names: dict[str, int] = {}
    forms: dict[str, str] = {}
    for i, item in enumerate(raw, 1):
        entry = _validate(path, "[[agency]]", i, item, AgencyEntry)
        assert isinstance(entry, AgencyEntry)
        if entry.name.lower() in names:
            raise _problem(
                path,
                "[[agency]]",
                i,
                entry.name,
                "name",
                f"duplicates entry {names[entry.name.lower()]}",
            )
        names[entry.name.lower()] = i
        for form in entry.aliases:
            key = form if form.isupper() else form.lower()
            other = forms.get(key)
            if other is not None and other != entry.name:
                raise _problem(path, "[[agency]]", i, entry.name, "aliases", f"{form!r} is {other}")
            forms[key] = entry.name
        out.append(entry)
    known = {e.name for e in out}
    for i, entry in enumerate(out, 1):
        if entry.parent is not None and entry.parent not in known:
            raise _problem(
                path, "[[agency]]", i, entry.name, "parent", f"no agency {entry.parent!r}"
            )
    return tuple(out)


def _homes(path: Path, data: dict[str, object]) -> tuple[HomeWords, ...]:
    """The `[[home]]` tables of the agencies file."""
    raw = data.get("home", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: `home` must be a list of tables ([[home]])")
    out: list[HomeWords] = []
    for i, item in enumerate(raw, 1):
        entry = _validate(path, "[[home]]", i, item, HomeWords)
        assert isinstance(entry, HomeWords)
        out.append(entry)
    return tuple(out)


def load(regions_file: Path | None = None, agencies_file: Path | None = None) -> Gazetteer:
    """Both files (default: config/ under the working directory, else the repository's)."""
    regions_path = resolve(regions_file, "regions.toml")
    agencies_path = resolve(agencies_file, "agencies.toml")
    # each file parsed once, though two lists are read from it
    regions_data = _read(regions_path)
    regions = _regions(regions_path, regions_data)
    agencies_data = _read(agencies_path)
    return Gazetteer(
        regions,
        _agencies(agencies_path, agencies_data),
        (regions_path, agencies_path),
        _groups(regions_path, regions_data, regions),
        _homes(agencies_path, agencies_data),
    )


_DEFAULT: dict[str, Gazetteer] = {}


def default() -> Gazetteer:
    """The default files, read and checked once: the entity finders and the whose-operation
    words are both built from them."""
    found = _DEFAULT.get("default")
    if found is None:
        found = _DEFAULT["default"] = load()
    return found
