"""Every article has its outlet when anything says it: the input's field, a credit line, the URL's host (folded and
matched to the packs' domains), a page's site name, or the host itself; and user-given publication dates."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parallax.analysis.camps import OutletDirectory
from parallax.knowledge.hosts import country_of_host, domain_candidates, host_of, site_name
from parallax.knowledge.packs import load_shipped
from parallax.model import Camp, CampRule, Outlet


def run(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=600)


def exported(db) -> dict:
    result = run(db, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("url, host", [
    ("https://www.aljazeera.com/news/2026/3/1/x", "www.aljazeera.com"),
    ("HTTPS://AMP.TheGuardian.com:443/world/x", "amp.theguardian.com"),
    ("www.rt.com/russia/123-x/", "www.rt.com"),  # typed into a spreadsheet without a scheme
    ("https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/x", "www.bbc.co.uk"),
    ("https://kyiv--independent-example.cdn.ampproject.org/c/s/x", "kyiv-independent.example"),
    ("https://www.google.com/amp/s/www.nbcnews.com/news/x.amp", "www.nbcnews.com"),
    ("http://127.0.0.1:8000/a", None), ("not a url", None), ("", None), (None, None),
])
def test_host_of_finds_the_publishers_host(url, host):
    assert host_of(url) == host


def test_hosts_fold_to_the_site_a_publisher_registered():
    assert site_name("www.example.org") == site_name("m.example.org") == site_name("amp.example.org") == "example.org"
    assert site_name("news.example.co.uk") == "example.co.uk"
    assert site_name("anna.substack.com") == "anna.substack.com"  # one writer of many on a shared host
    assert domain_candidates("politicalticker.blogs.cnn.com") == ("politicalticker.blogs.cnn.com", "blogs.cnn.com",
                                                                  "cnn.com")
    assert domain_candidates("www.bbc.co.uk")[-1] == "bbc.co.uk"
    assert country_of_host("lenta.ru") == "Russia" and country_of_host("meduza.io") is None


@pytest.fixture(scope="module")
def shipped() -> OutletDirectory:
    pack = load_shipped()
    return OutletDirectory(pack.outlets, pack.camps)


@pytest.mark.parametrize("url, outlet", [
    ("https://www.aljazeera.com/news/2026/3/1/talks", "Al Jazeera"),
    ("https://www.rt.com/russia/600001-talks/", "RT"),
    ("https://actualidad.rt.com/noticias/1", "RT en Español"),  # a section host with its own pack entry
    ("https://www.ukrinform.net/rubric-polytics/1-talks.html", "Ukrinform"),
    ("https://www.reuters.com/world/europe/talks-2026-03-01/", "Reuters"),
    ("https://uk.reuters.com/article/talks", "Reuters"),
    ("https://www.bbc.com/news/world-europe-1", "BBC News"),
    ("https://m.bbc.co.uk/news/world-europe-1", "BBC News"),
    ("https://www.nbcnews.com/news/world/talks-rcna1", "NBC News"),
    ("https://www.nbcnews.com/news/world/talks-rcna1/amp", "NBC News"),
    ("https://apnews.com/article/talks-1", "Associated Press"),
    ("https://www.afp.com/en/news/1", "Agence France-Presse"),
    ("https://edition.cnn.com/2026/03/01/europe/talks", "CNN"),
    ("https://politicalticker.blogs.cnn.com/2012/01/01/x", "CNN"),
    ("https://kyivindependent.com/talks/", "Kyiv Independent"),
    ("https://meduza.io/en/news/2026/03/01/talks", "Meduza"),
    ("https://tass.com/politics/1", "TASS"),
    ("https://tass.ru/politika/1", "TASS"),
])
def test_the_urls_host_names_a_pack_outlet(shipped, url, outlet):
    name, via = shipped.name_for(None, None, url)
    assert (name, via) == (outlet, "url")


def test_what_the_input_or_text_names_comes_first_then_the_host_then_metadata_then_a_dateline(shipped):
    reuters = "https://www.reuters.com/world/x"
    assert shipped.name_for("Velgrad Herald", "field", reuters) == ("Velgrad Herald", "field")
    assert shipped.name_for("bbc", "credit", reuters) == ("BBC News", "credit")
    # a page's site name is a weaker claim than a host the packs know...
    assert shipped.name_for("Reuters UK Edition", "metadata", reuters) == ("Reuters", "url")
    # ...and a stronger one than a host they do not know
    assert shipped.name_for("Velgrad Herald", "metadata", "https://amp.velgrad-herald.example/a") == (
        "Velgrad Herald", "metadata")
    # an outlet no pack knows is still named, by its host without www./amp./m.
    assert shipped.name_for(None, None, "https://m.velgrad-herald.example/a") == ("velgrad-herald.example", "url")
    # whoever carried a wire story beats the agency of its dateline; the dateline still names one when nothing else does
    assert shipped.name_for("Northern Wire", "dateline", "https://amp.velgrad-herald.example/a")[0] == \
        "velgrad-herald.example"
    assert shipped.name_for("Northern Wire", "dateline", None) == ("Northern Wire", "dateline")
    assert shipped.name_for(None, None, None) == (None, None)
    assert shipped.canonical_name("www.velgrad-herald.example") == "velgrad-herald.example"
    assert shipped.canonical_name("www.rt.com") == "RT"


def test_an_unknown_host_of_a_national_domain_joins_the_camp_of_its_country():
    outlets = (Outlet(id="vt", name="Valdoria Today", country="Valdoria", ownership="state-funded"),)
    camps = (Camp(id="ru", name="Russian press", rule=CampRule(countries=("Russia",))),
             Camp(id="v", name="Valdorian side", rule=CampRule(countries=("Valdoria",))))
    directory = OutletDirectory(outlets, camps)
    assert directory.camp("lenta-example.ru").name == "Russian press"
    assert directory.camp("velgrad-herald.example").id == "unattributed"
    assert directory.camp("Valdoria Today").name == "Valdorian side"


# Invented headlines (fictional countries) on the URLs of real outlets, as in a scraped war-headlines dump: no
# outlet field, one row with no URL at all, dates in the ways such dumps write them.
ROWS = [
    ("https://www.aljazeera.com/news/2026/3/2/valdoria-talks", "Valdoria and Korvany agree to resume talks",
     "2026-03-02"),
    ("https://www.rt.com/news/600002-korvany-talks/", "Korvany says talks in Kessholm can resume", None),
    ("https://www.ukrinform.net/rubric-polytics/3900001-talks.html", "Kessholm talks to resume on Monday",
     "Mon, 02 Mar 2026 09:00:00 GMT"),
    ("https://amp.reuters.com/world/europe/kessholm-talks-2026-03-02/", "Mediator confirms Kessholm talks", None),
    ("https://m.bbc.co.uk/news/world-europe-7000001", "Kessholm talks: what we know", "March 2, 2026"),
    ("https://www.nbcnews.com/news/world/kessholm-talks-rcna7001/amp", "Talks on Kessholm corridor resume", None),
    ("https://www.velgrad-herald.example/politics/talks", "Velgrad Herald view on the Kessholm talks", None),
    ("", "A row with no URL about the Kessholm talks", None),
]
BODY = ("The delegations of Valdoria and Korvany will meet again in Kessholm to discuss a humanitarian corridor, "
        "the mediator said on {n}. Officials described the agenda as short.")
EXPECTED = ["Al Jazeera", "RT", "Ukrinform", "Reuters", "BBC News", "NBC News", "velgrad-herald.example", None]


def test_a_jsonl_dump_with_urls_and_no_outlet_field_gets_its_outlets_and_dates(tmp_path):
    dump = tmp_path / "headlines.jsonl"
    with dump.open("w") as f:
        for n, (url, title, day) in enumerate(ROWS):
            row = {"headline": title, "text": BODY.format(n=f"day {n}"), "link": url}
            if day:
                row["pubDate" if n % 2 else "date"] = day
            f.write(json.dumps(row) + "\n")
    db = tmp_path / "p.db"
    result = run(db, "ingest", str(dump), "-q", "--date", "2026-03-05")
    assert result.returncode == 0, result.stderr
    articles = sorted(exported(db)["articles"], key=lambda a: a["part"])
    assert [a["outlet"] for a in articles] == EXPECTED
    assert [a["outlet_via"] for a in articles] == ["url"] * 7 + [None]
    assert [a["published"] for a in articles] == ["2026-03-02", "2026-03-05", "2026-03-02", "2026-03-05",
                                                  "2026-03-02", "2026-03-05", "2026-03-05", "2026-03-05"]
    assert [a["published_via"] for a in articles] == ["metadata", "user"] * 3 + ["user", "user"]


def test_a_csv_dump_names_outlets_by_url_and_a_bad_date_option_is_a_usage_error(tmp_path):
    dump = tmp_path / "headlines.csv"
    with dump.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "content", "url", "publish_date"])
        for n, (url, title, _day) in enumerate(ROWS[:3]):
            writer.writerow([title, BODY.format(n=f"day {n}"), url, "2026-03-0" + str(n + 1)])
    db = tmp_path / "p.db"
    bad = run(db, "ingest", str(dump), "-q", "--date", "5 March")
    assert bad.returncode == 2 and "--date" in bad.stderr and "Traceback" not in bad.stderr
    result = run(db, "ingest", str(dump), "-q")
    assert result.returncode == 0, result.stderr
    articles = sorted(exported(db)["articles"], key=lambda a: a["part"])
    assert [(a["outlet"], a["published"]) for a in articles] == [
        ("Al Jazeera", "2026-03-01"), ("RT", "2026-03-02"), ("Ukrinform", "2026-03-03")]
    briefing = run(db, "briefing", "--format", "markdown")
    assert "unknown outlet" not in briefing.stdout.lower()


PAGE = """<html lang="en"><head><title>{title}</title><meta property="og:site_name" content="{site}">
{canonical}</head><body><article><h1>{title}</h1>{body}</article></body></html>"""
BODIES = {
    "/named": """<p>The delegations of Valdoria and Korvany will meet again in Kessholm to discuss a humanitarian
corridor, the mediator said on Sunday. Officials described the agenda as short and the mood as cautious.</p>
<p>"We expect a first answer within days," the mediator told reporters in Kessholm after the meeting.</p>""",
    "/anonymous": """<p>Farmers near the border of Korvany said the closed crossing had cut them off from their
markets for a month. A local council member asked both governments to reopen the road before the harvest.</p>""",
    "saved": """<p>Negotiators for Valdoria said the corridor from Zarechensk could open for civilians within a
week if the guarantees hold. The Korvan side has not yet answered the proposal, which the mediator presented.</p>""",
}


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        site = "Velgrad Herald" if self.path == "/named" else ""
        body = PAGE.format(title="Kessholm talks resume " + self.path.strip("/"), site=site, canonical="",
                           body=BODIES[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_html_pages_take_their_outlet_from_the_site_name_or_the_canonical_url(tmp_path):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    saved = tmp_path / "saved.html"
    saved.write_text(PAGE.format(title="Corridor talks", site="Guardian Mobile", body=BODIES["saved"],
                                 canonical='<link rel="canonical" href="https://amp.theguardian.com/world/x">'))
    db = tmp_path / "p.db"
    try:
        result = run(db, "ingest", f"{base}/named", f"{base}/anonymous", str(saved), "-q", "--allow-private")
    finally:
        httpd.shutdown()
    assert result.returncode == 0, result.stderr
    by_source = {a["source"]: a for a in exported(db)["articles"]}
    # served from an address, not a host: the page's site name is all that names it
    assert by_source[f"{base}/named"]["outlet"] == "Velgrad Herald"
    assert by_source[f"{base}/named"]["outlet_via"] == "metadata"
    # with no site name either, the page is still named by where it came from
    assert by_source[f"{base}/anonymous"]["outlet"] == base.removeprefix("http://")
    # a saved page's canonical URL on a host the packs know beats the site name it prints
    assert by_source[str(saved)]["outlet"] == "The Guardian"


def test_two_hundred_headlines_with_urls_and_no_outlet_field_all_get_their_outlet(tmp_path, shipped):
    """The issue's case: a war-headlines dump of 200 rows (title, url, date) whose URLs are on Al Jazeera, RT,
    Ukrinform, Reuters, BBC and NBC, in the forms scraped dumps hold them, read as `parallax ingest` reads it."""
    from parallax.app import _with_outlet
    from parallax.ingest import prepare, read_sources

    forms = {
        "Al Jazeera": ["https://www.aljazeera.com/news/2026/3/{n}/talks-{n}", "https://aljazeera.com/amp/news/{n}"],
        "RT": ["https://www.rt.com/russia/6{n:05d}-talks/", "https://swentr.rt.com/news/{n}"],
        "Ukrinform": ["https://www.ukrinform.net/rubric-ato/39{n:05d}-talks.html", "ukrinform.ua/rubric/{n}"],
        "Reuters": ["https://www.reuters.com/world/europe/talks-{n}/", "https://amp.reuters.com/article/{n}"],
        "BBC News": ["https://www.bbc.co.uk/news/world-europe-{n}", "https://m.bbc.com/news/{n}",
                     "https://www-bbc-com.cdn.ampproject.org/c/s/www.bbc.com/news/{n}"],
        "NBC News": ["https://www.nbcnews.com/news/world/talks-rcna{n}", "https://www.nbcnews.com/news/{n}/amp"],
    }
    names = list(forms)
    dump = tmp_path / "war_headlines.jsonl"
    expected = []
    with dump.open("w") as f:
        for n in range(200):
            outlet = names[n % len(names)]
            url = forms[outlet][n % len(forms[outlet])].format(n=n)
            # headline-only rows: the title is all the text there is
            f.write(json.dumps({"title": f"Valdoria and Korvany trade claims over corridor, day {n}",
                                "description": f"Officials in Kessholm said on day {n} that the corridor talks "
                                               "would continue despite new shelling reports.",
                                "url": url, "date": "2026-03-01"}) + "\n")
            expected.append(outlet)
    got = []
    for item in read_sources([str(dump)]):
        for article in prepare(item):
            got.append(_with_outlet(article, shipped).outlet)
    assert got == expected
