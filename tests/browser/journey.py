"""A demo member's journey through copse in real headless Chromium.

Started by tests/browser/run.sh against a running `copse demo`. Signs in as
sam, finds and joins the Rust Guild, edits the profile (and submits a bad
time zone), signs out; audits pages with axe-core (fails on serious or
critical violations); takes screenshots at 1280 and 390 px and checks that
nothing scrolls sideways at 390 px.

Prints `browser: N passed, M failed` last and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlparse

import importlib
import os

import xss
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
HANDLE = "sam"
PASSWORD = "copse-demo-2026"
COMMUNITY = "rust-guild"
COMMUNITY_NAME = "Rust Guild"

# (page name, path) audited with axe and captured at both widths. `login`
# is done before signing in, the rest while signed in as sam.
SIGNED_IN_PAGES = [
    ("home", "/"),
    ("communities", "/communities"),
    ("community", f"/communities/{COMMUNITY}"),
    ("people", "/people"),
    ("profile", f"/people/{HANDLE}"),
    ("profile-edit", "/profile/edit"),
    ("events", f"/communities/{COMMUNITY}/events"),
    # Its sessions are at 09:00 in San Francisco: the planner shows the cost for Asia-Pacific.
    ("planner", "/communities/kubernetes-platform/planner"),
    ("rota", f"/communities/{COMMUNITY}/rota"),
]
WORKSHOP = "Async Rust deep dive"
# A made-up word that appears only in what the journey writes, so search
# results can be checked exactly.
MARKER = "quokkaflux"
WIDTHS = [(1280, 900), (390, 844)]
# Areas with their own steps module (steps_<area>.py), run in this order.
AREAS = ["expertise", "mentoring", "recognition", "surveys", "organization", "insight", "imports"]
MAX_SHOT_HEIGHT = 6000
FAILING_IMPACTS = {"serious", "critical"}


class Journey:
    def __init__(self, base_url: str, axe_path: Path, shots: Path, write_screenshots: bool = True) -> None:
        self.base = base_url.rstrip("/")
        self.axe_source = axe_path.read_text(encoding="utf-8")
        self.shots = shots
        self.write_screenshots = write_screenshots
        self.passed = 0
        self.failed: list[str] = []
        self.violations: dict[str, list[dict]] = {}
        self.overflow: dict[str, list[str]] = {}
        self.profile_dir = tempfile.mkdtemp(prefix="copse-chromium-")
        self.xss_corpus: Path | None = None
        self.xss_page: Path | None = None
        self.driver = self._start_driver()

    # --- plumbing -------------------------------------------------------------

    def _start_driver(self) -> WebDriver:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={self.profile_dir}",
            "--window-size=1280,900",
            "--hide-scrollbars",
        ]:
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(60)
        return driver

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile_dir, ignore_errors=True)

    def check(self, name: str, body: Callable[[], None]) -> bool:
        started = time.monotonic()
        try:
            body()
        except Exception as error:  # noqa: BLE001 - every failure is reported
            self.failed.append(name)
            detail = str(error) if isinstance(error, AssertionError) else traceback.format_exc(limit=3)
            print(f"FAIL {name}: {detail.strip()}")
            try:
                print(f"     at {self.driver.current_url}")
            except WebDriverException:
                pass
            return False
        self.passed += 1
        print(f"ok   {name} ({time.monotonic() - started:.1f}s)")
        return True

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str) -> None:
        self.driver.get(self.url(path))
        self.wait_ready()
        assert self.find_all("main#main"), f"{path} did not render a copse page (title {self.driver.title!r})"

    def wait_ready(self) -> None:
        def ready(driver: WebDriver) -> bool:
            try:
                return driver.execute_script("return document.readyState") == "complete"
            except WebDriverException:
                return False

        WebDriverWait(self.driver, 20).until(ready)

    def path(self) -> str:
        return urlparse(self.driver.current_url).path

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.driver.current_url).query)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def button(self, text: str, scope: str = "main") -> WebElement:
        for element in self.find_all(f"{scope} button"):
            if element.text.strip() == text:
                return element
        raise AssertionError(f"no button {text!r} in {scope} on {self.path()}")

    def submit_with(self, element: WebElement) -> None:
        """Clicks a submit button (or link) and waits for the next page."""
        # Mark the current document; the next page is a new document without
        # the mark. (Waiting for the old <html> element to go stale is racy in
        # Chromium, which sometimes reports "node does not belong to the
        # document" instead of a stale element.)
        self.driver.execute_script("window.__copseOldPage = true;")
        element.click()

        def navigated(driver: WebDriver) -> bool:
            try:
                return driver.execute_script("return window.__copseOldPage === undefined;") is True
            except WebDriverException:
                return False  # mid-navigation; ask again

        WebDriverWait(self.driver, 20).until(navigated)
        self.wait_ready()

    def notice(self) -> str:
        notices = self.find_all("main .notice")
        return notices[0].text.strip() if notices else ""

    def main_text(self) -> str:
        return self.find("main").text

    def fill(self, css: str, value: str) -> None:
        element = self.find(css)
        element.clear()
        element.send_keys(value)

    def set_value(self, css: str, value: str) -> None:
        """Sets an input's value by script (time inputs are locale-dependent to type into)."""
        element = self.find(css)
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            element,
            value,
        )

    # --- the journey ----------------------------------------------------------

    def sign_in(self) -> None:
        self.get("/")
        assert self.path() == "/login", f"signed out, / should lead to /login, not {self.path()}"
        self.fill("#login", HANDLE)
        self.fill("#password", PASSWORD)
        self.submit_with(self.button("Sign in"))
        assert self.path() == "/", f"after signing in expected /, got {self.path()}: {self.main_text()[:300]}"
        heading = self.find("main h1").text
        assert "Sam" in heading, f"home heading should greet Sam: {heading!r}"
        me = self.find("header .me").text
        assert "Sam Rivera" in me, f"header should name the viewer: {me!r}"
        footer = self.find("footer").text
        assert "Your organization" not in footer, (
            f"the demo organization's name should be shown, not the default: footer {footer!r}"
        )

    def discover(self) -> None:
        self.get("/communities")
        self.fill("form.filters #q", "rust")
        self.submit_with(self.button("Filter", "form.filters"))
        assert self.path() == "/communities", self.path()
        assert self.query().get("q") == ["rust"], f"the search should be q=rust: {self.driver.current_url}"
        assert self.find("form.filters #q").get_attribute("value") == "rust", "the search box keeps the query"
        names = [a.text.strip() for a in self.find_all("ul.cards li.card h3 a")]
        assert COMMUNITY_NAME in names, f"{COMMUNITY_NAME!r} should be found for q=rust, got {names}"
        link = next(a for a in self.find_all("ul.cards li.card h3 a") if a.text.strip() == COMMUNITY_NAME)
        self.submit_with(link)
        assert self.path() == f"/communities/{COMMUNITY}", self.path()
        assert self.find("main h1").text.strip() == COMMUNITY_NAME

    def join(self) -> None:
        if self.path() != f"/communities/{COMMUNITY}":
            self.get(f"/communities/{COMMUNITY}")
        buttons = {b.text.strip() for b in self.find_all(".head-actions button")}
        if "Join community" not in buttons and "Leave community" in buttons:
            # A reused database (COPSE_BROWSER_DATABASE_URL) from an earlier run.
            print("     sam is already a member (reused database): leaving first")
            self.submit_with(self.button("Leave community", ".head-actions"))
            self.get(f"/communities/{COMMUNITY}")
        self.submit_with(self.button("Join community", ".head-actions"))
        assert self.path() == f"/communities/{COMMUNITY}", self.path()
        notice = self.notice()
        assert notice == "Welcome! You are now a member.", f"join notice: {notice!r}"
        notice_role = self.find("main .notice").get_attribute("role")
        assert notice_role == "status", f"the notice should be role=status, is {notice_role!r}"
        buttons = {b.text.strip() for b in self.find_all(".head-actions button")}
        assert "Join community" not in buttons, f"still offered to join: {buttons}"
        assert "Leave community" in buttons, f"a member should be offered to leave: {buttons}"

    def home_lists_membership(self) -> None:
        self.get("/")
        section = self.find("section[aria-labelledby='mine-h']")
        assert section.find_element(By.CSS_SELECTOR, "h2").text.strip() == "Your communities"
        mine = [a.text.strip() for a in section.find_elements(By.CSS_SELECTOR, "li.card h3 a")]
        assert COMMUNITY_NAME in mine, f"{COMMUNITY_NAME} should be under Your communities: {mine}"
        discover = [a.text.strip() for a in self.find_all("section[aria-labelledby='discover-h'] li.card h3 a")]
        assert COMMUNITY_NAME not in discover, f"{COMMUNITY_NAME} should have left Discover: {discover}"

    def edit_profile(self) -> None:
        self.get("/profile/edit")
        assert self.find("main h1").text.strip() == "Edit your profile"
        # Every field has a visible label tied to it.
        for field in ["name", "team", "location", "experience", "time_zone", "work_start", "work_end",
                      "skills", "interests", "bio"]:
            labels = self.find_all(f"label[for='{field}']")
            assert labels and labels[0].text.strip(), f"field {field} has no label"
        self.fill("#name", "Sam Rivera")
        self.fill("#team", "Checkout Platform")
        self.fill("#location", "Brooklyn")
        self.fill("#time_zone", "America/Chicago")
        self.set_value("#work_start", "08:30")
        self.set_value("#work_end", "16:30")
        Select(self.find("#experience")).select_by_value("senior")
        self.fill("#skills", "Rust:expert, Go:learning")
        self.fill("#interests", "accessibility, testing, rust")
        self.fill("#bio", "Frontend engineer on Checkout, now writing Rust services too.")
        self.submit_with(self.button("Save profile"))
        assert self.path() == f"/people/{HANDLE}", f"saving should lead to the profile, got {self.path()}"
        assert self.notice() == "Your profile is saved.", f"profile notice: {self.notice()!r}"
        self.assert_saved_profile()

    def assert_saved_profile(self) -> None:
        text = self.main_text()
        for expected in ["Checkout Platform", "Brooklyn", "Senior", "America/Chicago", "08:30", "16:30",
                         "Frontend engineer on Checkout, now writing Rust services too."]:
            assert expected in text, f"{expected!r} should be on /people/{HANDLE}"
        skills = {
            li.find_element(By.CSS_SELECTOR, "span").text.strip(): li.find_element(By.CSS_SELECTOR, ".level-word").text.strip()
            for li in self.find_all("ul.skills li")
        }
        assert skills.get("Rust") == "Expert", f"skills: {skills}"
        assert skills.get("Go") == "Learning", f"skills: {skills}"
        interests = {li.text.strip() for li in self.find_all("section[aria-labelledby='skills-h'] ul.tags li")}
        assert {"accessibility", "testing", "rust"} <= interests, f"interests: {interests}"

    def bad_time_zone(self) -> None:
        self.get("/profile/edit")
        assert self.find("#time_zone").get_attribute("value") == "America/Chicago", "the form shows the saved zone"
        self.fill("#time_zone", "Mars/Olympus")
        self.fill("#bio", "This bio must not be saved.")
        self.submit_with(self.button("Save profile"))
        assert self.path() == "/profile/edit", f"an invalid form re-renders in place, got {self.path()}"
        summary = self.find_all("main .form-error")
        assert summary, "a summary of the errors should be shown"
        assert summary[0].get_attribute("role") == "alert", "the error summary should be role=alert"
        field = self.find("#time_zone")
        assert field.get_attribute("value") == "Mars/Olympus", "the form keeps what was typed"
        assert field.get_attribute("aria-invalid") == "true", "the field should be aria-invalid"
        described = (field.get_attribute("aria-describedby") or "").split()
        assert "time_zone-error" in described, f"aria-describedby should name the message: {described}"
        message = self.find("#time_zone-error")
        assert message.text.strip(), "the error message should say something"
        same_field = self.driver.execute_script(
            "return arguments[0].closest('.field') === arguments[1].closest('.field');", field, message
        )
        assert same_field, "the error message should sit in the time zone's .field, next to it"
        assert message.is_displayed(), "the error message should be visible"
        print(f"     time zone error: {message.text.strip()!r}")
        # Nothing was stored: the earlier saved values are still there.
        self.get(f"/people/{HANDLE}")
        text = self.main_text()
        assert "Mars/Olympus" not in text, "the bad time zone must not be stored"
        assert "This bio must not be saved." not in text, "nothing of an invalid form is stored"
        self.assert_saved_profile()
        self.get("/profile/edit")
        assert self.find("#time_zone").get_attribute("value") == "America/Chicago"

    def sign_in_as(self, handle: str) -> None:
        self.get("/login")
        self.fill("#login", handle)
        self.fill("#password", PASSWORD)
        self.submit_with(self.button("Sign in"))
        assert self.path() == "/", f"{handle} could not sign in: {self.main_text()[:300]}"

    def open_workshop(self) -> None:
        self.get(f"/communities/{COMMUNITY}/events")
        links = [a for a in self.find_all("ul.sessions li .what a") if a.text.strip() == WORKSHOP]
        assert links, f"{WORKSHOP!r} should be listed among upcoming sessions"
        self.submit_with(links[0])
        assert self.find("main h1").text.strip() == WORKSHOP

    def waitlist_and_promotion(self) -> None:
        # sam (now a Rust Guild member) finds the workshop full and queues.
        self.open_workshop()
        self.workshop_path = self.path()
        self.submit_with(self.button("Join the waitlist"))
        assert "waitlist" in self.notice(), f"expected the waitlist notice, got {self.notice()!r}"
        assert "You're on the waitlist" in self.main_text()
        self.capture("event", self.workshop_path)
        # ada gives up her seat...
        self.sign_out()
        self.sign_in_as("ada")
        self.get(self.workshop_path)
        self.submit_with(self.button("Not going"))
        assert self.notice() == "Noted: not going.", self.notice()
        self.sign_out()
        # ...and sam is told, and is going.
        self.sign_in_as(HANDLE)
        notes = self.find("section[aria-labelledby='note-h']").text
        assert "A seat came free" in notes, f"home should tell sam about the seat: {notes!r}"
        self.get(self.workshop_path)
        assert "You're going" in self.main_text(), "sam should now be going"

    # --- discussions, practice, search (issue 4) --------------------------------

    def ask_question(self) -> None:
        self.get(f"/communities/{COMMUNITY}/discussions/new")
        self.find("input[name='kind'][value='question']").click()
        self.fill("#title", f"How do I cancel a {MARKER} task cleanly?")
        self.fill("#body", f"My `{MARKER}` worker ignores shutdown. What is the idiomatic way to stop it?")
        self.fill("#tags", "async, tokio")
        self.submit_with(self.button("Start the thread"))
        assert self.path().startswith("/threads/"), f"a new thread should open its page, got {self.path()}"
        self.thread_path = self.path()
        assert MARKER in self.find("main h1").text, self.find("main h1").text

    def answer_question(self) -> None:
        self.sign_out()
        self.sign_in_as("ada")
        self.get(self.thread_path)
        self.fill("#body", f"Pass a cancellation token into the {MARKER} loop and `select!` on it; @sam see the docs.")
        self.submit_with(self.button("Post your answer"))
        assert self.path() == self.thread_path, self.path()
        bodies = [b.text for b in self.find_all("li.post .post-body")]
        assert any("cancellation token" in b for b in bodies), f"the answer should be on the thread: {bodies}"
        self.sign_out()
        self.sign_in_as(HANDLE)

    def accept_and_record_time_saved(self) -> None:
        self.get(self.thread_path)
        self.submit_with(self.button("Accept this answer"))
        accepted = self.find_all("li.post.accepted .post-body")
        assert accepted and "cancellation token" in accepted[0].text, "ada's answer should be marked accepted"
        self.fill("#minutes", "45")
        self.fill("#note", "Fixed our shutdown hang")
        self.submit_with(self.button("Record time saved"))
        assert "45" in self.main_text(), "the time saved should be shown on the thread"

    def write_and_version_artifact(self) -> None:
        self.get(f"/communities/{COMMUNITY}/practice/new")
        self.fill("#title", f"{MARKER.capitalize()} shutdown checklist")
        Select(self.find("#kind")).select_by_value("checklist")
        self.fill("#body", "- [ ] Create a cancellation token\n- [ ] Select on it in every loop\n")
        self.submit_with(self.find("form.artifact-form button[type='submit']"))
        assert self.path().startswith("/artifacts/"), f"a new artifact should open its page, got {self.path()}"
        self.artifact_path = self.path()
        self.get(self.artifact_path + "/edit")
        self.fill("#body", "- [ ] Create a cancellation token\n- [ ] Select on it in every loop\n"
                  "- [ ] Await the task's handle\n")
        if self.find_all("#message"):
            self.fill("#message", "Await the handle too")
        self.submit_with(self.find("form.artifact-form button[type='submit']"))
        assert self.path() == self.artifact_path, self.path()
        assert "Await the task's handle" in self.main_text()
        self.get(self.artifact_path + "/history")
        text = self.main_text()
        assert "Await the handle too" in text or "Version 2" in text or "v2" in text, text[:400]
        self.get(self.artifact_path + "/diff?from=1&to=2")
        assert "Await the task" in self.main_text(), "the diff should show the added step"

    def run_checklist(self) -> None:
        self.get(self.artifact_path)
        self.submit_with(self.find("form[action$='/run'] button"))
        assert self.path().startswith("/checklist-runs/"), self.path()
        for box in self.find_all("input[name='tick']"):
            if not box.is_selected():
                box.click()
        self.submit_with(self.button("Complete the run"))
        text = self.main_text()
        assert "omplete" in text, f"the run should say it is complete: {text[:300]}"

    def find_it_by_search(self) -> None:
        self.get(f"/search?q={MARKER}")
        titles = [h.text for h in self.find_all("li.search-hit")]
        joined = " | ".join(titles)
        assert any("cancel a" in t for t in titles), f"the question should be found: {joined}"
        assert any("cancellation token" in t for t in titles), f"the answer should be found: {joined}"
        assert any("shutdown checklist" in t.lower() for t in titles), f"the artifact should be found: {joined}"
        assert self.find_all("li.search-hit mark"), "matches should be highlighted"

    def xss_thread(self) -> None:
        assert self.xss_corpus is not None
        vectors = xss.read_vectors(self.xss_corpus)
        self.get(f"/communities/{COMMUNITY}/discussions/new")
        self.fill("#title", "Hostile Markdown corpus")
        self.fill("#body", "Each reply below is a known XSS vector.")
        self.submit_with(self.button("Start the thread"))
        thread = self.path()
        assert thread.startswith("/threads/"), thread
        # Post every vector through the real reply form's endpoint with the
        # page's CSRF token (a fetch per vector; much faster than 80 page loads).
        failures = self.driver.execute_async_script(
            """
            const [vectors, done] = [arguments[0], arguments[arguments.length - 1]];
            const form = document.querySelector("form[action$='/reply']");
            const csrf = form.querySelector("input[name='_csrf']").value;
            (async () => {
              const failed = [];
              for (const body of vectors) {
                const r = await fetch(form.action, {method: 'POST', credentials: 'same-origin',
                  body: new URLSearchParams({_csrf: csrf, body})});
                if (!r.ok) failed.push(r.status + ' ' + body.slice(0, 40));
              }
              done(failed);
            })();
            """,
            vectors,
        )
        assert not failures, f"posting vectors failed: {failures}"
        checked = xss.thread_is_inert(self.driver, self.url(thread), "li.post .post-body")
        assert checked >= len(vectors), f"only {checked} posts on the thread page for {len(vectors)} vectors"

    def sign_out(self) -> None:
        self.get("/")
        self.submit_with(self.button("Sign out", "header"))
        assert self.path() == "/login", f"signing out should lead to /login, got {self.path()}"
        self.get("/profile/edit")
        assert self.path() == "/login", f"signed out, /profile/edit should lead to /login, got {self.path()}"
        assert not self.find_all("header .me"), "no account in the header once signed out"

    # --- axe ------------------------------------------------------------------

    def audit(self, name: str, path: str | None = None) -> None:
        if path is not None:
            self.get(path)
        self.driver.execute_script(self.axe_source)
        if not self.driver.execute_script("return typeof window.axe === 'object' && typeof axe.run === 'function';"):
            raise AssertionError(
                "axe did not load through execute_script: is WebDriver script evaluation subject to the CSP?"
            )
        raw = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
              .then(r => done(JSON.stringify({violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))
              }))})))
              .catch(e => done(JSON.stringify({error: String(e)})));
            """
        )
        result = json.loads(raw)
        if "error" in result:
            raise AssertionError(f"axe.run failed: {result['error']}")
        violations = result["violations"]
        self.violations[name] = violations
        for v in violations:
            print(f"     axe {name}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:8]:
                print(f"         {' '.join(map(str, node['target']))}  {node['html'][:140]}")
                if node.get("summary"):
                    print("           " + node["summary"].replace("\n", "\n           ")[:400])
            if len(v["nodes"]) > 8:
                print(f"         ... and {len(v['nodes']) - 8} more nodes")
        bad = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not bad, f"serious/critical axe violations on {self.path()}: {', '.join(bad)}"

    # --- screenshots and layout -----------------------------------------------

    def set_viewport(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)
        inner_w, inner_h = self.driver.execute_script("return [window.innerWidth, window.innerHeight];")
        if (inner_w, inner_h) != (width, height):
            self.driver.set_window_size(width + (width - inner_w), height + (height - inner_h))

    def capture(self, name: str, path: str) -> None:
        """Screenshots a page at both widths; checks sideways scrolling at the narrow one."""
        problems = []
        for width, height in WIDTHS:
            self.set_viewport(width, height)
            self.get(path)
            if width < 500:
                scroll_w, inner_w = self.driver.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth];"
                )
                if scroll_w > inner_w + 1:
                    wide = self.driver.execute_script(
                        """
                        const limit = window.innerWidth + 1, out = [];
                        for (const el of document.querySelectorAll('body *')) {
                          const r = el.getBoundingClientRect();
                          if (r.width > 0 && r.right > limit) {
                            let sel = el.tagName.toLowerCase();
                            if (el.id) sel += '#' + el.id;
                            if (el.classList.length) sel += '.' + [...el.classList].join('.');
                            out.push(sel + ' (right=' + Math.round(r.right) + ', width=' + Math.round(r.width) + ')');
                          }
                        }
                        return out.slice(0, 12);
                        """
                    )
                    self.overflow[name] = wide
                    problems.append(
                        f"{name} scrolls sideways at {width}px: scrollWidth {scroll_w} > innerWidth {inner_w}; "
                        f"widest: {'; '.join(wide)}"
                    )
            if not self.write_screenshots:
                continue
            full = self.driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);"
            )
            self.set_viewport(width, max(height, min(int(full), MAX_SHOT_HEIGHT)))
            target = self.shots / f"{name}-{width}.png"
            assert self.driver.get_screenshot_as_file(str(target)), f"could not write {target}"
        self.set_viewport(*WIDTHS[0])
        assert not problems, "\n     ".join(problems)

    @property
    def capture_label(self) -> str:
        return "screenshots + no sideways scroll:" if self.write_screenshots else "no sideways scroll at 390px:"

    # --- run ------------------------------------------------------------------

    def run(self) -> int:
        started = time.monotonic()
        if self.write_screenshots:
            self.shots.mkdir(parents=True, exist_ok=True)
        self.set_viewport(*WIDTHS[0])
        # Signed out: the sign-in page.
        self.check("axe /login", lambda: self.audit("login", "/login"))
        self.check(f"{self.capture_label} login", lambda: self.capture("login", "/login"))
        # The sanitizer on its own: the XSS corpus rendered without CSP.
        if self.xss_page is not None:
            self.check(
                "XSS corpus rendered by the sanitizer runs no script (no CSP)",
                lambda: xss.corpus_page_is_inert(self.driver, self.xss_page, Path(self.profile_dir) / "control.html"),
            )
        # The journey.
        signed_in = self.check("sign in as sam", self.sign_in)
        if signed_in:
            self.check("discover Rust Guild via the search form", self.discover)
            self.check("join Rust Guild and see the notice", self.join)
            self.check("home lists Rust Guild under Your communities", self.home_lists_membership)
            self.check("edit the profile and see it on /people/sam", self.edit_profile)
            self.check("bad time zone re-renders with an error, nothing stored", self.bad_time_zone)
            for name, path in SIGNED_IN_PAGES:
                self.check(f"axe {path}", lambda n=name, p=path: self.audit(n, p))
            # The profile form in its error state, too.
            self.check("axe /profile/edit with errors", self.audit_form_errors)
            for name, path in SIGNED_IN_PAGES:
                self.check(f"{self.capture_label} {name}", lambda n=name, p=path: self.capture(n, p))
            self.check("RSVP to a full workshop, get promoted when a seat frees", self.waitlist_and_promotion)
            if self.check("ask a question in Rust Guild", self.ask_question):
                if self.check("ada answers it", self.answer_question):
                    self.check("accept the answer and record time saved", self.accept_and_record_time_saved)
            if self.check("write a checklist and save a second version", self.write_and_version_artifact):
                self.check("run the checklist to completion", self.run_checklist)
            self.check("find the question, the answer and the checklist by search", self.find_it_by_search)
            self.check("XSS corpus posted as replies runs no script on the thread page", self.xss_thread)
            self.run_area_steps()
            for name, path in [("discussions", f"/communities/{COMMUNITY}/discussions"),
                               ("thread", getattr(self, "thread_path", None)),
                               ("practice", f"/communities/{COMMUNITY}/practice"),
                               ("artifact", getattr(self, "artifact_path", None)),
                               ("search", f"/search?q={MARKER}")]:
                if path:
                    self.check(f"axe {name}", lambda n=name, p=path: self.audit(n, p))
                    self.check(f"{self.capture_label} {name}", lambda n=name, p=path: self.capture(n, p))
            self.check("sign out", self.sign_out)
        else:
            self.failed.append("the rest of the journey (not run: sign-in failed)")
        if self.write_screenshots:
            report = {"violations": self.violations, "overflow_at_390": self.overflow}
            (self.shots / "browser-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        self.print_summary(time.monotonic() - started)
        return 0 if not self.failed else 1

    def run_area_steps(self) -> None:
        """Runs the steps of each area module (`steps_<area>.py` beside this
        file): its `STEPS` (name, function taking this journey), then an axe
        audit and screenshots of its `PAGES` (name, path). Each step starts and
        ends signed in as sam. COPSE_BROWSER_AREAS=a,b runs only those areas."""
        wanted = [a for a in os.environ.get("COPSE_BROWSER_AREAS", "").split(",") if a]
        for area in AREAS:
            if wanted and area not in wanted:
                continue
            module = importlib.import_module(f"steps_{area}")
            for name, step in module.STEPS:
                self.check(f"{area}: {name}", lambda s=step: s(self))
            for name, path in module.PAGES:
                self.check(f"axe {path}", lambda n=name, p=path: self.audit(n, p))
                self.check(f"{self.capture_label} {name}", lambda n=name, p=path: self.capture(n, p))

    def audit_form_errors(self) -> None:
        self.get("/profile/edit")
        self.fill("#time_zone", "Mars/Olympus")
        self.fill("#skills", "Rust:wizard")
        self.submit_with(self.button("Save profile"))
        assert self.find_all("main .form-error"), "expected the form's error state"
        self.audit("profile-edit-errors")
        # Capture the error state too (it is part of what a person sees).
        for width, height in WIDTHS if self.write_screenshots else []:
            self.set_viewport(width, height)
            full = self.driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);"
            )
            self.set_viewport(width, max(height, min(int(full), MAX_SHOT_HEIGHT)))
            self.driver.get_screenshot_as_file(str(self.shots / f"profile-edit-errors-{width}.png"))
        self.set_viewport(*WIDTHS[0])

    def print_summary(self, seconds: float) -> None:
        all_violations = [(page, v) for page, vs in self.violations.items() for v in vs]
        print()
        print(f"axe: {len(all_violations)} violation(s) on {len(self.violations)} audited page(s)")
        by_rule: dict[str, list[str]] = {}
        for page, v in all_violations:
            by_rule.setdefault(f"[{v['impact']}] {v['id']}", []).append(f"{page}({len(v['nodes'])})")
        for rule, pages in sorted(by_rule.items()):
            print(f"  {rule}: {', '.join(pages)}")
        if self.overflow:
            print("sideways scrolling at 390px: " + ", ".join(sorted(self.overflow)))
        if self.write_screenshots:
            print(f"screenshots: {self.shots}")
        if self.failed:
            print("failed: " + "; ".join(self.failed))
        print(f"took {seconds:.1f}s")
        print(f"browser: {self.passed} passed, {len(self.failed)} failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--axe", required=True, type=Path, help="path to axe.min.js")
    parser.add_argument("--screenshots", required=True, type=Path, help="folder for the PNGs and browser-report.json")
    parser.add_argument("--no-screenshots", action="store_true", help="check layout but write no PNGs")
    parser.add_argument("--xss-corpus", required=True, type=Path, help="tests/xss/vectors.txt")
    parser.add_argument("--xss-page", required=True, type=Path, help="the corpus rendered without CSP (xss_page)")
    args = parser.parse_args()
    try:
        journey = Journey(args.base_url, args.axe, args.screenshots, write_screenshots=not args.no_screenshots)
        journey.xss_corpus = args.xss_corpus
        journey.xss_page = args.xss_page
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print("browser: 0 passed, 1 failed")
        return 1
    try:
        return journey.run()
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(f"browser: {journey.passed} passed, {len(journey.failed) + 1} failed")
        return 1
    finally:
        journey.close()


if __name__ == "__main__":
    sys.exit(main())
