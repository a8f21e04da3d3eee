"""The extractor's config files: known campaigns, the crime-type taxonomy and the relevance
vocabulary, validated at load.

A file that does not parse or an entry that is wrong raises ConfigError naming the file, the
entry and the field.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from monitor.errors import ConfigError

M = TypeVar("M", bound=BaseModel)

_REPO_CONFIG = Path(__file__).resolve().parents[2] / "config"


def two_letters_or_more(forms: tuple[str, ...], what: str) -> tuple[str, ...]:
    """The forms, each of two or more letters: a one-letter form would match inside any word."""
    for form in forms:
        if len(form.strip()) < 2:
            raise ValueError(f"{what} {form!r} is too short")
    return forms


class CampaignEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    bare: StrictBool = False
    # whose operation it is ("Hong Kong", or a list: ["Hong Kong", "Macau"]): where an alias is
    # also another entry's (雷霆 is Hong Kong's Thunderbolt and the mainland's Thunder), the
    # issuer's home decides
    home: tuple[str, ...] = ()

    @field_validator("home", mode="before")
    @classmethod
    def _homes(cls, value: object) -> object:
        homes = (value,) if isinstance(value, str) else value
        if isinstance(homes, (list, tuple)) and any(
            not isinstance(h, str) or len(h.strip()) < 2 for h in homes
        ):
            raise ValueError("a home is a place's name, such as Hong Kong")
        return homes

    @field_validator("aliases")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for alias in two_letters_or_more(value, "alias"):
            if alias.count("{") != alias.count("}"):
                raise ValueError(f"alias {alias!r} has an unbalanced placeholder")
        return value


class CrimeType(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=2)
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()


def _words(value: tuple[str, ...]) -> tuple[str, ...]:
    for word in value:
        if not word.strip():
            raise ValueError("a word is empty")
    return value


class RelevanceWords(BaseModel):
    """What counts for and against an enforcement announcement (`[words]`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    weak: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()

    @field_validator("weak", "strong", "negative")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _words(value)


class WhoseWords(BaseModel):
    """Who leads the operation a lead reports (`[whose]`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    demonyms: tuple[str, ...] = ()
    chinese_police: tuple[str, ...] = ()
    police: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()

    @field_validator("demonyms", "chinese_police", "police", "lead", "joint")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _words(value)


class RelevanceConfig(BaseModel):
    """config/relevance.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    words: RelevanceWords = RelevanceWords()
    whose: WhoseWords = WhoseWords()


def resolve(path: Path | None, default_name: str) -> Path:
    """The given file, else config/<name> under the working directory, else the repository's."""
    if path is not None:
        return path
    local = Path("config") / default_name
    return local if local.is_file() else _REPO_CONFIG / default_name


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


def _entries(path: Path, key: str, model: type[M]) -> tuple[M, ...]:
    data = _read(path)
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: `{key}` must be a list of tables ([[{key}]])")
    out: list[M] = []
    for i, item in enumerate(raw, 1):
        label = item.get("name", "?") if isinstance(item, dict) else "?"
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "entry"
            raise ConfigError(
                f"{path}: [[{key}]] entry {i} ({label!r}), field `{field}`: {err['msg']}"
            ) from None
    return tuple(out)


def load_campaigns(path: Path) -> tuple[CampaignEntry, ...]:
    entries = _entries(path, "campaign", CampaignEntry)
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries, 1):
        if entry.name.lower() in seen:
            raise ConfigError(
                f"{path}: [[campaign]] entry {i} ({entry.name!r}), field `name`: "
                f"duplicates entry {seen[entry.name.lower()]}"
            )
        seen[entry.name.lower()] = i
    return entries


def load_crime_types(path: Path) -> tuple[CrimeType, ...]:
    return _entries(path, "crime_type", CrimeType)


def load_relevance(path: Path) -> RelevanceConfig:
    try:
        return RelevanceConfig.model_validate(_read(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "file"
        raise ConfigError(f"{path}: field `{field}`: {err['msg']}") from None


def digest(*paths: Path) -> str:
    """A short hash of the files' bytes: part of the extractor version."""
    h = hashlib.sha256()
    for path in paths:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:8]
