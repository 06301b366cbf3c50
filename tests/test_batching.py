"""How the articles of a run are cut into the batches workers take: every article once and in order, and an end
where no worker is left parsing a whole batch while the others wait."""

from itertools import count

from parallax.nlp.batching import batches, evened


def test_every_item_goes_out_once_in_order():
    for n in (0, 1, 6, 31, 32, 33, 500):
        for workers in (1, 2, 4):
            cut = list(batches(range(n), 32, workers))
            assert [i for b in cut for i in b] == list(range(n))
            assert all(cut)


def test_the_last_batches_shrink_so_the_workers_end_together():
    sizes = [len(b) for b in batches(range(500), 32, 2)]
    assert sizes[:14] == [32] * 14  # the bulk keeps the batch size the model parses fastest at
    tail = sizes[14:]
    assert sum(tail) == 52 and tail == sorted(tail, reverse=True)
    assert tail[0] <= 52 // 4 + 1 and tail[-4:] == [1, 1, 1, 1]  # the last an article each, one per worker and more


def test_one_process_keeps_its_batches():
    assert [len(b) for b in batches(range(100), 32, 1)] == [32, 32, 32, 4]


def test_a_piece_of_a_long_article_still_goes_out_alone():
    stream = [[1, 2, 3], ["piece 1"], ["piece 2"], [4, 5, 6, 7], [8, 9]]
    cut = list(evened(iter(stream), 2))
    assert ["piece 1"] in cut and ["piece 2"] in cut
    assert [i for b in cut for i in b] == [1, 2, 3, "piece 1", "piece 2", 4, 5, 6, 7, 8, 9]


def test_reading_stays_one_batch_per_worker_ahead():
    read = []

    def items():
        for i in count():
            read.append(i)
            yield i

    cut = batches(items(), 32, 2)
    for _ in range(10):
        next(cut)
    # ten batches out, two more read to see whether the input ends there (and the one item that started a third)
    assert len(read) <= 12 * 32 + 1
