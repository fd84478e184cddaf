"""Browser steps for mentoring, run by journey.py (see Journey.run_area_steps).

Each step takes the Journey, starts and ends signed in as sam, and asserts
what a person would see.
"""

from __future__ import annotations

STEPS: list = []
# (screenshot name, path) audited with axe and captured at both widths.
PAGES: list[tuple[str, str]] = []
