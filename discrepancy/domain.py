"""Editable domain knowledge: the YAML files under ``data/domain/``.

Code holds mechanisms; these files hold words (units, hedges, vague counts, classes of
counted things, aliases of actors and places, place containment). A desk edits them.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ConfigError

FILES = ("units", "vague", "qualifiers", "classes", "actors", "places")


@dataclass(frozen=True)
class Domain:
    unit_kinds: dict[str, str]  # word -> kind ("years" -> "duration")
    vague: dict[str, tuple[float | None, float | None]]  # phrase -> (low, high)
    qualifier_before: dict[str, re.Pattern[str]]  # qualifier -> pattern anchored at the end
    qualifier_after: dict[str, re.Pattern[str]]  # qualifier -> pattern anchored at the start
    classes: dict[str, tuple[str, str]]  # word -> (class, role) role: "outcome" | "thing"
    actor_aliases: dict[str, str]  # lower-case alias -> canonical actor
    place_aliases: dict[str, str]  # lower-case alias -> canonical place
    place_parent: dict[str, str]  # place -> the place it lies in
    fingerprint: str  # hash of the files: part of the pipeline version

    def place_ancestors(self, place: str) -> list[str]:
        chain: list[str] = []
        while place in self.place_parent and place not in chain:
            place = self.place_parent[place]
            chain.append(place)
        return chain


_ALIAS_PATTERNS: dict[int, tuple[dict[str, str], re.Pattern[str]]] = {}


def alias_matches(text: str, aliases: dict[str, str]) -> list[re.Match[str]]:
    """Every alias of ``aliases`` in the text as a whole word (or with "'s"), longest alias first at a position.

    One pattern per alias table: a loop over the aliases was a tenth of the analysis time."""
    cached = _ALIAS_PATTERNS.get(id(aliases))
    if cached is None or cached[0] is not aliases:
        alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?P<alias>{alternation})(?:['’]s)?(?!\w)")
        cached = _ALIAS_PATTERNS[id(aliases)] = (aliases, pattern)
    return list(cached[1].finditer(text.lower()))


def _read(directory: Path, name: str) -> tuple[object, bytes]:
    path = directory / f"{name}.yaml"
    try:
        raw = path.read_bytes()
        return yaml.safe_load(raw) or {}, raw
    except FileNotFoundError:
        raise ConfigError(f"{path}: domain file missing (restore it from the repository)") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=4)
def load_domain(directory: Path) -> Domain:
    data: dict[str, object] = {}
    digest = hashlib.sha256()
    for name in FILES:
        data[name], raw = _read(directory, name)
        digest.update(raw)
    units = data["units"]
    unit_kinds = {str(word).lower(): kind for kind, words in units.items() for word in words}  # type: ignore[union-attr]
    vague = {
        phrase.lower(): (None if lo is None else float(lo), None if hi is None else float(hi))
        for phrase, (lo, hi) in data["vague"].items()  # type: ignore[union-attr]
    }
    qualifiers: dict[str, list[str]] = data["qualifiers"]  # type: ignore[assignment]
    before = {
        name: re.compile(rf"(?:^|\W)(?:{_alternation(words)})\s*$", re.IGNORECASE)
        for name, words in qualifiers.items()
        if not name.startswith("after_")
    }
    after = {
        name.removeprefix("after_"): re.compile(rf"^\s*(?:{_alternation(words)})(?!\w)", re.IGNORECASE)
        for name, words in qualifiers.items()
        if name.startswith("after_")
    }
    classes: dict[str, tuple[str, str]] = {}
    for role, groups in data["classes"].items():  # type: ignore[union-attr]
        for name, words in groups.items():
            for word in [name, *words]:
                classes[str(word).lower()] = (name, role)
    actor_aliases = {}
    for actor, aliases in data["actors"].items():  # type: ignore[union-attr]
        for alias in [actor, *(aliases or [])]:
            actor_aliases[str(alias).lower()] = actor
    place_aliases: dict[str, str] = {}
    place_parent: dict[str, str] = {}
    for place, spec in data["places"].items():  # type: ignore[union-attr]
        spec = spec or {}
        for alias in [place, *spec.get("aliases", [])]:
            place_aliases[str(alias).lower()] = place
        if spec.get("in"):
            place_parent[place] = spec["in"]
    return Domain(
        unit_kinds=unit_kinds,
        vague=vague,
        qualifier_before=before,
        qualifier_after=after,
        classes=classes,
        actor_aliases=actor_aliases,
        place_aliases=place_aliases,
        place_parent=place_parent,
        fingerprint=digest.hexdigest()[:16],
    )
