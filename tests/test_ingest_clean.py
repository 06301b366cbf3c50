"""Cleaning and splitting of pasted article text: what a user would see in the exported articles."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLES

from parallax.ingest import Record, prepare
from parallax.ingest.clean import is_boilerplate, multi_credit, normalise, source_credit
from parallax.model import Article, Document, ItemError


def articles(text: str, **meta) -> list[Article]:
    result = prepare(Document(source="dump.txt", text=text, **meta))
    assert isinstance(result, list), result
    return result


BRISK = (
    "Valdoria is ready to resume talks with Korvany, Foreign Minister Anton Brisk said on Thursday.\n"
    "“We are ready to discuss a ceasefire,” Brisk told reporters in Velgrad.\n"
)


def test_headline_after_blank_lines_and_one_paragraph_per_line():
    [article] = articles("\n\n  Valdoria ready for talks  \n\n" + BRISK.replace("\n", "\n\n"))
    assert article.title == "Valdoria ready for talks"
    assert article.text == BRISK.strip()
    assert "\n\n" not in article.text
    assert article.part == 0 and article.source == "dump.txt"


def test_normalise_keeps_quotes_and_removes_invisible_characters():
    raw = "Brisk\u00a0said\u200b “yes” and ‘no’ and \"maybe\"\r\nNext\u2028line\u00ad"
    assert normalise(raw) == "Brisk said “yes” and ‘no’ and \"maybe\"\nNext\nline"
    assert normalise("Cafe\u0301") == "Café"  # NFC: offsets count one character, not two


def test_advertisement_read_also_share_lines_are_removed():
    text = (
        "Talks resume\n" + BRISK.split("\n")[0] + "\nAdvertisement\nADVERTISEMENT\n"
        "Read also| Korvany shells border town overnight\nRead also: Another story here\n"
        "Share this article\nSubscribe to our daily briefing\n"
        "We use cookies to improve your experience. By continuing you accept our cookie policy.\n"
        "* * *\n•\n" + BRISK.split("\n")[1]
    )
    [article] = articles(text)
    assert article.text == BRISK.strip()


def test_real_paragraphs_that_mention_furniture_words_are_kept():
    for line in [
        "The ministry said in its newsletter that the talks would resume on Monday.",
        "Subscribers to the state channel saw the interview in full on Tuesday evening.",
        "Photographs of the meeting were not released, the ministry said.",
        "He said the advertisement campaign for the referendum had been paid for abroad.",
        "Ad campaigns for the referendum were paid for abroad, the commission said.",
        "Photos of the convoy were shared widely three hours after the attack.",
        "Opinion polls put the ruling party six points ahead.",
        "Brisk said the opinions expressed in the letter were his own and did not reflect the ministry's view.",
        "Those who sign up for the reserve will be paid from March, the ministry said.",
        "Analysis of the satellite images showed two new trenches near the border.",
        "Marr said she had contributed to the report on the talks, which the ministry later denied.",
        "Brisk said the views expressed in the letter were his own.",
    ]:
        assert not is_boilerplate(line), line


@pytest.mark.parametrize("line", [
    "Advertisement:", "AD", "Advertisement Advertisement", "Story Continued Below",
    "Advertisement Continue reading the main story", "Continue Reading Below", "___", "[pullquote]",
    "Image copyright Velgrad Herald Image caption Anton Brisk in Ostmark: \"We are ready\"",
    "Media playback is unsupported on your device Media caption Brisk: 'Talks will go on'",
    "Enlarge this image toggle caption Ilse Marr/Northern Wire Ilse Marr/Northern Wire",
    "Hide caption Delegates arrive in Ostmark for the second round. Previous Next Ilse Marr/Northern Wire",
    "prev Image 2 of 4", "Slideshow (3 Images)", "Photo", "( PHOTOS: The talks in Ostmark)",
    "( Also on the Herald: Korvany rejects the plan)", "Read or Share this story: https://herald.example/a/1",
    "3 hours ago", "More On This... Korvany rejects the plan", "ANALYSIS/OPINION:",
    "Follow @velgradherald", "Contact us at desk@herald.example.", "Send letters to letters@herald.example.",
    "The Morning Herald newsletter Your guide to the talks, weekday mornings, delivered to your inbox. Email Sign "
    "Up By signing up you agree to receive emails from the Velgrad Herald. You can unsubscribe at any time. This "
    "site is protected by reCAPTCHA and the Privacy Policy and Terms of Service apply.",
    "The opinions expressed by columnists are their own and do not represent the views of the Herald.",
    "Support the Herald's independent journalism: chip in $5 or more.",
    "This is a rush transcript. Copy may not be in its final form.",
    "Northern Wire writers Ilse Marr and Jon Vask contributed to this report.", "Contributing: Anton Brisk",
    "Material from the Northern Wire was used in this report.", "This article is based on wire-service reports.",
    "Photos: Who's who at the Ostmark talks Photos: Who's who at the Ostmark talks Hide Caption 1 of 9",
    "( WATCH: Seven things said at the Ostmark talks)", "Scroll down for video", "SPECIAL COVERAGE: The talks",
    "Like what you're reading? Download the Herald app for more",
    "Follow Velgrad Herald reporter Ilse Marr on Twitter @IlseMarr.",
    "The views expressed in this article are the author's own and do not necessarily reflect the Herald's stance.",
])
def test_picture_player_link_and_newsletter_furniture_is_removed(line):
    # A caption's words would be quoted as its subject's and its credit's name taken for a person in the story.
    assert is_boilerplate(line), line


def test_the_sample_corpus_furniture_leaves_the_article_text_as_it_was():
    text = (EXAMPLES / "corpus" / "txt" / "kessholm_post_harvest_warning.txt").read_text()
    furniture = ("Image copyright", "Advertisement:", "Story Continued", "Media playback", "newsletter", "hours ago")
    assert all(any(line.startswith(f) or f in line for line in text.split("\n")) for f in furniture)
    [article] = articles(text)
    assert not any(f in article.text for f in furniture)
    assert "praying for rain" not in article.text and "Lotta Berg" not in article.text
    assert article.text.startswith("Aldmark's wheat harvest") and article.text.endswith("animal feed.")


def test_photo_captions_are_removed():
    assert is_boilerplate("Photo: Anton Brisk arrives in Ostmark. (Northern Wire)")
    assert is_boilerplate("Image: Velgrad Herald")


def test_related_articles_tail_is_cut():
    [article] = articles("Talks resume\n" + BRISK + "Related articles:\nKorvany rejects plan\nValdoria mobilises")
    assert article.text == BRISK.strip()


def test_repeated_paragraph_is_kept_once_even_when_not_adjacent():
    first, second = BRISK.strip().split("\n")
    [article] = articles(f"Talks resume\n{first}\n{second}\n{first}\n  {first}  \nThe talks end on Friday, he said.")
    assert article.text.split("\n") == [first, second, "The talks end on Friday, he said."]


def test_subheading_dash_is_stripped_and_text_kept():
    [article] = articles("Talks resume\n" + BRISK + "- Korvany open to talks with Valdoria\nMore talks follow next week, officials said.")
    assert "Korvany open to talks with Valdoria" in article.text.split("\n")
    assert "- Korvany" not in article.text


def test_source_credit_becomes_outlet_and_leaves_text():
    [article] = articles("Talks resume\n" + BRISK + "(Source: Velgrad Herald)", outlet="Aggregator Daily")
    assert article.outlet == "Velgrad Herald"
    assert "Source" not in article.text


def test_source_credit_glued_to_last_paragraph():
    [article] = articles("Talks resume\n" + BRISK.strip() + " (Source: Northern Wire)")
    assert article.outlet == "Northern Wire"
    assert article.text.endswith("Brisk told reporters in Velgrad.")


def test_source_credit_after_related_block():
    [article] = articles("Talks resume\n" + BRISK + "Related articles:\nKorvany rejects plan\nSource: Velgrad Herald")
    assert article.outlet == "Velgrad Herald"
    assert article.text == BRISK.strip()


def test_container_outlet_used_without_credit():
    [article] = articles("Talks resume\n" + BRISK, outlet="Velgrad Herald")
    assert article.outlet == "Velgrad Herald"


def test_credit_line_shapes():
    assert source_credit("Source: Velgrad Herald") == "Velgrad Herald"
    assert source_credit("(Source: Velgrad Herald)") == "Velgrad Herald"
    assert source_credit("Sources close to the talks said nothing was agreed.") is None
    assert multi_credit("Velgrad Herald/Korvany Today") == ["Velgrad Herald", "Korvany Today"]
    assert multi_credit("Velgrad Herald / Korvany Today / Northern Wire") == [
        "Velgrad Herald", "Korvany Today", "Northern Wire"]
    assert multi_credit("He said the talks were an either/or choice.") is None
    assert multi_credit("https://velgrad-herald.example/news") is None
    assert multi_credit("24/7") is None


COMPILATION = """VALDORIAN PERSPECTIVE
Talks are the only way, says Brisk
Foreign Minister Anton Brisk said on Tuesday that negotiations with Korvany remain the only path.
Advertisement
He added that his team would travel to the neutral city of Ostmark next week.
KORVANIAN PERSPECTIVE
Velgrad is stalling, Korvany says
Korvanian officials accused Valdoria of stalling the negotiations with new demands every week.
“They do not want peace,” spokeswoman Mira Tolk said.
Velgrad Herald/Korvany Today
"""


def test_compilation_split_at_capital_headers_with_outlets_in_order():
    first, second = articles(COMPILATION)
    assert (first.part, first.title, first.outlet) == (0, "Talks are the only way, says Brisk", "Velgrad Herald")
    assert (second.part, second.title, second.outlet) == (1, "Velgrad is stalling, Korvany says", "Korvany Today")
    assert "PERSPECTIVE" not in first.text + second.text
    assert "Velgrad Herald/Korvany Today" not in second.text
    assert second.text.endswith("spokeswoman Mira Tolk said.")


def test_compilation_header_only_for_second_article():
    text = ("Talks are the only way, says Brisk\n" + BRISK + "SECOND ARTICLE\nVelgrad is stalling, Korvany says\n"
            "Korvanian officials accused Valdoria of stalling the negotiations.\n")
    first, second = articles(text)
    assert first.title == "Talks are the only way, says Brisk" and first.text == BRISK.strip()
    assert second.title == "Velgrad is stalling, Korvany says"


def test_compilation_with_own_source_credits():
    text = ("VALDORIAN PERSPECTIVE\nTalks are the only way\n" + BRISK + "(Source: Velgrad Herald)\n"
            "KORVANIAN PERSPECTIVE\nVelgrad is stalling\nKorvanian officials accused Valdoria of stalling again.\n"
            "(Source: Korvany Today)\n")
    first, second = articles(text)
    assert (first.outlet, second.outlet) == ("Velgrad Herald", "Korvany Today")


def test_two_outlet_credit_without_headers_splits_at_the_second_headline():
    text = (
        "Talks are the only way, says Brisk\n" + BRISK +
        "The delegation leaves for Ostmark on Monday, the ministry said.\n"
        "Velgrad is stalling, Korvany says\n"
        "Korvanian officials on Wednesday accused Valdoria of stalling the negotiations with new demands.\n"
        "“They do not want peace,” spokeswoman Mira Tolk said.\n"
        "Velgrad Herald/Korvany Today\n"
    )
    first, second = articles(text)
    assert (first.outlet, second.outlet) == ("Velgrad Herald", "Korvany Today")
    assert second.title == "Velgrad is stalling, Korvany says"
    assert first.text.endswith("the ministry said.")


def test_two_outlet_credit_with_no_clear_break_keeps_one_article_first_outlet():
    text = "Talks resume\n" + BRISK + "Velgrad Herald/Korvany Today\n"
    [article] = articles(text)
    assert article.outlet == "Velgrad Herald"
    assert article.text == BRISK.strip()


def test_capitalised_single_header_at_top_is_dropped():
    [article] = articles("VALDORIAN PERSPECTIVE\nTalks are the only way\n" + BRISK)
    assert article.title == "Talks are the only way"
    assert article.text == BRISK.strip()


def test_published_line_removed_and_used():
    [article] = articles("Talks resume\nPublished: 2026-03-04\n" + BRISK)
    assert article.published == date(2026, 3, 4)
    assert "Published" not in article.text and article.text == BRISK.strip()


def test_posted_on_line_before_headline():
    [article] = articles("Posted on March 4, 2026\nTalks resume\n" + BRISK)
    assert article.title == "Talks resume" and article.published == date(2026, 3, 4)


def test_dateline_gives_date_and_agency_and_leaves_the_text():
    # The dateline is metadata: quotes taken from the first paragraph must not start with "VELGRAD, ...".
    body = "VELGRAD, March 4, 2026 (Northern Wire) - Valdoria is ready to resume talks, Brisk said."
    [article] = articles("Talks resume\n" + body)
    assert article.published == date(2026, 3, 4)
    assert article.outlet == "Northern Wire"
    assert article.text == "Valdoria is ready to resume talks, Brisk said."


def test_dateline_without_year_is_unknown():
    [article] = articles("Talks resume\nVELGRAD, March 4 (Northern Wire) - Valdoria is ready to resume talks, Brisk said.")
    assert article.published is None


def test_metadata_date_wins_over_text():
    [article] = articles("Talks resume\nPublished: 2026-03-05\n" + BRISK, published=date(2026, 3, 4))
    assert article.published == date(2026, 3, 4)


def test_metadata_title_not_repeated_in_text():
    [article] = articles("Talks resume in Velgrad\n" + BRISK, title="Talks resume in Velgrad | Velgrad Herald")
    assert article.title == "Talks resume in Velgrad | Velgrad Herald"
    assert article.text == BRISK.strip()
    [article] = articles(BRISK, title="Talks resume")
    assert article.text == BRISK.strip()


def test_first_line_that_is_a_paragraph_stays_in_text():
    long_first = ("Valdoria is ready to resume talks with Korvany after six weeks of heavy fighting along "
                  "the river, Foreign Minister Anton Brisk said on Thursday in the capital Velgrad.")
    [article] = articles(long_first + "\nThe talks would take place in Ostmark, he said.")
    assert article.text.startswith(long_first)
    assert article.title and len(article.title) <= 160


@pytest.mark.parametrize("text", [
    "Advertisement\nADVERTISEMENT\nShare this article\n",
    "   \n\n\t\n",
    "Related articles:\n",
    "Talks\nAdvertisement\n",  # one word: not even a headline
])
def test_no_sentence_gives_one_item_error(text):
    result = prepare(Document(source="junk.txt", text=text))
    assert isinstance(result, ItemError)
    assert result.item == "junk.txt"
    assert result.reason == "no article text after cleaning"


def test_record_parts_and_error_location():
    doc = Document(source="feed.jsonl", text="Talks resume\n" + BRISK)
    [article] = prepare(Record(doc, 3, "line 4"))
    assert article.part == 3
    parts = [a.part for a in prepare(Record(Document(source="x.jsonl", text=COMPILATION), 2, "line 3"))]
    assert parts == [2]  # a record is one article: the container delimits them
    error = prepare(Record(Document(source="x.jsonl", text="Advertisement"), 1, "line 2"))
    assert isinstance(error, ItemError) and error.item == "x.jsonl (line 2)"


def test_language_detected_and_non_english_kept():
    ru = ("Переговоры возобновились\nМинистр иностранных дел Антон Бриск заявил во вторник, "
          "что переговоры с Корванией остаются единственным путём к миру.")
    uk = ("Переговори відновилися\nМіністр закордонних справ Антон Бриск заявив у вівторок, "
          "що переговори з Корванією залишаються єдиним шляхом до миру.")
    assert articles(ru)[0].language == "ru"
    assert articles(uk)[0].language == "uk"
    assert articles("Talks resume\n" + BRISK)[0].language == "en"


def test_junk_never_raises():
    for text in ["\x00\x01\x02", "/" * 5000, "(" * 3000 + "Source: X", "A/B\n" * 50, "VALDORIA\n" * 40,
                 "“" * 1000, "Published: 99/99/9999\nx y z w", "\u202e\u200f" * 100]:
        result = prepare(Document(source="junk.txt", text=text))
        assert isinstance(result, (list, ItemError))


def test_russian_published_line_and_dateline():
    text = ("Бревния откроет коридор\nОпубликовано: 2026-03-18\n"
            "СТОЛГРАД, 18 марта (Brevnia Today) — Бревния в субботу откроет гуманитарный коридор, заявил министр.")
    [article] = articles(text)
    assert article.published == date(2026, 3, 18)
    assert article.text.startswith("Бревния в субботу") and "Опубликовано" not in article.text
    assert article.outlet == "Brevnia Today" and article.language == "ru"


def test_dateline_agency_is_the_last_resort_outlet():
    body = "STOLGRAD, March 18 (Brevnia Today) - Brevnia will open a humanitarian corridor, the minister said."
    assert articles("Corridor to open\n" + body)[0].outlet == "Brevnia Today"
    assert articles("Corridor to open\n" + body, outlet="NewsPulse")[0].outlet == "NewsPulse"
    assert articles("Corridor to open\n" + body + "\n(Source: Stolgrad Courier)")[0].outlet == "Stolgrad Courier"


def test_machine_translation_note_removed():
    [article] = articles("Talks resume\n" + BRISK + "This article was translated automatically.")
    assert article.text == BRISK.strip()


WEB_DUMP = """

Valdoria signals readiness for ceasefire talks
By Ana Kovac | March 4, 2026
VELGRAD, March 4 (Northern Wire) - Valdoria is ready to resume talks with Korvany, Foreign Minister Anton Brisk said on Thursday.

Advertisement

“We are ready to discuss a ceasefire,” Brisk told reporters. “But details need to be considered.”
- Korvany open to talks with Valdoria
Read also| Korvany shells border town overnight
The Korvanian leader said last August that no talks were possible.
“We are ready to discuss a ceasefire,” Brisk told reporters. “But details need to be considered.”
ADVERTISEMENT
Share this article
Related articles:
Korvany rejects plan
Valdoria mobilises reserves
(Source: Velgrad Herald)
"""


def test_web_dump_with_every_problem_at_once():
    [article] = articles(WEB_DUMP)
    assert article.title == "Valdoria signals readiness for ceasefire talks"
    assert article.outlet == "Velgrad Herald"
    assert article.published == date(2026, 3, 4)
    assert article.text.split("\n") == [
        "Valdoria is ready to resume talks with Korvany, "
        "Foreign Minister Anton Brisk said on Thursday.",
        "“We are ready to discuss a ceasefire,” Brisk told reporters. “But details need to be considered.”",
        "Korvany open to talks with Valdoria",
        "The Korvanian leader said last August that no talks were possible.",
    ]


def test_slash_headline_in_related_list_is_not_a_credit():
    [article] = articles("Talks resume\n" + BRISK + "Related articles:\nKorvany rejects plan\nBrevnia/Dravenia talks",
                         outlet="Velgrad Herald")
    assert article.outlet == "Velgrad Herald"
    assert article.text == BRISK.strip()


def test_place_lines_and_read_more_markers_are_not_compilation_headers():
    text = ("Attacks in the region\nThe list below covers the year.\nPARIS, FRANCE\n"
            "Gunmen attacked a concert hall on a Friday night in the autumn.\nREAD MORE:\n"
            "Other headline about something else\nThe article goes on with another paragraph here.")
    assert len(articles(text)) == 1


def test_a_dump_record_is_never_cut_into_several_articles():
    from parallax.ingest import Record, prepare
    from parallax.model import Document

    body = "SECTION ONE\nFirst headline here\nA paragraph of the first text.\nSECTION TWO\nSecond headline\nMore text."
    [article] = prepare(Record(Document(source="dump.jsonl", text=body, title="One record"), 101, "line 102"))
    assert article.part == 101
