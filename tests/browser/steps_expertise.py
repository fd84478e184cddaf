"""Browser steps for expertise, run by journey.py (see Journey.run_area_steps).

Each step takes the Journey, starts and ends signed in as sam, and asserts
what a person would see: "who knows k8s" typed into the search box finds
Kubernetes experts with the synonym explained and evidence linked, and an
administrator curates the vocabulary (an unmapped spelling mapped to its
skill).
"""

from __future__ import annotations

from urllib.parse import urlparse


def who_knows_k8s(j) -> None:
    j.get("/experts")
    assert "Who knows" in j.find("main h1").text, j.find("main h1").text
    j.fill("#skill", "k8s")
    j.submit_with(j.button("Find people"))
    assert j.path() == "/experts", j.path()
    assert j.query().get("skill") == ["k8s"], j.query()
    heading = j.find("main h1").text
    assert heading == "Who knows Kubernetes?", heading
    note = j.find("main .synonym-note").text
    assert "synonym of Kubernetes" in note, note
    experts = j.find_all("ol.expert-list > li.expert")
    assert len(experts) >= 5, f"several Kubernetes experts expected, got {len(experts)}"
    first = experts[0]
    assert first.find_element("css selector", ".who a").get_attribute("href").split("/people/")[1], "a profile link"
    evidence = j.find_all("ol.expert-list ul.evidence a")
    assert evidence, "some experts should show evidence (accepted answers or artifacts)"
    outside = [e for e in experts if "Outside your team" in e.text]
    assert outside, "sam (Checkout) should see people from other teams marked"
    # The score explains itself: its parts with their points.
    parts = [li.text for li in first.find_elements("css selector", "ul.score-parts li")]
    assert parts and all("+" in p for p in parts), f"the score explains itself: {parts}"
    # Following an evidence link lands on the thread or artifact.
    href = evidence[0].get_attribute("href")
    j.get(urlparse(href).path)
    assert j.path().startswith("/threads/") or j.path().startswith("/artifacts/"), j.path()


def unknown_skill_suggests(j) -> None:
    j.get("/experts?skill=kubernets")
    text = j.main_text()
    assert "is not a skill in the vocabulary yet" in text, text[:300]
    chips = [a.text for a in j.find_all("main .empty-state a.chip")]
    assert "Kubernetes" in chips, chips


def curate_unmapped_skill(j) -> None:
    j.sign_out()
    j.sign_in_as("ada")
    # The curator's view (forms, unmapped list) is audited and captured too.
    j.audit("skills-curation", "/skills")
    j.capture("skills-curation", "/skills")
    j.audit("routing-settings", "/admin/routing")
    j.capture("routing-settings", "/admin/routing")
    j.get("/skills")
    row = j.find("#unmapped-rust-lang")
    assert "Rust lang" in row.text, row.text
    select = row.find_element("css selector", "select[name='skill']")
    for option in select.find_elements("css selector", "option"):
        if option.text == "Rust":
            option.click()
            break
    j.submit_with(row.find_element("css selector", "button"))
    assert j.notice().startswith("Mapped."), j.notice()
    assert not j.find_all("#unmapped-rust-lang"), "the key is mapped now"
    synonyms = [li.text for li in j.find_all("ul.synonyms li")]
    assert any(s.startswith("rust-lang") for s in synonyms), synonyms
    j.sign_out()
    j.sign_in_as("sam")


STEPS: list = [
    ("who knows k8s finds Kubernetes experts with evidence", who_knows_k8s),
    ("an unknown skill gets suggestions", unknown_skill_suggests),
    ("ada maps an unmapped skill", curate_unmapped_skill),
]
# (screenshot name, path) audited with axe and captured at both widths.
PAGES: list[tuple[str, str]] = [
    ("experts", "/experts?skill=kubernetes"),
    ("skills", "/skills"),
]
