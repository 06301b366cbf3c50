"""Words that carry no story identity: spaCy's English stop words plus the vocabulary of news prose."""

from spacy.lang.en.stop_words import STOP_WORDS as _SPACY

_NEWS = """
said says say saying told tell tells according added adding also would could should will year years
month months week weeks day days today yesterday tomorrow monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november december
news report reported reports reporter reporters statement statements official officials people time
times new like just mr mrs ms one two three first last next including percent per cent told asked
"""

STOPWORDS = frozenset(_SPACY) | frozenset(_NEWS.split())
