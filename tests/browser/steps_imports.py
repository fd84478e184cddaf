"""Browser steps for importing a community's history, run by journey.py
(see Journey.run_area_steps).

ada (the administrator) reaches the imports page from the header's Admin
link, first submits the upload form with nothing chosen (an error summary,
audited), then uploads a small mbox archive for the Rust Guild. She lands on
the run's page, which follows the run by itself (a script polls the run's
JSON) until the real `copse demo` server's import worker has finished it:
the page says Done with the counts, and links to the Guild's health page.
Then she opens the identity review, where the archive's two writers who
each used two addresses are offered as look-alike pairs, merges one, finds
both identities on the merged person's page and unmerges one again. The
imports page, the run page, the review and a person's identities are
audited and captured at both widths, as ada (administrators' pages).

Each step starts and ends signed in as sam, and asserts what a person would see.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from urllib.parse import urlparse

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ADMIN = "ada"
COMMUNITY = "rust-guild"
FILE_NAME = "compilers-list.mbox"
# Four messages: Grace Hopper and Alan Turing each write from two addresses.
ARCHIVE = """From grace@navy.example Mon Mar  3 08:00:00 2025
From: Grace Hopper <grace@navy.example>
Subject: Compilers
Date: Mon, 03 Mar 2025 08:00:00 +0000
Message-ID: <g1@navy.example>

Programs should read like English.

From alan@bletchley.example Mon Mar  3 09:00:00 2025
From: Alan Turing <alan@bletchley.example>
Subject: Re: Compilers
Date: Mon, 03 Mar 2025 09:00:00 +0000
Message-ID: <a1@bletchley.example>
In-Reply-To: <g1@navy.example>

Or like mathematics.

From ghopper@yale.example Mon Mar  3 10:00:00 2025
From: Grace Hopper <ghopper@yale.example>
Subject: Re: Compilers
Date: Mon, 03 Mar 2025 10:00:00 +0000
Message-ID: <g2@yale.example>
In-Reply-To: <a1@bletchley.example>

English, for business people.

From aturing@manchester.example Tue Mar  4 10:00:00 2025
From: Alan Turing <aturing@manchester.example>
Subject: Machines
Date: Tue, 04 Mar 2025 10:00:00 +0000
Message-ID: <a2@manchester.example>

Can machines think?
"""
# How long the worker (every 2 s) may take to run four messages.
RUN_TIMEOUT_S = 120
# The run page of the upload, for the next steps.
state: dict[str, str] = {}


def as_admin(j, body) -> None:
    j.sign_out()
    j.sign_in_as(ADMIN)
    try:
        body()
    finally:
        j.sign_out()
        j.sign_in_as("sam")


def run_status(j) -> str:
    try:
        return j.driver.find_element(By.ID, "run-status").text.strip()
    except WebDriverException:
        return ""  # mid-reload


def upload_an_archive(j) -> None:
    def body() -> None:
        j.get("/")
        admin_links = [a for a in j.find_all("header nav a") if a.text.strip() == "Admin"]
        assert admin_links, "the header links administrators to the admin pages"
        j.submit_with(admin_links[0])
        assert j.path() == "/admin/imports", j.path()
        assert j.find("main h1").text.strip() == "Imports"
        assert "git bundle create repo.bundle --all" in j.main_text(), "how to upload a git repository"

        # Nothing chosen: the form comes back with an error summary.
        j.submit_with(j.button("Upload and import"))
        assert j.find_all("main .error-summary"), "an error summary"
        summary = j.find("main .error-summary").text
        assert "choose a file to upload" in summary and "choose the community" in summary, summary
        j.audit("imports-errors")

        folder = tempfile.mkdtemp(prefix="copse-import-")
        named = os.path.join(folder, FILE_NAME)
        try:
            with open(named, "w", encoding="utf-8") as archive:
                archive.write(ARCHIVE)
            j.find("#source-mbox").click()
            Select(j.find("#community")).select_by_value(COMMUNITY)
            j.find("#file").send_keys(named)
            j.submit_with(j.button("Upload and import"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        assert re.fullmatch(r"/admin/imports/\d+", j.path()), f"the run's page, not {j.path()}"
        state["run"] = j.path()
        assert j.find("main h1").text.strip() == f"Import of {FILE_NAME}", j.find("main h1").text
        assert run_status(j) in {"Queued", "Checking", "Loading", "Done"}, run_status(j)

        # The page follows the run without a reload by hand; when the run
        # ends, the script reloads it to show the outcome.
        WebDriverWait(j.driver, RUN_TIMEOUT_S, poll_frequency=0.5).until(
            lambda _driver: run_status(j) in {"Done", "Failed", "Interrupted"}
        )
        WebDriverWait(j.driver, 20, poll_frequency=0.25).until(
            lambda driver: driver.find_elements(By.CSS_SELECTOR, "section.run-next, section.run-error")
        )
        j.wait_ready()
        assert run_status(j) == "Done", f"the run ended {run_status(j)!r}: {j.main_text()[:600]}"
        assert j.find("#run-progress-text").text.strip() == "4 of 4 records", j.find("#run-progress-text").text
        assert j.find("#run-records").text.strip() == "4"
        assert int(j.find("#run-added").text.strip().replace(",", "")) >= 4, j.find("#run-added").text
        bar = j.find("#run-bar")
        assert bar.get_attribute("value") == bar.get_attribute("max") == "4", "a full bar"
        health = [a.get_attribute("href") for a in j.find_all("section.run-next a")]
        assert any(h.endswith(f"/communities/{COMMUNITY}/health") for h in health), health
        assert not j.find_all("script[src='/static/import-progress.js']"), "a finished run is not polled"
        j.audit("import-run")
        j.capture("import-run", state["run"])

        j.get("/admin/imports")
        rows = [r.text for r in j.find_all("table.run-table tbody tr")]
        assert rows and FILE_NAME in rows[0] and "Done" in rows[0], rows[:1]
        j.audit("imports", "/admin/imports")
        j.capture("imports", "/admin/imports")

    as_admin(j, body)


def review_look_alikes(j) -> None:
    def body() -> None:
        j.get("/admin/identities")
        assert j.find("main h1").text.strip() == "Identity review"
        headings = [h.text.strip() for h in j.find_all("li.look-alike h2")]
        assert "Grace Hopper and Grace Hopper" in headings, headings
        assert "Alan Turing and Alan Turing" in headings, headings
        text = j.main_text()
        for address in ["grace@navy.example", "ghopper@yale.example"]:
            assert address in text, f"{address} shown"
        j.audit("identities", "/admin/identities")
        j.capture("identities", "/admin/identities")

        pair = next(
            li for li in j.find_all("li.look-alike") if "Grace Hopper and" in li.find_element(By.CSS_SELECTOR, "h2").text
        )
        # The first (primary) merge keeps the first person of the pair.
        kept = pair.find_element(By.CSS_SELECTOR, ".look-alike-person a[href^='/admin/people/']").get_attribute("href")
        merge = next(b for b in pair.find_elements(By.CSS_SELECTOR, "button") if b.text.startswith("Same person: merge"))
        j.submit_with(merge)
        assert j.path() == "/admin/identities", j.path()
        assert j.notice().startswith("Merged"), f"notice: {j.notice()!r}"
        headings = [h.text.strip() for h in j.find_all("li.look-alike h2")]
        assert "Grace Hopper and Grace Hopper" not in headings, headings
        assert "Alan Turing and Alan Turing" in headings, "the other pair is still offered"

        # The merged person has both identities, each of which can be unmerged.
        identities_path = urlparse(kept).path
        j.get(identities_path)
        assert j.find("main h1").text.strip() == "Identities of Grace Hopper", j.find("main h1").text
        rows = j.find_all("table.identity-table tbody tr")
        assert len(rows) == 2, [r.text for r in rows]
        assert len(j.find_all("table.identity-table button")) == 2, "an Unmerge button on each identity"
        j.audit("person-identities")
        j.capture("person-identities", identities_path)
        yale = next(r for r in j.find_all("table.identity-table tbody tr") if "ghopper@yale.example" in r.text)
        j.submit_with(yale.find_element(By.CSS_SELECTOR, "button"))
        assert re.fullmatch(r"/admin/people/\d+/identities", j.path()), j.path()
        assert j.path() != identities_path, "the unmerged identity is a person of their own"
        assert j.notice().startswith("Unmerged"), f"notice: {j.notice()!r}"
        assert "ghopper@yale.example" in j.main_text()

    as_admin(j, body)


STEPS: list = [
    ("ada uploads an mbox archive and follows its run until it is done", upload_an_archive),
    ("ada reviews look-alike people and merges a pair", review_look_alikes),
]
# Administrators' pages only: audited and captured within the steps, as ada.
PAGES: list[tuple[str, str]] = []
