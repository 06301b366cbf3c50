"""Exact and near-duplicate detection of republished articles."""

from __future__ import annotations

import subprocess
import sys

from parallax.ingest.dedupe import bands, fingerprint, is_near_duplicate, signature, similarity

WIRE = (
    "Foreign Minister Anton Brisk said on Thursday that Valdoria was ready to resume talks with Korvany "
    "in the neutral city of Ostmark. “We are ready to discuss a ceasefire, but the details need to be "
    "considered carefully,” Brisk told reporters in Velgrad after meeting the Ostmark envoy. Korvanian "
    "officials did not respond to a request for comment. The last round of talks collapsed in August after "
    "both sides accused each other of shelling civilian areas along the river. Diplomats said a new round "
    "could begin as early as next week if both delegations agree on the agenda."
)
REWRITE = WIRE.replace("Thursday", "Thursday evening").replace("Diplomats said", "Western diplomats said") + \
    " (Source: Northern Wire)"
OTHER = (
    "Korvany's defence ministry said its forces had repelled an attack near the river crossing overnight, "
    "and accused Valdoria of using the talks to regroup. Spokeswoman Mira Tolk said no delegation would "
    "travel to Ostmark while the shelling continued, and called the proposal a trap."
)


def test_fingerprint_ignores_case_spacing_punctuation_and_quote_style():
    assert fingerprint(WIRE) == fingerprint(WIRE.upper().replace(" ", "  ").replace("“", '"').replace("”", '"'))
    assert fingerprint(WIRE) != fingerprint(WIRE.replace("Thursday", "Friday"))


def test_rewrite_is_near_duplicate_and_other_story_is_not():
    assert is_near_duplicate(WIRE, REWRITE)
    assert similarity(signature(WIRE), signature(REWRITE)) > 0.6
    assert not is_near_duplicate(WIRE, OTHER)
    assert similarity(signature(WIRE), signature(OTHER)) < 0.1
    assert is_near_duplicate(signature(WIRE), signature(WIRE))


def test_empty_texts_are_not_duplicates():
    assert similarity(signature(""), signature("")) == 0.0


def test_bands_shared_by_near_duplicates_only():
    wire, rewrite, other = (set(bands(signature(t))) for t in (WIRE, REWRITE, OTHER))
    assert len(bands(signature(WIRE))) == 16
    assert wire & rewrite
    assert not wire & other


def test_signature_is_the_same_in_another_process():
    """Stored signatures must match ones computed later: no salted hash() anywhere."""
    code = ("from parallax.ingest.dedupe import signature, bands; import sys; "
            "print(','.join(map(str, signature(sys.argv[1])))); print(bands(signature(sys.argv[1]))[0])")
    outputs = {
        subprocess.run([sys.executable, "-c", code, WIRE], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PYTHONPATH": ":".join(sys.path)}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert outputs.pop().split("\n")[0] == ",".join(map(str, signature(WIRE)))
