"""Browser steps for recognition, run by journey.py (see Journey.run_area_steps).

sam (a Rust Guild member by now) gives kudos to the author of an answer in a
Rust Guild question thread and finds it on the community's kudos page, then
sees the kudos form refuse an empty message in place.

Each step starts and ends signed in as sam, and asserts what a person would see.
"""

from __future__ import annotations

COMMUNITY = "rust-guild"
MESSAGE = "Your answer got our service shutting down cleanly. Thank you!"


def _question_threads(j) -> list[str]:
    j.get(f"/communities/{COMMUNITY}/discussions?kind=question")
    links = [a.get_attribute("href") for a in j.find_all("ul .thread-title a")]
    paths = [href[len(j.base):] if href.startswith(j.base) else href for href in links if href]
    # The journey's own question first: ada answered it.
    own = getattr(j, "thread_path", None)
    return ([own] if own else []) + [p for p in paths if p != own]


def give_kudos_for_an_answer(j) -> None:
    for thread in _question_threads(j)[:12]:
        j.get(thread)
        links = j.find_all("li.post:not(.opening) a[href^='/kudos/new?post=']")
        if not links:
            continue
        post = links[0].get_attribute("href").split("post=")[1]
        author = j.find(f"li#post-{post} .who a").text.strip()
        j.submit_with(links[0])
        assert j.path() == "/kudos/new", j.path()
        assert j.find("main h1").text.strip() == "Give kudos"
        form_path = j.path() + "?post=" + post
        j.audit("kudos-form")
        j.capture("kudos-form", form_path)
        selected = j.find("#contribution option[selected]").get_attribute("value")
        assert selected == "answering", f"an answer should suggest 'answering', not {selected!r}"
        # An empty message is refused in place, with the field marked.
        j.submit_with(j.button("Send kudos"))
        assert j.path() == "/kudos/new", j.path()
        assert j.find("#message").get_attribute("aria-invalid") == "true", "the message should be marked invalid"
        assert j.find_all("main .form-error"), "an error summary should be shown"
        j.fill("#message", MESSAGE)
        j.submit_with(j.button("Send kudos"))
        if "already given" in j.main_text():
            # A reused database: sam thanked this person already; try the next thread.
            continue
        assert j.path() == f"/communities/{COMMUNITY}/kudos", f"after sending: {j.path()}: {j.main_text()[:300]}"
        assert j.notice().startswith("Kudos sent."), f"notice: {j.notice()!r}"
        first = j.find("ul.kudos-feed li.kudos-item")
        text = first.text
        assert MESSAGE in text, f"the newest kudos should be sam's: {text!r}"
        assert "Sam Rivera" in text and author in text, f"giver and receiver named: {text!r}"
        assert "Answering questions" in text, text
        return
    raise AssertionError("no Rust Guild question had an answer by someone else to thank")


def profile_shows_stewardship(j) -> None:
    j.get("/people/ada")
    panel = j.find("section[aria-labelledby='steward-h']")
    assert "Stewardship" in panel.text, panel.text
    kudos = j.find("section#kudos")
    assert kudos.find_elements("css selector", "li.kudos-item"), "ada's profile should list kudos she received"


STEPS: list = [
    ("give kudos to the author of a Rust Guild answer and see it on the kudos page", give_kudos_for_an_answer),
    ("a profile shows kudos received and stewardship", profile_shows_stewardship),
]
# (screenshot name, path) audited with axe and captured at both widths.
PAGES: list[tuple[str, str]] = [
    ("kudos", f"/communities/{COMMUNITY}/kudos"),
    ("my-kudos", "/kudos"),
    ("profile-ada", "/people/ada"),
]
