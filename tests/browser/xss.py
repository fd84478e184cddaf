"""The hostile-Markdown corpus in real Chromium.

Two walls are tested separately:
- the sanitizer alone: `corpus_page_is_inert` loads the corpus rendered by
  copse's Markdown renderer into a page with NO Content-Security-Policy (made
  by `cargo run -p copse-web --example xss_page`), whose head replaces
  alert/confirm/prompt/print with recorders; a positive control page proves
  the recorders catch a vector that is not sanitized;
- the product: `thread_is_inert` posts every vector as a reply in a real
  thread and loads the thread page (with its CSP), recording dialogs through
  a script Chromium runs before the page's own (DevTools
  `Page.addScriptToEvaluateOnNewDocument`).

Both then scan the DOM: no element in the rendered content may carry an
event-handler attribute, a style attribute, or a URL with a script scheme,
and no script, iframe, object, embed, svg, math, form, base, meta or link
element may appear inside it.
"""

from __future__ import annotations

import time
from pathlib import Path

from selenium.webdriver.remote.webdriver import WebDriver

RECORDER = (
    "window.__xss = window.__xss || [];"
    "for (const f of ['alert', 'confirm', 'prompt', 'print']) {"
    "  window[f] = (x) => { window.__xss.push(f + ':' + x); };"
    "}"
)

# Returns a list of problems found under the elements matching `selector`.
DOM_SCAN = """
const problems = [];
const bannedTags = new Set(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM', 'BASE', 'META', 'LINK',
  'STYLE', 'FRAME', 'FRAMESET', 'INPUT', 'BUTTON', 'TEXTAREA', 'SELECT', 'TEMPLATE', 'NOSCRIPT']);
const urlAttrs = ['href', 'src', 'srcset', 'action', 'formaction', 'background', 'xlink:href', 'data', 'poster'];
for (const root of document.querySelectorAll(arguments[0])) {
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    if (bannedTags.has(tag)) problems.push('<' + tag.toLowerCase() + '> in ' + (root.dataset.n || root.id));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') {
        problems.push(name + ' on <' + tag.toLowerCase() + '> in ' + (root.dataset.n || root.id));
      }
      if (urlAttrs.includes(name)) {
        let scheme = '';
        try { scheme = new URL(attr.value, document.baseURI).protocol; } catch (e) { scheme = 'invalid:'; }
        if (!['http:', 'https:', 'mailto:', 'file:'].includes(scheme)) {
          problems.push(name + '=' + attr.value + ' (' + scheme + ') in ' + (root.dataset.n || root.id));
        }
      }
    }
  }
}
return problems;
"""


def read_vectors(corpus: Path) -> list[str]:
    """The corpus entries: text between lines holding only `%%`, header dropped."""
    parts = corpus.read_text(encoding="utf-8").split("\n%%\n")[1:]
    return [p.rstrip("\n") for p in parts if p.strip()]


def _hits(driver: WebDriver) -> list[str]:
    return driver.execute_script("return window.__xss || [];")


def _settle() -> None:
    # onerror/onload/animation handlers fire shortly after load.
    time.sleep(1.5)


def corpus_page_is_inert(driver: WebDriver, page: Path, control: Path) -> None:
    control.write_text(
        "<!doctype html><html><head><script>" + RECORDER + "</script></head>"
        "<body><section data-n='control'><img src='x' onerror='alert(1)'></section></body></html>",
        encoding="utf-8",
    )
    driver.get(control.resolve().as_uri())
    _settle()
    assert _hits(driver) == ["alert:1"], f"the recorder did not catch an unsanitized vector: {_hits(driver)}"
    scan = driver.execute_script(DOM_SCAN, "section")
    assert scan, "the DOM scan did not flag an unsanitized vector"

    driver.get(page.resolve().as_uri())
    _settle()
    sections = driver.execute_script("return document.querySelectorAll('section.vector').length;")
    assert sections >= 50, f"only {sections} rendered vectors on the corpus page"
    hits = _hits(driver)
    assert not hits, f"script ran on the sanitized corpus page (no CSP): {hits}"
    problems = driver.execute_script(DOM_SCAN, "section.vector")
    assert not problems, "unsafe markup survived the sanitizer:\n     " + "\n     ".join(problems)


def thread_is_inert(driver: WebDriver, thread_url: str, post_selector: str) -> int:
    """Loads a thread whose replies are the corpus; returns how many posts it checked."""
    added = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    try:
        driver.get(thread_url)
        _settle()
        hits = _hits(driver)
        assert not hits, f"script ran on the thread page: {hits}"
        posts = driver.execute_script(f"return document.querySelectorAll({post_selector!r}).length;")
        problems = driver.execute_script(DOM_SCAN, post_selector)
        assert not problems, "unsafe markup in rendered posts:\n     " + "\n     ".join(problems)
        return int(posts)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})
