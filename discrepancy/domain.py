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
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError

FILES = ("units", "vague", "qualifiers", "classes", "actors", "places", "outlets")


@dataclass(frozen=True)
class Domain:
    unit_kinds: dict[str, str]  # word -> kind ("years" -> "duration")
    vague: dict[str, tuple[float | None, float | None]]  # phrase -> (low, high)
    qualifier_before: dict[str, re.Pattern[str]]  # qualifier -> pattern anchored at the end
    qualifier_after: dict[str, re.Pattern[str]]  # qualifier -> pattern anchored at the start
    classes: dict[str, tuple[str, str]]  # word -> (class, role) role: "outcome" | "thing" | "event"
    occasion_classes: frozenset[str]  # classes counted at an occasion: an article's main occasion is theirs
    actor_aliases: dict[str, str]  # lower-case alias -> canonical actor
    place_aliases: dict[str, str]  # lower-case alias -> canonical place
    place_parent: dict[str, str]  # place -> the place it lies in
    outlet_country: dict[str, str]  # lower-case outlet name or web domain -> country
    domain_country: dict[str, str]  # ending of a country's web domains (".in") -> country
    fingerprint: str  # hash of the files: part of the pipeline version

    def place_ancestors(self, place: str) -> list[str]:
        chain: list[str] = []
        while place in self.place_parent and place not in chain:
            place = self.place_parent[place]
            chain.append(place)
        return chain

    def country_of_outlet(self, outlet: str | None, url: str | None = None) -> str | None:
        """The country an outlet publishes from: by its name, its web domain, or its domain's country ending."""
        if outlet and outlet.lower() in self.outlet_country:
            return self.outlet_country[outlet.lower()]
        host = urlsplit(url).hostname or "" if url else ""
        if not host and outlet and re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", outlet):
            host = outlet.lower()  # an outlet known only by its site name, "newsflash.one"
        labels = host.removeprefix("www.").split(".")
        for start in range(len(labels) - 1):  # "timesofindia.indiatimes.com", then "indiatimes.com"
            country = self.outlet_country.get(".".join(labels[start:]))
            if country:
                return country
        return self.domain_country.get("." + labels[-1]) if len(labels) > 1 else None


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
    class_groups = dict(data["classes"])  # type: ignore[call-overload]
    occasion_classes = frozenset(class_groups.pop("at_occasions", None) or [])
    for role, groups in class_groups.items():
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
    outlets: dict[str, dict[str, object]] = data["outlets"]  # type: ignore[assignment]
    outlet_country = {
        str(name).lower(): country for country, names in outlets.get("outlets", {}).items() for name in names or []
    }
    domain_country = {str(ending).lower(): country for ending, country in outlets.get("country_domains", {}).items()}
    return Domain(
        unit_kinds=unit_kinds,
        vague=vague,
        qualifier_before=before,
        qualifier_after=after,
        classes=classes,
        occasion_classes=occasion_classes,
        actor_aliases=actor_aliases,
        place_aliases=place_aliases,
        place_parent=place_parent,
        outlet_country=outlet_country,
        domain_country=domain_country,
        fingerprint=digest.hexdigest()[:16],
    )
