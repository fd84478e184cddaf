"""Browser steps for organization, run by journey.py (see Journey.run_area_steps).

Each step takes the Journey, starts and ends signed in as sam, and asserts
what a person would see.

sam (a plain member of the Rust Guild since the journey's join step) sees
its sponsor and the sponsor's involvement, records the hours his manager
granted him, and does not see the budget. The sponsor report is only for
the sponsor, facilitators and admins, so ada (admin and the Guild's
facilitator) opens it; her view of the organization page, with the budget,
is audited and captured too.
"""

from __future__ import annotations

GUILD = "rust-guild"
ORG_PAGE = f"/communities/{GUILD}/organization"
REPORT = f"/communities/{GUILD}/report"


def record_own_time(j) -> None:
    j.get(ORG_PAGE)
    text = j.main_text()
    assert "Executive sponsor" in text, "the page names the sponsor section"
    assert j.find_all("#sponsor-h ~ ul.sponsor a"), "the Rust Guild has a sponsor, linked to their profile"
    assert "Sessions attended" in text, "the sponsor's involvement is shown to members"
    assert not j.find_all("#budget-h"), "a plain member does not see the budget"
    assert not j.find_all("#time-h"), "a plain member does not see everyone's time"
    j.fill("#own-hours", "6")
    j.fill("#own-granted_by", "Helena Brandt")
    j.submit_with(j.button("Save my time"))
    assert j.path() == ORG_PAGE, j.path()
    assert j.notice() == "Your time allocation is saved.", f"notice: {j.notice()!r}"
    own = j.find("p.own-time").text
    assert "6 h a month" in own and "Helena Brandt" in own, f"sam's allocation should be shown: {own!r}"
    assert j.find("#own-hours").get_attribute("value") == "6", "the form keeps the saved hours"


def admin_sees_budget_and_report(j) -> None:
    j.sign_out()
    j.sign_in_as("ada")
    try:
        j.get(ORG_PAGE)
        assert j.find_all("#budget-h"), "the facilitator and admin see the budget"
        rows = [r.text for r in j.find_all("#time-h ~ table tbody tr")]
        assert any("Sam Rivera" in r and "6 h" in r and "Helena Brandt" in r for r in rows), (
            f"sam's allocation should be in the time table: {rows[:5]}"
        )
        assert j.find_all("li.budget-line.overspent"), "the demo's overspent line shows its warning"
        j.audit("organization-admin", ORG_PAGE)
        j.capture("organization-admin", ORG_PAGE)
        j.get(REPORT)
        heading = j.find("main h1").text
        assert "Sponsor report: Rust Guild" in heading, f"report heading: {heading!r}"
        # Labels are upper-cased by CSS, and .text is what is rendered.
        text = j.main_text().lower()
        assert "sessions held" in text and "time allocated" in text, f"the report's figures: {text[:400]!r}"
        j.audit("report", REPORT)
        j.capture("report", REPORT)
        j.audit("portfolio-admin", "/organization?sort=budget")
        j.capture("portfolio-admin", "/organization?sort=budget")
    finally:
        j.sign_out()
        j.sign_in_as("sam")


def portfolio_and_goals(j) -> None:
    j.get("/organization")
    rows = j.find_all("table.portfolio-table tbody tr")
    assert len(rows) >= 10, f"the portfolio lists the communities sam can see, got {len(rows)}"
    unsponsored = [r.text for r in rows if "No sponsor" in r.text]
    assert len(unsponsored) == 1 and "Accessibility Guild" in unsponsored[0], (
        f"exactly one demo community has no sponsor: {unsponsored}"
    )
    header = j.find("th[aria-sort]").text
    assert "community" in header.lower(), f"sorted by name by default, got {header!r}"
    link = next(a for a in j.find_all("table.portfolio-table thead a") if a.text.strip() == "Members")
    j.submit_with(link)
    assert j.query().get("sort") == ["members"], j.driver.current_url
    counts = [int(td.text) for td in j.find_all("table.portfolio-table tbody td[data-label='Members']")]
    assert counts == sorted(counts, reverse=True), f"sorted by members, most first: {counts}"
    j.get("/organization/goals")
    assert j.find_all("ul.org-goals > li"), "the organizational goals are listed"
    assert j.find_all("ul.goal-communities a"), "some charters serve them"


STEPS: list = [
    ("sam records his own time allocation on the Rust Guild page", record_own_time),
    ("ada sees the budget, sam's time and the sponsor report", admin_sees_budget_and_report),
    ("the portfolio sorts by column and shows the one community without a sponsor", portfolio_and_goals),
]
# (screenshot name, path) audited with axe and captured at both widths.
PAGES: list[tuple[str, str]] = [
    ("organization", ORG_PAGE),
    ("portfolio", "/organization"),
    ("goals", "/organization/goals"),
]
