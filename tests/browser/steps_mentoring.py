"""Browser steps for mentoring, run by journey.py (see Journey.run_area_steps).

Each step takes the Journey, starts and ends signed in as sam, and asserts
what a person would see.

sam asks for a Rust mentor: matching runs at once and proposes ada (the
demo makes her the only Rust mentor with free places whose working day
overlaps sam's), with the reasons shown; sam accepts, ada signs in and
accepts, so the mentorship starts; sam adds a check-in and ends it. The
demo gives sam no open request, so this runs against a fresh database only
(which is how run.sh starts it).
"""

from __future__ import annotations

from urllib.parse import urlparse

from selenium.webdriver.common.by import By

MENTOR = "ada"
MENTOR_NAME = "Ada Okafor"
GOALS = "Write and ship my first Rust service for Checkout, with reviews I can learn from."
CHECK_IN = "First session: set up the service template together and agreed on a reading list."


def _card_button(card, text: str):
    for button in card.find_elements(By.CSS_SELECTOR, "button"):
        if button.text.strip() == text:
            return button
    raise AssertionError(f"no {text!r} button on the proposal card: {card.text[:300]!r}")


def request_a_rust_mentor(j) -> None:
    j.get("/mentoring")
    assert j.find("main h1").text.strip() == "Mentoring"
    assert not j.find_all("form[action='/mentoring/request/withdraw']"), (
        "sam already has an open request: the journey expects a fresh demo database"
    )
    j.fill("#wanted", "Rust")
    j.fill("#goals", GOALS)
    j.submit_with(j.button("Find me a mentor"))
    assert j.path() == "/mentoring", j.path()
    assert "A mentor is proposed for you" in j.notice(), f"notice: {j.notice()!r}"
    cards = j.find_all("section[aria-labelledby='waiting-h'] li.pairing-card")
    assert len(cards) == 1, f"one proposal should wait for sam, found {len(cards)}"
    text = cards[0].text
    assert f"{MENTOR_NAME} could mentor you" in text, text
    assert "Why this match" in text, f"the reasons should be shown: {text}"
    assert "offers Rust (expert)" in text, f"the reasons should name the skill: {text}"
    assert "shared working time" in text, text
    link = cards[0].find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href")
    j.pairing_path = urlparse(link).path
    j.submit_with(_card_button(cards[0], "Accept"))
    assert j.path() == j.pairing_path, j.path()
    assert j.notice().startswith("You accepted"), f"notice: {j.notice()!r}"
    assert f"waiting for {MENTOR_NAME} to accept" in j.main_text()
    assert "Proposed" in j.find("main .community-head .badge").text


def mentor_accepts(j) -> None:
    j.sign_out()
    j.sign_in_as(MENTOR)
    j.get("/mentoring")
    cards = [c for c in j.find_all("section[aria-labelledby='waiting-h'] li.pairing-card")
             if "Sam Rivera" in c.text]
    assert cards, f"{MENTOR} should see sam's proposal waiting"
    assert "You could mentor Sam Rivera" in cards[0].text, cards[0].text
    assert GOALS in cards[0].text, "the proposed mentor reads the goals"
    j.submit_with(_card_button(cards[0], "Accept"))
    assert j.path() == j.pairing_path, j.path()
    assert j.notice() == "You both accepted: the mentorship has started.", f"notice: {j.notice()!r}"
    assert j.find("main .community-head .badge").text.strip() == "Active"
    # ada coordinates (an admin): the organization-wide matching preview.
    j.audit("mentoring-match", "/mentoring/match")
    j.capture("mentoring-match", "/mentoring/match")
    j.sign_out()
    j.sign_in_as("sam")


def check_in_and_end(j) -> None:
    j.get(j.pairing_path)
    j.fill("#checkin-note", CHECK_IN)
    j.submit_with(j.button("Add check-in"))
    assert j.notice() == "Check-in recorded.", f"notice: {j.notice()!r}"
    checkins = j.find("section[aria-labelledby='checkins-h']").text
    assert CHECK_IN in checkins, checkins
    j.audit("mentoring-pairing")
    j.capture("mentoring-pairing", j.pairing_path)
    j.get(j.pairing_path)
    # Ending needs a reason: an empty one is refused in place.
    j.submit_with(j.button("End the mentorship"))
    assert j.find_all("main .form-error"), "ending without a reason shows the error summary"
    assert j.find("#reason").get_attribute("aria-invalid") == "true"
    j.fill("#reason", "Trying the whole journey; we will pair again next quarter.")
    j.submit_with(j.button("End the mentorship"))
    assert j.notice() == "The mentorship is ended.", f"notice: {j.notice()!r}"
    assert "Why it ended" in j.main_text()
    j.get("/mentoring")
    past = j.find("section[aria-labelledby='mine-h']").text
    assert f"{MENTOR_NAME} mentors you" in past and "Ended" in past, past


STEPS: list = [
    ("ask for a Rust mentor, see why ada is proposed, accept", request_a_rust_mentor),
    ("ada accepts too: the mentorship starts", mentor_accepts),
    ("add a check-in, then end the mentorship with a reason", check_in_and_end),
]
# (screenshot name, path) audited with axe and captured at both widths.
PAGES: list[tuple[str, str]] = [("mentoring", "/mentoring")]
