"""Language detection: the NLP stage relies on it to skip non-English articles."""

from __future__ import annotations

import pytest

from parallax.ingest.language import detect, unload


@pytest.mark.parametrize("text, code", [
    ("Foreign Minister Anton Brisk said on Thursday that Valdoria was ready to resume talks.", "en"),
    ("Министр иностранных дел Антон Бриск заявил в четверг, что страна готова возобновить переговоры.", "ru"),
    ("Міністр закордонних справ Антон Бриск заявив у четвер, що країна готова відновити переговори.", "uk"),
    ("Außenminister Anton Brisk sagte am Donnerstag, sein Land sei zu neuen Gesprächen bereit.", "de"),
    ("Le ministre des Affaires étrangères a déclaré jeudi que le pays était prêt à reprendre les négociations.", "fr"),
    ("El ministro de Asuntos Exteriores dijo el jueves que el país estaba dispuesto a reanudar las conversaciones.", "es"),
])
def test_languages(text, code):
    assert detect(text) == code


def test_unloaded_models_load_again_when_needed():
    """An ingest lets go of the models before its analysis; a later ingest in the same process still detects."""
    ukrainian = "Міністр закордонних справ заявив у четвер, що країна готова відновити переговори."
    assert detect(ukrainian) == "uk"
    unload()
    unload()  # (nothing left to let go of)
    assert detect(ukrainian) == "uk"


def test_short_text_is_undetermined_unless_declared():
    assert detect("Talks") == "und"
    assert detect("Talks", declared="en-GB") == "en"
    assert detect("", declared="not a code") == "und"


def test_text_beats_declared_language():
    assert detect("Министр иностранных дел заявил в четверг, что переговоры продолжатся.", declared="en") == "ru"


def test_a_run_of_brackets_does_not_stall_detection():
    """Broken Markdown ("[[[...](](](...") took the detector 8 s for 3.5 KB; words alone take a millisecond."""
    import time

    text = "[" * 800 + "](" * 800 + " Officials in Kessholm said the talks would resume next week after the holiday."
    detect(text[-80:])  # the models load on first use (another test may have unloaded them): not timed here
    started = time.monotonic()
    assert detect(text) == "en"
    assert time.monotonic() - started < 1
