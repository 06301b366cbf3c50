"""The cue lexicon: which words introduce reported speech.

Written for Parallax as lemma sets. The open GGT quote-verb list (MIT, Taboada et al.) was read to check
coverage; nothing is loaded from it at run time. Lemmas are what spaCy's English lemmatiser produces.
"""

from __future__ import annotations

# Verbs that report an utterance and can take a reported clause ("X said (that) ...") or a direct quote.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add warn claim stress insist accuse deny note argue announce state declare explain write ask
    suggest acknowledge admit confirm reiterate emphasise emphasize urge vow promise pledge predict reply
    respond retort tweet post quote assert assure reassure comment remark mention observe point concede
    contend maintain allege charge complain lament caution threaten repeat recall recount report disclose
    reveal signal indicate highlight underline underscore clarify conclude continue elaborate estimate
    proclaim exclaim testify inform notify remind counter rebut protest demand propose recommend answer
    affirm agree object concur tout boast joke quip muse shout cry hint forecast""".split()
)

# Verbs whose quoted object is a label for something ("called the plan 'a trap'"): only ever mixed quotes.
NAMING_VERBS: frozenset[str] = frozenset("call brand describe dismiss label term dub characterise characterize".split())

# Speech verbs that need a reported clause or a quotation to count: on their own they describe an act
# ("he posted a photo", "she continued her tour"), so they are cues only next to quote marks or a clause.
WEAK_VERBS: frozenset[str] = frozenset("post continue point add object answer agree maintain charge report".split())

ALL_CUES: frozenset[str] = SPEECH_VERBS | NAMING_VERBS


def is_cue_lemma(lemma: str) -> bool:
    return lemma.lower() in ALL_CUES
