#!/usr/bin/env python3
"""Rebuilds the name lists in this folder from their public sources (see SOURCES.md).

usage: build.py CENSUS_DIR POPULAR_NAMES_DIR FAKER_DIR DICT_FILE...
"""
import csv, sys, unicodedata

census, popular, faker_dir, *dictionaries = sys.argv[1:]

def clean(n):
    n = unicodedata.normalize("NFC", n.strip()).lower()
    return n if len(n) >= 2 and all(c.isalpha() or c in "-'" for c in n) else None

def census_names(path):
    return {clean(l.split()[0]) for l in open(path, encoding="latin-1") if l.strip()} - {None}

def popular_names(path, col):
    with open(path, encoding="utf-8-sig") as f:
        return {clean(r[col]) for r in csv.DictReader(f)} - {None}

fore = census_names(f"{census}/dist.male.first") | census_names(f"{census}/dist.female.first")
fore |= popular_names(f"{popular}/common-forenames-by-country.csv", "Romanized Name")
sur = census_names(f"{census}/dist.all.last")
sur |= popular_names(f"{popular}/common-surnames-by-country.csv", "Romanized Name")

def faker_names(root):
    """Latin-script first and last names of every person provider of the Faker package."""
    import importlib, pkgutil
    sys.path.insert(0, root)
    import faker.providers.person as person
    first, last = set(), set()
    def latin(n):
        n = clean(str(n))
        return n if n and all(ord(c) < 0x250 or c in "-'" for c in n) else None
    def listed(v):
        return list(v.keys()) if isinstance(v, dict) else list(v) if isinstance(v, (list, tuple)) else []
    for m in pkgutil.iter_modules(person.__path__):
        prov = getattr(importlib.import_module(f"faker.providers.person.{m.name}"), "Provider", None)
        for attr, into in (("first_names", first), ("first_names_male", first), ("first_names_female", first),
                           ("first_names_nonbinary", first), ("last_names", last), ("last_names_male", last),
                           ("last_names_female", last)):
            into |= {x for x in map(latin, listed(getattr(prov, attr, ()))) if x}
    return first, last

faker_first, faker_last = faker_names(faker_dir)
fore |= faker_first
sur |= faker_last
words = {w.strip() for d in dictionaries for w in open(d, encoding="utf-8") if w.strip() and w[0].islower() and "'" not in w}
# names that are also ordinary English words: they need more evidence to count as a name
ambiguous = sorted((fore | sur) & words)
for name, data in (("forenames.txt", sorted(fore)), ("surnames.txt", sorted(sur)), ("ambiguous.txt", ambiguous)):
    with open(name, "w", encoding="utf-8") as f:
        f.write("\n".join(data) + "\n")
with open("../words/english.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(words)) + "\n")
print(len(fore), "forenames,", len(sur), "surnames,", len(ambiguous), "ambiguous")
