"""Running the NLP stage over a stream of articles, in this process or in worker processes.

Every article is analysed on its own, within its budgets (``parallax.nlp.article``), and comes back as an
``Analysis`` or as the one-line reason it could not be analysed: an exception, a time budget used up, or (with
workers) the death of the process analysing it. Nothing that happens to one article costs another its result.
Parsing articles one at a time rather than in ``nlp.pipe`` batches costs nothing measurable with this pipeline on
CPU, and it is what lets a time budget and a failure belong to one article.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from spacy.language import Language

from parallax.model import Analysis
from parallax.nlp.budget import TIME_BUDGET, BudgetExceeded

# (text, publication date) or (text, publication date, headline): the headline is parsed as a Doc of its own,
# since ingest keeps it out of the text, and its quotes come back marked ``in_title``.
Item = tuple[str, date | None] | tuple[str, date | None, str | None]
# An analysed item: the Analysis, or the reason it could not be analysed.
Result = Analysis | str


def analyse_item(nlp: Language, item: Item, time_budget: float | None) -> Result:
    """One item's Analysis, or why there is none. Never raises (but for KeyboardInterrupt)."""
    from parallax.nlp.article import analyse_article

    title = item[2] if len(item) > 2 else None
    try:
        return analyse_article(nlp, item[0], item[1], title, time_budget=time_budget)
    except BudgetExceeded as exc:
        return str(exc)
    except MemoryError:
        return "analysis ran out of memory"
    except RecursionError:
        return "analysis failed (too deeply nested)"
    except Exception as exc:  # a bug on one odd text must not cost the other articles
        return f"analysis failed ({exc.__class__.__name__}: {exc})"


def analyse_stream(
    items: Iterable[Item], *, n_process: int = 1, batch_size: int = 32, time_budget: float | None = TIME_BUDGET
) -> Iterator[Result]:
    """Analyse (text, publication date[, headline]) items, yielding one result per item in input order.

    ``time_budget``: CPU seconds an article may take per 100,000 characters (None: no limit). Items are pulled
    lazily, so the caller may decide on the next item after seeing earlier results; with ``n_process`` > 1,
    ``batch_size`` items at a time go to each worker process.
    """
    if n_process <= 1:
        from parallax.nlp import english_pipeline

        nlp = english_pipeline()
        for item in items:
            yield analyse_item(nlp, item, time_budget)
        return
    from parallax.nlp.workers import analyse_in_workers

    yield from analyse_in_workers(items, n_process=n_process, batch_size=batch_size, time_budget=time_budget)
