#!/usr/bin/env python3
"""Speaker accuracy of `newsdex parse --json` per attribution pattern, as a Markdown table.

usage: benches/quote-patterns.py [--bin CMD] [--gold GLOB] [--root DIR]

Same arguments and the same matching as the shared `score-quotes` scorer: a gold quote is
matched to the predicted quote of the same article with the highest word overlap (>= 0.8),
and the speaker is right ("exact") when it is the gold name once courtesy titles and a
leading "the" are dropped, or "lenient" when it is one of the gold aliases or has the same
last word. Title quotes are left out, as the scorer does by default.

Each matched gold quote is put in one pattern, from the `cue` newsdex reports and where the
cue stands in the text:

    verb after quote      "...," X said / "...," said X
    verb before quote     X said: "..." / X said "..."
    colon                 X: "..." (a colon alone)
    according to          "...", according to X
    verb in sentence      reported speech carrying a fragment: X said it was "..."
    no cue                a continuation, or a quote that inherits an earlier speaker
    no speaker            newsdex gave no speaker

and, for the verb patterns, by the form of the source next to the verb: a pronoun
("he said") or a name or noun phrase. Accuracy is over gold quotes with a named source
(kind person or org), as in the scorer's attr_exact; `all` counts every matched quote.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return s.lower()


def norm_text(s):
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", fold(s)))


HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "the"}
TITLES = HONORIFICS | {"a", "an"}


def norm_name(s):
    toks = norm_text(s).split()
    while toks and toks[0] in HONORIFICS:
        toks = toks[1:]
    return " ".join(toks)


def last_token(s):
    toks = [t for t in norm_name(s).split() if t not in TITLES]
    return toks[-1] if toks else ""


def overlap(a, b):
    ta, tb = norm_text(a).split(), norm_text(b).split()
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    sa, sb = set(ta), set(tb)
    return len(sa & sb) / len(sa | sb)


def speaker_ok(pred, gq, strict):
    kind, gold = gq.get("kind"), gq.get("speaker")
    if kind == "unknown" or gold is None:
        return pred in (None, "")
    if not pred:
        return False
    p = norm_name(pred)
    if p == norm_name(gold):
        return True
    if strict:
        return False
    aliases = {norm_name(a) for a in gq.get("aliases", [])}
    if p in aliases:
        return True
    if kind == "unnamed":
        return set(p.split()) <= set(norm_name(gold).split()) | set(" ".join(aliases).split())
    return last_token(pred) != "" and last_token(pred) == last_token(gold)


PRONOUNS = {"he", "she", "they", "it", "we", "i"}
SENT_END = re.compile(r'[.!?]["\u201d\u2019\']?\s+(?=["\u201c]?[A-Z])')


def pattern(text, q):
    """(pattern, source form) of a predicted quote, from its cue and the text around it."""
    cue = q.get("cue") or ""
    if not q.get("speaker"):
        return "no speaker", ""
    if cue == "":
        return "no cue", ""
    if cue == ":":
        return "colon", ""
    s, e = q["start"], q["end"]
    before = text[max(0, s - 200):s]
    after = text[e:e + 200]
    # the sentence around the quote
    m = list(SENT_END.finditer(before))
    if m:
        before = before[m[-1].end():]
    m = SENT_END.search(after[1:])
    if m:
        after = after[:m.start() + 2]
    low_cue = cue.lower()
    words_after = re.findall(r"[\w'\u2019-]+", after.lower())
    words_before = re.findall(r"[\w'\u2019-]+", before.lower())
    cue_words = low_cue.split()
    n = len(cue_words)

    def find(words, last):
        idx = [i for i in range(len(words) - n + 1) if words[i:i + n] == cue_words]
        if not idx:
            return None
        return idx[-1] if last else idx[0]

    def form(words, i):
        near = words[max(0, i - 1):i] + words[i + n:i + n + 1]
        return "pronoun" if any(w in PRONOUNS for w in near) else "name/NP"

    if low_cue == "according to":
        return "according to", ""
    # a verb right after the quote (within a few words), else right before it
    i = find(words_after[:8], False)
    if i is not None:
        return "verb after quote", form(words_after, i)
    tail = before.rstrip()
    i = find(words_before, True)
    if i is not None:
        gap = len(words_before) - (i + n)
        if tail.endswith((":", ",")) and gap <= 3 or gap <= 1:
            return "verb before quote", form(words_before, i)
        return "verb in sentence", form(words_before, i)
    i = find(words_after, False)
    if i is not None:
        return "verb in sentence", form(words_after, i)
    return "verb elsewhere", ""


ORDER = ["verb after quote", "verb before quote", "colon", "according to",
         "verb in sentence", "verb elsewhere", "no cue", "no speaker"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.join(here, "..", "..", "shared")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/newsdex")
    ap.add_argument("--gold", default=os.path.join(shared, "eval", "dev-gold.jsonl"))
    ap.add_argument("--root", default=os.path.join(shared, "corpora", "bbc"))
    a = ap.parse_args()
    gold = []
    gold_files = sorted(glob.glob(a.gold))
    for f in gold_files:
        for line in open(f, encoding="utf-8"):
            if line.strip():
                gold.append(json.loads(line))
    if not gold:
        sys.exit(f"no gold articles in {a.gold}")
    seeds = os.path.join(os.path.dirname(os.path.abspath(gold_files[0])), "..", "seeds")

    def path_of(fp):
        if fp.startswith("seed/"):
            return os.path.join(seeds, fp[5:])
        cand = os.path.join(a.root, fp)
        if os.path.exists(cand):
            return cand
        for sub in sorted(os.listdir(a.root)):
            cand = os.path.join(a.root, sub, fp)
            if os.path.exists(cand):
                return cand
        return os.path.join(a.root, fp)

    paths = [os.path.abspath(path_of(g["file"])) for g in gold]
    out = subprocess.run(shlex.split(a.bin) + ["parse", "--json"] + paths,
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        sys.exit(out.stderr[-2000:] + f"\nparse exited {out.returncode}")
    preds = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    if len(preds) != len(gold):
        sys.exit(f"{len(preds)} parse results for {len(gold)} files")

    rows = {}  # (pattern, form) -> [all, named, exact, lenient]
    missed = 0
    for g, p, path in zip(gold, preds, paths):
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        gq = [q for q in g["quotes"] if not q.get("in_title")]
        title = p.get("title", "")
        pq = [q for q in p.get("quotes", []) if not (
            q.get("in_title") or (title and q.get("text") and q["text"] in title
                                  and not any(q["text"] == x["text"] for x in gq)))]
        used = set()
        for q in gq:
            best, bi = 0.0, -1
            for i, r in enumerate(pq):
                if i in used:
                    continue
                o = overlap(q["text"], r.get("text", ""))
                if o > best:
                    best, bi = o, i
            if best < 0.8:
                missed += 1
                continue
            used.add(bi)
            r = pq[bi]
            # offsets are byte offsets into the file; map them to characters
            raw = text.encode("utf-8")
            r = dict(r, start=len(raw[:r["start"]].decode("utf-8", "replace")),
                     end=len(raw[:r["end"]].decode("utf-8", "replace")))
            key = pattern(text, r)
            row = rows.setdefault(key, [0, 0, 0, 0])
            row[0] += 1
            if q.get("kind") in ("person", "org"):
                row[1] += 1
                row[2] += speaker_ok(r.get("speaker"), q, True)
                row[3] += speaker_ok(r.get("speaker"), q, False)

    def pct(x, n):
        return f"{x / n:.3f}" if n else "-"

    print(f"gold: {a.gold} ({len(gold)} articles)\n")
    print("| pattern | source | all | named | exact | lenient |")
    print("|---|---|---:|---:|---:|---:|")
    keys = sorted(rows, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1]))
    tot = [0, 0, 0, 0]
    for k in keys:
        r = rows[k]
        tot = [x + y for x, y in zip(tot, r)]
        print(f"| {k[0]} | {k[1] or '-'} | {r[0]} | {r[1]} | {pct(r[2], r[1])} | {pct(r[3], r[1])} |")
    print(f"| **total** | | {tot[0]} | {tot[1]} | {pct(tot[2], tot[1])} | {pct(tot[3], tot[1])} |")
    print(f"\nall: matched gold quotes; named: those with a person or organisation source "
          f"(exact and lenient are over these); gold quotes not found: {missed}")


if __name__ == "__main__":
    main()
