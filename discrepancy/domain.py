"""Editable domain knowledge: the YAML files under ``data/domain/``.

Code holds mechanisms; these files hold words (units, hedges, vague counts, classes of
counted things, aliases of actors and places, place containment). A desk edits them.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .config import load_yaml
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
    gazetteer: dict[str, str]  # lower-case name of a region or town of the world -> canonical place
    outlet_country: dict[str, str]  # lower-case outlet name or web domain -> country
    domain_country: dict[str, str]  # ending of a country's web domains (".in") -> country
    fingerprint: str  # hash of the files: part of the pipeline version
    regions: frozenset[str] = frozenset()  # places that are a country's first-level regions (states, provinces)

    @functools.cached_property
    def place_names(self) -> dict[str, tuple[str, ...]]:
        """Canonical place -> every name it goes by (built on first use: the gazetteer is large)."""
        names: dict[str, list[str]] = {}
        for table in (self.place_aliases, self.gazetteer):
            for alias, place in table.items():
                names.setdefault(place, [place]).append(alias)
        return {place: tuple(dict.fromkeys(aliases)) for place, aliases in names.items()}

    @functools.cached_property
    def place_words(self) -> frozenset[str]:
        """Lower-case one-word names of countries, regions and towns ("westshire", "westport"), for telling stories
        apart; not of places such as "World", which every story lies in."""
        located = {place for place in self.place_aliases.values() if place in self.place_parent}
        countries = {place for place in self.place_aliases.values() if place.lower() in self.actor_aliases}
        names = [name for name, place in self.place_aliases.items() if place in located | countries]
        return frozenset(name for name in [*names, *self.gazetteer] if " " not in name)

    def place_ancestors(self, place: str) -> list[str]:
        chain: list[str] = []
        while place in self.place_parent:
            place = self.place_parent[place]
            if place in chain:
                break  # a loop in the files: "A in B", "B in A"
            chain.append(place)
        return chain

    def country_of(self, name: str) -> str | None:
        """The country a place, town or people lies in or belongs to ("Westport" -> Ruritania), if known."""
        lowered = name.lower()
        place = self.place_aliases.get(lowered) or self.gazetteer.get(lowered) or self.actor_aliases.get(lowered)
        if place is None:
            return None
        ancestors = self.place_ancestors(place)
        country = ancestors[-1] if ancestors else place
        return country if country.lower() in self.place_aliases and country.lower() in self.actor_aliases else None

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


class Aliases(dict[str, str]):
    """Lower-case alias -> canonical name, knowing which aliases the data wrote in lower case.

    A name written with a capital is only that name when the text capitalises it too: "Island" is
    Iceland and "WHO" the World Health Organization, but "the island" and "people who died" are not."""

    def __init__(self) -> None:
        super().__init__()
        self.lowercase: set[str] = set()

    def add(self, alias: str, name: str, *, keep: bool = False) -> None:
        """Add an alias as written; ``keep``: an alias already known keeps its meaning."""
        key = alias.lower()
        if keep and key in self:
            return
        self[key] = name
        if alias[:1].islower():
            self.lowercase.add(key)


_ALIAS_PATTERNS: dict[int, tuple[dict[str, str], re.Pattern[str]]] = {}


def alias_matches(text: str, aliases: dict[str, str]) -> list[re.Match[str]]:
    """Every alias of ``aliases`` in the text as a whole word (or with "'s"), longest alias first at a position.

    One pattern per alias table: a loop over the aliases was a tenth of the analysis time."""
    cached = _ALIAS_PATTERNS.get(id(aliases))
    if cached is None or cached[0] is not aliases:
        pattern = re.compile(rf"(?<!\w)(?P<alias>{trie_alternation(aliases)})(?:['’]s)?(?!\w)")
        cached = _ALIAS_PATTERNS[id(aliases)] = (aliases, pattern)
    matches = cached[1].finditer(text.lower())
    lowercase = getattr(aliases, "lowercase", None)
    if lowercase is None:
        return list(matches)
    return [m for m in matches if not text[m.start()].islower() or m.group("alias") in lowercase]


_Trie = dict[str, "_Trie"]
_END = ""  # the key marking that a word ends at a node of the trie


def trie_alternation(words: Iterable[str]) -> str:
    """A pattern for any of the words, as a trie: "un(?:ion|ited(?: states)?)".

    The regex engine tries the alternatives of a plain list one by one at every word of the text, a
    trie only those that begin as the text does. A longer word is tried before a shorter one it
    begins with, so the longest word that fits wins, as in a list sorted longest first."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    branches = []
    for char, child in node.items():
        if char == _END:
            continue
        while len(child) == 1 and _END not in child:  # a run of single letters as one literal
            (next_char, child), *_ = child.items()
            char += next_char
        branches.append(re.escape(char) + _trie_pattern(child))
    alternatives = "|".join(branches)
    if _END in node:
        return f"(?:{alternatives})?" if branches else ""  # greedy: the longer word first
    return alternatives if len(branches) == 1 else f"(?:{alternatives})"


def _read(directory: Path, name: str) -> tuple[object, bytes]:
    path = directory / f"{name}.yaml"
    try:
        raw = path.read_bytes()
        return load_yaml(raw) or {}, raw
    except FileNotFoundError:
        raise ConfigError(f"{path}: domain file missing (restore it from the repository)") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


GAZETTEER = "gazetteer.tsv"


def _read_gazetteer(directory: Path) -> tuple[list[list[str]], bytes]:
    """Rows of name, kind, country, aliases, people; an absent file is an empty gazetteer."""
    path = directory / GAZETTEER
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], b""
    rows = []
    for number, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise ConfigError(f"{path}:{number}: expected 5 tab-separated fields, found {len(fields)}")
        rows.append(fields)
    return rows, raw


def _add_gazetteer(
    rows: list[list[str]],
    actor_aliases: Aliases,
    place_aliases: Aliases,
    place_parent: dict[str, str],
    regions: set[str],
) -> dict[str, str]:
    """Countries join the actors and places; regions and towns go into the returned lookup.

    A name the desk's own files know keeps their meaning ("United States" stays "US"); the regions among
    the rows, under the desk's name for them, are added to ``regions``."""
    country_of: dict[str, str] = {}
    for name, kind, _inside, aliases, people in rows:
        if kind != "country":
            continue
        names = [name, *filter(None, aliases.split("|"))]
        known = [place_aliases.get(n.lower()) or actor_aliases.get(n.lower()) for n in names]
        canonical = country_of[name] = next(filter(None, known), name)
        for alias in names:
            place_aliases.add(alias, canonical, keep=True)
        for alias in [*names, *filter(None, people.split("|"))]:
            actor_aliases.add(alias, canonical, keep=True)
    gazetteer: dict[str, str] = {}
    for name, kind, inside, aliases, _people in rows:
        names = [name, *filter(None, aliases.split("|"))]
        if kind == "region":
            regions.add(place_aliases.get(name.lower(), name))
        if kind == "country" or name.lower() in place_aliases:
            continue  # a town named as a country ("Kuwait") or as a place the desk lists is that place
        for alias in names:
            is_acronym = len(alias) <= 4 and alias.lower() in actor_aliases  # the town "Un" is not the UN
            if alias.lower() not in place_aliases and not is_acronym:
                gazetteer.setdefault(alias.lower(), name)
        if inside:
            place_parent.setdefault(name, country_of.get(inside, inside))
    return gazetteer


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
    actor_aliases = Aliases()
    for actor, aliases in data["actors"].items():  # type: ignore[union-attr]
        for alias in [actor, *(aliases or [])]:
            actor_aliases.add(str(alias), actor)
    place_aliases = Aliases()
    place_parent: dict[str, str] = {}
    for place, spec in data["places"].items():  # type: ignore[union-attr]
        spec = spec or {}
        for alias in [place, *spec.get("aliases", [])]:
            place_aliases.add(str(alias), place)
        if spec.get("in"):
            place_parent[place] = spec["in"]
    gazetteer_rows, raw = _read_gazetteer(directory)
    digest.update(raw)
    regions: set[str] = set()
    gazetteer = _add_gazetteer(gazetteer_rows, actor_aliases, place_aliases, place_parent, regions)
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
        gazetteer=gazetteer,
        outlet_country=outlet_country,
        domain_country=domain_country,
        fingerprint=digest.hexdigest()[:16],
        regions=frozenset(regions),
    )
