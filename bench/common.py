"""What several benchmarks share: the percentile they report, and timing when a page paints
a change."""

from __future__ import annotations


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0…1) of the values lie: the nearest rank, no
    interpolation (a latency that was measured, not one between two)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def paint_observer(container_id: str, items: str, key: str, *, subtree: bool = False) -> str:
    """A function to evaluate in a page: from then on `window.__seen[k]` becomes the time
    (epoch ms) of the first frame painted after an element matching `items` with
    `data-<key>` k appeared in the element `container_id`."""
    return f"""() => {{
  window.__seen = {{}};
  const list = document.getElementById('{container_id}');
  new MutationObserver(() => {{
    const fresh = [...list.querySelectorAll('{items}')].map(e => e.dataset.{key})
      .filter(n => !(n in window.__seen));
    fresh.forEach(n => {{ window.__seen[n] = -1; }});
    if (fresh.length) requestAnimationFrame(() => {{
      const at = performance.timeOrigin + performance.now();
      fresh.forEach(n => {{ window.__seen[n] = at; }});
    }});
  }}).observe(list, {{childList: true{", subtree: true" if subtree else ""}}});
}}"""


OBSERVE_HALL = paint_observer("calls", "li", "number")
"""The hall display (`/display`): a call's number painted in the list of calls."""
