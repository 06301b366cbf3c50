"""Scores an export against examples/expected.json, the hand-written gold of the sample corpus.

Quotes match one-to-one within an article (headline quotes with headline quotes) when their content tokens overlap (Jaccard >= 0.5); a gold quote
that lies inside an already matched discontinuous prediction ("...," he said, "...") also counts as found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> set[str]:
    return {t.lower() for t in _TOKEN.findall(text)}


def jaccard(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def relative(source: str, corpus_prefix: str) -> str:
    return source[len(corpus_prefix):].lstrip("/") if source.startswith(corpus_prefix) else source


def score(export: dict, gold: dict, corpus_prefix: str) -> dict:
    articles = {(relative(a["source"], corpus_prefix), a["part"]): a for a in export["articles"]}
    by_id = {a["id"]: key for key, a in articles.items()}
    actor_name = {a["id"]: a["name"] for a in export["actors"]}
    result: dict = {}

    gold_articles = {(a["source"], a["part"]): a for a in gold["articles"]}
    found = [k for k in gold_articles if k in articles]
    result["articles"] = prf(len(found), len(articles), len(gold_articles))
    for field in ("outlet", "title", "published", "language"):
        right = sum(1 for k in found if (articles[k][field] or None) == (gold_articles[k][field] or None))
        result[f"article_{field}_accuracy"] = right / len(found) if found else 0.0
    duplicates_stored = sum(1 for d in gold["duplicates"] if (d["source"], d["part"]) in articles)
    result["duplicates_stored_separately"] = duplicates_stored

    result.update(_score_quotes(export, gold, by_id, actor_name))
    result["actor_variants_resolved"] = _score_variants(export, gold, actor_name)
    result["stories"] = _score_stories(export, gold_articles, by_id)
    result["statements_recall"] = _score_statements(export, gold, by_id)
    return result


def _score_quotes(export, gold, by_id, actor_name) -> dict:
    english = {k for k, a in ((k, a) for k, a in ((by_id[a["id"]], a) for a in export["articles"])) if a["language"] == "en"}
    pred_by_article = defaultdict(list)
    for q in export["quotes"]:
        pred_by_article[by_id[q["article_id"]]].append(q)
    gold_by_article = defaultdict(list)
    for q in gold["quotes"]:
        gold_by_article[(q["source"], q["part"])].append(q)
    tp = speaker_right = speaker_named = 0
    n_pred = sum(len(v) for k, v in pred_by_article.items())
    misses, wrong_speakers = [], []
    for key, golds in gold_by_article.items():
        preds = list(pred_by_article.get(key, []))
        pairs = sorted(
            (
                (jaccard(g["text"], p["text"]), gi, pi)
                for gi, g in enumerate(golds)
                for pi, p in enumerate(preds)
                if g.get("in", "text") == p.get("in", "text")  # a headline quote is matched in the headline
            ),
            reverse=True,
        )
        used_g, used_p, matched = set(), set(), {}
        for sim, gi, pi in pairs:
            if sim < 0.5 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            matched[gi] = preds[pi]
        for gi, g in enumerate(golds):
            if gi in matched:
                continue
            inside = [p for p in preds if tokens(g["text"]) <= tokens(p["text"]) and id(p) in {id(m) for m in matched.values()}]
            if inside:
                matched[gi] = inside[0]
        for gi, g in enumerate(golds):
            if gi not in matched:
                misses.append(f"{key[0]}#{key[1]}: {g['text'][:70]}")
                continue
            tp += 1
            if g["speaker"]:
                speaker_named += 1
                got = actor_name.get(matched[gi]["speaker"]["actor_id"])
                if got == g["speaker"]:
                    speaker_right += 1
                else:
                    wrong_speakers.append(f"{key[0]}: {g['speaker']} != {got} ({matched[gi]['speaker']['text']})")
    n_gold = len(gold["quotes"])
    scores = prf(min(tp, n_pred), n_pred, n_gold)
    return {
        "quotes": scores,
        "quote_speaker_accuracy": speaker_right / speaker_named if speaker_named else 0.0,
        "quote_misses": misses,
        "quote_wrong_speakers": wrong_speakers,
        "english_articles": len(english),
    }


def _score_variants(export, gold, actor_name) -> float:
    by_text = defaultdict(set)
    for m in export["mentions"]:
        by_text[m["text"]].add(actor_name.get(m["actor_id"]))
    total = right = 0
    for actor in gold["actors"]:
        for variant in actor["variants"]:
            if variant not in by_text:
                continue  # found under a longer mention; the name itself is scored via the full form
            total += 1
            right += actor["name"] in by_text[variant]
    return right / total if total else 0.0


def _score_stories(export, gold_articles, by_id) -> dict:
    """B-cubed precision/recall over the articles both sides know."""
    predicted = {}
    for story in export["stories"]:
        for article_id in story["article_ids"]:
            predicted[by_id[article_id]] = story["id"]
    keys = [k for k in gold_articles if k in predicted]
    gold_of = {k: gold_articles[k]["story"] for k in keys}
    p_sum = r_sum = 0.0
    for k in keys:
        same_pred = [o for o in keys if predicted[o] == predicted[k]]
        same_gold = [o for o in keys if gold_of[o] == gold_of[k]]
        both = [o for o in same_pred if gold_of[o] == gold_of[k]]
        p_sum += len(both) / len(same_pred)
        r_sum += len(both) / len(same_gold)
    p = p_sum / len(keys) if keys else 0.0
    r = r_sum / len(keys) if keys else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _score_statements(export, gold, by_id) -> float:
    """Share of gold same-statement pairs whose two quotes land in one predicted statement."""
    statement_of = {}
    for s in export["statements"]:
        for qid in s["quote_ids"]:
            statement_of[qid] = s["id"]
    quotes = defaultdict(list)
    for q in export["quotes"]:
        quotes[by_id[q["article_id"]]].append(q)
    total = together = 0
    for st in gold["statements"]:
        found = []
        for ref in st["quotes"]:
            hit = [q for q in quotes.get((ref["source"], ref["part"]), []) if ref["contains"].lower() in q["text"].lower()]
            found.append(statement_of.get(hit[0]["id"]) if hit else None)
        for a, b in combinations(found, 2):
            total += 1
            together += a is not None and a == b
    return together / total if total else 0.0
