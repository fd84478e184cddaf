"""Browser steps for pulse surveys and self-assessments, run by journey.py
(see Journey.run_area_steps).

sam (a Rust Guild member by now) answers the Guild's open survey and is
thanked with the response count; the Guild's closed survey from last month
shows its aggregates; sam records a self-assessment and sees his progress.

Each step starts and ends signed in as sam, and asserts what a person would see.
"""

from __future__ import annotations

import re

COMMUNITY = "rust-guild"


def answer_the_open_survey(j) -> None:
    j.get(f"/communities/{COMMUNITY}/surveys")
    heading = j.find("#open-h").text
    assert heading.startswith("Open now"), f"the Guild should have an open survey: {heading!r}"
    if "You answered this survey." in j.main_text():
        print("     sam has answered already (reused database)")
        return
    # The answer form, audited and captured before answering.
    j.audit("survey-answer-form")
    j.capture("survey-answer-form", f"/communities/{COMMUNITY}/surveys")
    before = int(re.search(r"(\d+) of", j.find("#open .survey-rate").text).group(1))
    j.find("input[name='q1'][value='4']").click()
    j.find("input[name='q2'][value='5']").click()
    j.fill("#q3-1", "The async clinic made me want to write Rust.")
    j.submit_with(j.button("Send answers"))
    assert j.path() == f"/communities/{COMMUNITY}/surveys", j.path()
    notice = j.notice()
    assert "Thank you" in notice, f"notice: {notice!r}"
    match = re.search(r"(\d+) responses? so far", notice)
    assert match and int(match.group(1)) == before + 1, f"the count should be {before + 1}: {notice!r}"
    assert "You answered this survey." in j.main_text()
    assert not [b for b in j.find_all("main button") if b.text.strip() == "Send answers"], "no second form"


def closed_survey_shows_aggregates(j) -> None:
    j.get(f"/communities/{COMMUNITY}/surveys")
    links = j.find_all("ul.survey-list a")
    assert links, "the Guild should list a past survey"
    j.submit_with(links[0])
    text = j.main_text()
    assert "Mean" in text, "a closed survey with enough answers shows means"
    rate = j.find(".survey-rate").text
    answered = int(re.search(r"(\d+) of", rate).group(1))
    assert answered >= 12, f"last month's survey had at least 12 answers: {rate!r}"
    assert j.find_all("ul.survey-comments li"), "comments are listed"


def record_a_self_assessment(j) -> None:
    j.get("/assessments")
    j.fill("#skill", "Rust")
    j.find("#phase-after").click()
    j.find("#level-3").click()
    j.submit_with(j.button("Save"))
    assert j.path() == "/assessments", j.path()
    assert j.notice().startswith("Saved"), j.notice()
    lines = [li.text for li in j.find_all("ul.assessment-list > li")]
    assert any(line.lower().startswith("rust: 1 → 3") for line in lines), f"sam's Rust progress: {lines}"


STEPS: list = [
    ("answer the Rust Guild's open survey and see thank you and the count", answer_the_open_survey),
    ("last month's Rust Guild survey shows its aggregates", closed_survey_shows_aggregates),
    ("record a self-assessment and see the change", record_a_self_assessment),
]
# (screenshot name, path) audited with axe and captured at both widths. The
# closed survey is the demo's first (id 1).
PAGES: list[tuple[str, str]] = [
    ("surveys", f"/communities/{COMMUNITY}/surveys"),
    ("survey-results", f"/communities/{COMMUNITY}/surveys/1"),
    ("assessments", "/assessments"),
]
