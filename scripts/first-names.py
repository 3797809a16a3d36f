#!/usr/bin/env python3
"""Derives src/quotes/data/first-names-{male,female}.txt from the 1990 US Census first-name
frequency lists (public domain) as shipped in the PyPI package `names` 0.3.0 (MIT).

usage: pip download --no-deps -d /tmp/n names==0.3.0 && tar xzf /tmp/n/names-0.3.0.tar.gz -C /tmp/n
       python3 scripts/first-names.py /tmp/n/names-0.3.0/names

Each name goes to the sex whose share of people bearing it is larger. Names rarer than
MIN_PERCENT of their sex are left out, and so are words that other lexicons already claim
(courtesy and role titles, common capitalised words, days and months), since a word such as
"May" or "Major" is read as a name only with other evidence.
"""
import os, sys

# Share of the people of one sex that bears the name, in per cent (the Census file's unit):
# 0.005 keeps names borne by at least 1 person in 20,000.
MIN_PERCENT = 0.005
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "quotes", "data")
CLAIMED_BY = ["common-caps.txt", "days-months.txt", "role-titles.txt", "titles-courtesy.txt",
              "titles-male.txt", "titles-female.txt", "org-words.txt"]

def read(path):
    out = {}
    for line in open(path, encoding="ascii"):
        f = line.split()
        if f:
            out[f[0].lower()] = float(f[1])
    return out

def entries(name):
    return {l.strip() for l in open(os.path.join(DATA, name)) if l.strip() and not l.startswith("#")}

HEADER = """# First names borne mostly by {sex}, lower case, one a line.
# source: 1990 US Census first-name frequency lists (dist.{code}.first), as shipped in the
#   PyPI package `names` 0.3.0 by Trey Hunner (package MIT; the Census data public domain).
# licence: public domain (US Government work)
# derived by scripts/first-names.py: frequency >= {minp} per cent of the sex; the name given to
#   the sex with the larger share; words that other lexicons claim left out:
#   {claimed}
"""

def main():
    src = sys.argv[1]
    male, female = read(os.path.join(src, "dist.male.first")), read(os.path.join(src, "dist.female.first"))
    claimed = set().union(*(entries(n) for n in CLAIMED_BY))
    for sex, code, own, other in [("men", "male", male, female), ("women", "female", female, male)]:
        keep = sorted(n for n, f in own.items()
                      if f >= MIN_PERCENT and f > other.get(n, 0.0) and n not in claimed)
        with open(os.path.join(DATA, f"first-names-{code}.txt"), "w") as out:
            out.write(HEADER.format(sex=sex, code=code, minp=MIN_PERCENT,
                                    claimed=", ".join(n[:-4] for n in CLAIMED_BY)))
            out.write("\n".join(keep) + "\n")
        print(code, len(keep))

if __name__ == "__main__":
    main()
