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
    affirm agree object concur tout boast joke quip muse shout cry hint forecast advise decry denounce
    dispute preach reassert reconfirm restate retell reckon""".split()
)

# Attribution is broader than speech (PolNeAR's convention): beliefs, knowledge and findings report a clause
# ("Most voters think the race is close", "the poll found that ..."). Only with a reported clause.
BELIEF_VERBS: frozenset[str] = frozenset(
    """think believe know feel expect hope fear doubt suspect assume guess worry understand realize realise
    recognize recognise find show suggest indicate reveal conclude learn see imagine wonder bet figure
    predict estimate calculate demonstrate prove illustrate convince persuade""".split()
)

# Intentions and appeals report a "to ..." complement ("Rubio wants to emerge as ...", "declined to say
# whether ...", "urged voters to stay home").
INTENT_VERBS: frozenset[str] = frozenset(
    """want plan hope expect intend promise vow pledge threaten decline refuse seek aim vow offer propose
    urge ask encourage call tell warn advise demand agree prefer""".split()
)

# Intentions whose object alone is what is wanted ("urges retaliation", "demanded an apology").
DEMAND_VERBS: frozenset[str] = frozenset("urge demand propose".split())

# Stances towards a thing: the object is what is reported ("Christie endorsed Trump", "criticized the
# president's foreign policy", "called for a special prosecutor").
STANCE_VERBS: frozenset[str] = frozenset(
    """criticize criticise endorse support oppose praise cite defend reject blame deny propose question
    attack dismiss denounce condemn slam blast mock welcome applaud back favor favour decry dispute
    acknowledge admit announce accept blame fault hail laud tout lament show offer mention express discuss
    prefer thank embrace echo note preach challenge order nominate invoke reference outline unveil promote
    bemoan assail eviscerate retweet recite chant knock ignore like envision sign""".split()
)
# Phrasal stances whose object follows a preposition ("called for X", "pointed to X", "referred to X").
STANCE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}), "point": frozenset({"to"}), "refer": frozenset({"to"}),
    "push": frozenset({"for"}), "argue": frozenset({"for", "against"}), "advocate": frozenset({"for"}),
    "talk": frozenset({"about"}), "speak": frozenset({"about", "of", "against"}), "complain": frozenset({"about"}),
    "warn": frozenset({"of", "about", "against"}), "insist": frozenset({"on"}),
    "vote": frozenset({"for", "against"}), "respond": frozenset({"to"}), "ask": frozenset({"for"}),
    "campaign": frozenset({"for", "against"}), "stand": frozenset({"by"}), "criticize": frozenset({"for"}),
    "criticise": frozenset({"for"}), "mock": frozenset({"for"}), "describe": frozenset({"as"}),
    "accuse": frozenset({"of"}), "distance": frozenset({"from"}), "question": frozenset({"about"}),
    "rail": frozenset({"against"}), "brag": frozenset({"about"}), "worry": frozenset({"about"}),
    "wonder": frozenset({"about"}), "decide": frozenset({"against"}), "credit": frozenset({"for"}),
    "caution": frozenset({"against"}), "press": frozenset({"for"}), "lobby": frozenset({"for", "against"}),
    "fight": frozenset({"for", "against"}), "apologize": frozenset({"for"}), "apologise": frozenset({"for"}),
    "thank": frozenset({"for"}), "blame": frozenset({"for", "on"}),
    "hit": frozenset({"for"}), "testify": frozenset({"about", "on"}), "comment": frozenset({"on"}),
    "joke": frozenset({"about"}), "boast": frozenset({"about"}), "weigh": frozenset({"in"}),
    "side": frozenset({"with"}), "disagree": frozenset({"with"}), "hint": frozenset({"at"}),
    "scoff": frozenset({"at"}), "swing": frozenset({"at"}), "dwell": frozenset({"on"}),
}
# "took a swipe at X", "launched an attack on X": a light verb and an attack noun are a stance on X.
LIGHT_VERBS = frozenset("take make launch deliver level aim fire unleash direct".split())
ATTACK_NOUNS = frozenset("swipe shot dig jab potshot attack broadside aim swing tirade salvo criticism".split())
# "X is a staunch opponent of Y": a stance stated as what someone is.
ADVOCATE_NOUNS = frozenset("supporter opponent critic defender proponent advocate backer champion foe admirer "
                           "detractor".split())
# "raised questions about X", "voiced concerns over X": doubts someone holds about X.
CONCERN_VERBS = frozenset("raise express voice have share air".split())
CONCERN_NOUNS = frozenset("question concern doubt fear reservation worry misgiving qualm".split())

# Nouns that carry an attribution with a clause ("his claim that ...", "the warning that ...").
ATTRIBUTION_NOUNS: frozenset[str] = frozenset(
    """claim statement assertion argument belief view warning promise pledge suggestion allegation charge
    accusation insistence fear hope notion idea message assurance vow threat announcement prediction
    contention admission report rumor rumour speculation concern complaint""".split()
)

# Possessed nouns of stance and intent: "Trump's criticism of the deal", "her decision to run".
NOUN_STANCES: dict[str, frozenset[str]] = {
    noun: frozenset(preps.split()) for noun, preps in {
        "criticism": "of", "support": "for of", "opposition": "to", "praise": "for of", "endorsement": "of",
        "call": "for", "attack": "on", "attacks": "on", "demand": "for", "defense": "of", "defence": "of",
        "rejection": "of", "embrace": "of", "view": "of on", "position": "on", "stance": "on", "comments": "on about",
        "remarks": "on about", "response": "to", "concern": "about", "accusation": "of", "condemnation": "of", "push": "for", "commitment": "to",
    }.items()}
NOUN_INTENTS: frozenset[str] = frozenset(
    "decision plan promise pledge vow refusal bid effort intention attempt push call threat offer proposal".split())

# Verbs whose quoted object is a label for something ("called the plan 'a trap'"): only ever mixed quotes.
NAMING_VERBS: frozenset[str] = frozenset("call brand describe dismiss label term dub characterise characterize".split())

# Speech verbs that need a reported clause or a quotation to count: on their own they describe an act
# ("he posted a photo", "she continued her tour"), so they are cues only next to quote marks or a clause.
WEAK_VERBS: frozenset[str] = frozenset("post continue point add object answer agree maintain charge report".split())
# ... except those that report even without a clause or a quotation next to them ("she added", "AP reported").
WEAK_BUT_REPORTING: frozenset[str] = frozenset("add maintain report charge object agree".split())

ALL_CUES: frozenset[str] = SPEECH_VERBS | NAMING_VERBS

# Manners of speaking and documents that "read": cues only right next to a quotation ('"Out!" he yelled',
# 'the sign read "Hispanics 4 Trump"'), never for a clause without marks.
QUOTING_VERBS: frozenset[str] = frozenset(
    """yell scream shout holler whisper mutter murmur snap fume gush marvel scoff sneer sigh laugh chuckle
    interject interrupt read sing chant rant rave plead beg bellow thunder growl gasp cheer mouth""".split())

# Verbs whose clausal complement is not something reported ("made sure the doors were shut", "helped
# them win"). Every other verb with a subject and a reported clause is taken as an attribution: PolNeAR
# counts perceptions, findings and decisions as attributions as well as speech.
NOT_REPORTING: frozenset[str] = frozenset(
    "be have do make help mean get let go come take give put hear watch keep need use try turn leave".split())

# "X seems / appears to be ...": the content is the subject and its complement, with no source.
RAISING_VERBS: frozenset[str] = frozenset("seem appear".split())
# "X is expected / said / believed to ...": a passive report of an unnamed source.
PASSIVE_REPORTS: frozenset[str] = frozenset(
    """expect say report believe think rumor rumour know consider project predict estimate forecast suppose
    understand allege""".split())
# "Trump reportedly told aides that ...": hearsay adverbs attribute their clause to an unnamed source.
HEARSAY_ADVERBS: frozenset[str] = frozenset("reportedly allegedly purportedly supposedly".split())
# "In a Quinnipiac poll, Clinton leads by 5 points": the thing the finding is "in" is its source.
SOURCE_NOUNS: frozenset[str] = frozenset(
    """poll survey study report analysis census words view opinion statement interview letter speech op-ed
    tweet memo filing ruling book essay article editorial testimony remarks""".split())
# ... of which these are occasions of the clause's own subject speaking ("In an interview, Clinton ...").
SPEECH_OCCASIONS: frozenset[str] = frozenset(
    "words view opinion statement interview letter speech op-ed tweet memo book essay testimony remarks".split())

# Attitudes stated with an adjective: "X is confident that ...", "willing to ...", "critical of ...".
ATTITUDE_ADJECTIVES: frozenset[str] = frozenset(
    """willing eager determined ready confident certain sure convinced worried concerned afraid hopeful
    optimistic skeptical sceptical critical supportive wary fearful adamant unwilling reluctant happy
    proud opposed coy vague passionate upbeat pessimistic candid silent defensive unapologetic nervous
    enthusiastic excited angry furious frustrated disappointed thrilled satisfied comfortable open
    cautious bullish bearish sympathetic hostile""".split())
ATTITUDE_PREPOSITIONS = frozenset("of about on to with".split())

# spaCy's lemmatiser reads "hoped"/"hoping" as forms of "hop".
_LEMMA_FIXES = {"hoped": "hope", "hoping": "hope", "hopes": "hope"}


def cue_lemma(tok) -> str:
    return _LEMMA_FIXES.get(tok.lower_) or tok.lemma_.lower()

# Every verb that may head an indirect attribution, whatever its complement.
ATTRIBUTION_VERBS: frozenset[str] = (SPEECH_VERBS | BELIEF_VERBS | INTENT_VERBS | STANCE_VERBS
                                     | frozenset(STANCE_PREPOSITIONS))


def is_cue_lemma(lemma: str) -> bool:
    return lemma.lower() in ALL_CUES
