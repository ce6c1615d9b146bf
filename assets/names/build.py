#!/usr/bin/env python3
"""Rebuilds the name lists in this folder from their public sources (see SOURCES.md).

usage: build.py CENSUS_DIR POPULAR_NAMES_DIR DICT_FILE
"""
import csv, sys, unicodedata

census, popular, dictionary = sys.argv[1:4]

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
words = {w.strip() for w in open(dictionary, encoding="utf-8") if w.strip() and w[0].islower() and "'" not in w}
# names that are also ordinary English words: they need more evidence to count as a name
ambiguous = sorted((fore | sur) & words)
for name, data in (("forenames.txt", sorted(fore)), ("surnames.txt", sorted(sur)), ("ambiguous.txt", ambiguous)):
    with open(name, "w", encoding="utf-8") as f:
        f.write("\n".join(data) + "\n")
print(len(fore), "forenames,", len(sur), "surnames,", len(ambiguous), "ambiguous")
