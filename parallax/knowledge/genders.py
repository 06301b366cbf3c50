"""The grammatical gender a name suggests, so that "she" does not land on a man named just before.

Evidence, strongest first: a given name that is plainly male or female in the languages our stories
cover, then the gendered surname endings of Slavic names (Shirokova, Verbytska / Makarin, Zelensky).
Names that are common for both sexes (Sasha, Andrea, Jean) are in neither list: an unknown gender is
compatible with any pronoun, a wrong one blocks the right antecedent.
"""

from __future__ import annotations

import re

from parallax.knowledge.names import GIVEN_NAMES, fold

_FEMALE = set("""
    anna ana anne ann annie alina alla alexandra aleksandra oleksandra albina anastasia anastasiya nastya
    antonina angela angelina angelika ava barbara beata bella berit birgit brigitte britt britta camilla
    carla carmen caroline catherine katherine kathryn cecilia charlotte chloe christina christine claudia
    daria darya dasha diana dina dominika dorota eleanor elena elisabeth elizabeth elisa ella elsa emilia
    emily emma eva evgenia yevgenia ewa fatima freja freya frida galina ganna hanna halyna helen helena
    hilde ida inga inger ingrid inna irina iryna isabel isabella ivanka jana janet jennifer jessica joanna
    julia yulia yuliia yuliya karin karina katarina katarzyna kateryna katerina katya kira klara kristina
    larisa larysa laura lena leila layla lidia lyudmila liudmyla lisa liv liz louise lucia lucy ludmila
    lyubov madeleine magda magdalena maja malgorzata maren margaret margarita margit maria mariya mariia
    marie marina marta martha mary maryna mette mia mila milena mira miriam nadia nadezhda nadiya natalia
    nataliya natalya natasha nina nora oksana olena olga olha oliva olivia paula pauline polina rachel
    raisa rebecca rita rosa ruth sabine sara sarah sofia sofiya sophia sophie stefania susanne svetlana
    svitlana tamara tanya tatiana tatyana tetiana tetyana teresa ulla ursula valentina valeria valeriya
    vera veronika victoria viktoria viktoriya vira yana yelena yevheniya zhanna zoya zuzana ilona ursula
    kamala hillary nancy nikki kristi marjorie liz ursula giorgia marine angela theresa jacinda sanna
    mette ylva annalena ulrike christine roberta kaja ingrida maia salome mariam aisha amina zainab
    leyla yasmin samira layla hind rania
""".split())

_MALE = set("""
    aaron abdul abdullah adam ahmed ahmad ali alexander alexei alexey aleksei aleksandr oleksandr anatoly
    andrei andrey andriy andrii andrzej andrew anton antonio arkady arkadiy arseniy arseny artem artyom
    bashar benjamin bernd bjorn bogdan bohdan boris brian carl carlos charles christian christopher daniel
    david denis denys dmitri dmitry dmytro donald edward emmanuel erik eric evgeny yevgeny yevhen fedor
    fyodor francis frank friedrich gennady george georgy gerhard giorgi gregory hans hassan heinrich henrik
    herman hossein hussein ibrahim igor ihor ilya illia ivan jakob james jan jens jerzy joe john jonas
    jonah jorge jose joseph juan karl kirill kyrylo klaus konstantin kostiantyn lars leonid lev lukas
    magnus mahmoud marco marcus mark marko martin matteo matthias maxim maksym michael mikhail mykhailo
    mohammed mohammad muhammad nikolai mykola nikolay nils oleg oleh olaf omar oscar pablo patrick paul
    pavel pavlo per peter petr petro pyotr piotr ramzan rishi robert roman rustem ruslan salman samuel
    sebastian sergei sergey serhiy serhii sergo stanislav stefan steffen stepan sven svyatoslav taras
    thomas tomas timur valery valeriy vasily vasyl viktor victor vitaly vitaliy vladimir volodymyr
    vladislav vyacheslav wolfgang xavier yaroslav yevgeniy yuri yuriy yurii zbigniew recep tayyip
    emmanuel olaf keir boris jens mark antony antonio benjamin yoav naftali yair isaac ismail mahmoud
    khalid faisal tamim mohamed abdel fattah narendra shehbaz imran joko ferdinand lula javier
    gustavo jair justin anthony lloyd jake marco rex jose
""".split())

# Common English given names (frequent in US and UK registers of births), unambiguous ones only.
_FEMALE |= set("""
    abigail alice alison allison amanda amber amy angela ashley betty beverly brenda brittany
    carol carolyn cheryl cindy cynthia deborah debra denise donna doris dorothy elaine evelyn frances
    gloria grace hannah heather jacqueline jane janice jennifer joan joyce judith judy julie karen
    kathleen kayla kimberly linda lori marilyn megan melanie melissa michelle
    nicole pamela patricia peggy phyllis rose ruth samantha sandra sharon shirley stephanie susan tammy
    teresa tiffany tina valerie wendy sheila
""".split())
_MALE |= set("""
    albert alan allen arthur barry bill billy bob bobby bradley brandon bruce bryan chad
    craig dale dan danny darren dean dennis derek don donald douglas dustin earl eugene frank fred gary
    gerald glenn gordon greg harold harry henry howard jack jacob jason jeff jeffrey jeremy jerry jesse
    jim jimmy joel johnny jon jonathan joshua keith kenneth kevin larry lawrence louis luke matt matthew
    mike mitch nathan neil nicholas paul phillip ralph randy raymond rick richard ricky roger
    ronald roy russell ryan scott sean stephen steve steven ted timothy todd tom tony travis
    tyler walter wayne william willie zachary hugh
""".split())

# Slavic surnames carry the bearer's sex; only endings that are not also common in other languages.
_FEMALE_SURNAME = re.compile(r"(?:ova|eva|yova|ska|skaya|ckaya|tskaya)$")
_MALE_SURNAME = re.compile(r"(?:ov|ev|yov|sky|skiy|skyy|skyi|ski|ckiy|tsky)$")


def given_name_gender(word: str) -> str | None:
    """The gender of a word as a given name ("Per", "Galina"), None when it is not one we know."""
    token = fold(word)
    for form in (token, GIVEN_NAMES.get(token, token)):
        if form in _FEMALE:
            return "female"
        if form in _MALE:
            return "male"
    return None


def name_gender(name: str) -> str | None:
    """"male", "female" or None for a person's name as written ("Galina Shirokova", "Pavel", "Makarin")."""
    tokens = [t for t in fold(name).split() if t.isalpha()]
    if not tokens:
        return None
    gender = given_name_gender(tokens[0])
    if gender is not None or len(tokens) == 1 and len(tokens[0]) < 6:
        return gender
    # A surname alone, or a given name we do not know: its ending, when it is a Slavic one.
    surname = tokens[-1]
    if _FEMALE_SURNAME.search(surname) and len(surname) > 5:
        return "female"
    if _MALE_SURNAME.search(surname) and len(surname) > 4:
        return "male"
    return None
