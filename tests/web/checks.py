"""What the browser tests check on a page as a person would see it: axe-core's accessibility
rules, and every piece of text measured where it is drawn — its capital letters' height in
millimetres on the configured screen, cut off or not, on top of other text or not.

axe-core comes from the `axe-playwright-python` package (its bundled axe.min.js, injected into
the page under test): nothing is fetched at run time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (every rule axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": [n.get("failureSummary", "") for n in v["nodes"]][:2],
        }
        for v in result["violations"]
    ]


# Every text node that is drawn: its font's cap height (measured on a canvas with the same
# font), its line boxes, whether it is English, a number, and whether a box that clips
# (overflow other than visible) or the viewport cuts any of it.
_TEXTS_JS = """
() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.nodeValue.trim()) continue;
    const el = node.parentElement;
    if (el.closest('script, style, [aria-hidden="true"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible' || parseFloat(cs.opacity) === 0) continue;
    const fontPx = parseFloat(cs.fontSize);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const cap = ctx.measureText('Н').actualBoundingBoxAscent;
    const slack = 0.06 * fontPx;  // a glyph box's own slack above and below its line box
    let clipped = null;
    for (let a = el; a && a !== document.documentElement && !clipped; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const box = a.getBoundingClientRect();
      for (const r of rects) {
        if (r.left < box.left - 1 || r.right > box.right + 1
            || r.top < box.top - slack || r.bottom > box.bottom + slack) {
          clipped = a.tagName + '.' + a.className;
        }
      }
    }
    for (const r of rects) {
      if (r.left < -1 || r.top < -slack || r.right > innerWidth + 1 || r.bottom > innerHeight + slack) {
        clipped = 'viewport';
      }
    }
    if (el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== 'visible') clipped = 'own box';
    out.push({
      text: node.nodeValue.trim().slice(0, 60),
      where: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''),
      capPx: cap,
      fontPx: fontPx,
      english: !!el.closest('[lang="en"]'),
      number: !!el.closest('.call, .counter-number, .go-windows'),
      clipped: clipped,
      rects: rects.map(r => [r.left, r.top, r.right, r.bottom]),
    });
  }
  // Marks that are drawn but are not text (the connection dot, the page dots): they must not
  // sit on text either.
  for (const mark of document.querySelectorAll('.conn, .dots .dot')) {
    const r = mark.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) continue;
    out.push({text: '●', where: mark.className, capPx: 0, fontPx: 1e9, english: false,
              number: false, decor: true, clipped: null, rects: [[r.left, r.top, r.right, r.bottom]]});
  }
  return out;
}
"""


@dataclass(frozen=True)
class Text:
    text: str
    where: str
    cap_px: float
    font_px: float
    english: bool
    number: bool
    clipped: str | None
    rects: list[list[float]]
    decor: bool = False
    """A drawn mark that is not text (a dot): checked for overlap only."""


def texts(page: Page) -> list[Text]:
    raw: list[dict[str, Any]] = page.evaluate(_TEXTS_JS)
    return [
        Text(
            text=r["text"],
            where=r["where"],
            cap_px=r["capPx"],
            font_px=r["fontPx"],
            english=r["english"],
            number=r["number"],
            clipped=r["clipped"],
            rects=r["rects"],
            decor=bool(r.get("decor")),
        )
        for r in raw
    ]


def mm_per_px(page: Page, diagonal_inches: float) -> float:
    """The screen's millimetres per CSS pixel: its diagonal over its diagonal in pixels."""
    size = page.viewport_size
    assert size is not None
    return diagonal_inches * 25.4 / math.hypot(size["width"], size["height"])


def required_mm(t: Text, distance_m: float) -> float:
    """The legibility rule (docs/displays.md): numbers distance/100, Ukrainian text /200,
    English lines at least /300."""
    if t.number:
        return distance_m * 1000 / 100
    if t.english:
        return distance_m * 1000 / 300
    return distance_m * 1000 / 200


def too_small(
    page: Page, diagonal_inches: float, distance_m: float
) -> list[tuple[str, str, float, float]]:
    """Texts whose capital letters are lower than the rule asks: (text, where, mm, needed)."""
    scale = mm_per_px(page, diagonal_inches)
    found = []
    for t in texts(page):
        if t.decor:
            continue
        mm = t.cap_px * scale
        need = required_mm(t, distance_m)
        if mm < need * 0.99:  # 1 %: the root size is rounded to 1/1000 px
            found.append((t.text, t.where, round(mm, 1), round(need, 1)))
    return found


def clipped(page: Page) -> list[tuple[str, str, str]]:
    return [(t.text, t.where, t.clipped) for t in texts(page) if t.clipped]


def overlapping(page: Page) -> list[tuple[str, str]]:
    """Pairs of texts drawn over each other (lines of one block may touch, not overlap)."""
    items = texts(page)
    found = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.decor and b.decor:
                continue
            slack = 0.08 * min(a.font_px, b.font_px)
            for ra in a.rects:
                for rb in b.rects:
                    width = min(ra[2], rb[2]) - max(ra[0], rb[0])
                    height = min(ra[3], rb[3]) - max(ra[1], rb[1])
                    if width > 1 and height > slack:
                        found.append((a.text, b.text))
    return found
