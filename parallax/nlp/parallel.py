"""Running the NLP stage over a stream of articles, in this process or in worker processes.

Every article is analysed within its budgets (``parallax.nlp.article``), and comes back as an ``Analysis`` or as
the one-line reason it could not be analysed: an exception, a time budget used up, or (with workers) the death of
the process analysing it. Nothing that happens to one article costs another its result: articles are parsed in
``nlp.pipe`` batches, but a batch that fails or runs over its budget is done again one article at a time, so
a time budget and a failure still belong to one article.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from parallax.nlp.article import Item, Result, analyse_batch
from parallax.nlp.budget import TIME_BUDGET


def analyse_stream(
    items: Iterable[Item], *, n_process: int = 1, batch_size: int = 32, time_budget: float | None = TIME_BUDGET
) -> Iterator[Result]:
    """Analyse (text, publication date[, headline]) items, yielding one result per item in input order.

    ``time_budget``: CPU seconds an article (each piece of a long one) may take (None: no limit). Items are pulled
    ``batch_size`` at a time (each batch is embedded in one model call), in this process or for each worker
    process with ``n_process`` > 1; with workers, the pieces of a long article are spread over them.
    """
    if n_process <= 1:
        from parallax.nlp import english_pipeline

        nlp = english_pipeline()
        source = iter(items)
        while batch := list(islice(source, batch_size)):
            yield from analyse_batch(nlp, batch, time_budget)
        return
    from parallax.nlp.workers import analyse_in_workers

    yield from analyse_in_workers(items, n_process=n_process, batch_size=batch_size, time_budget=time_budget)
