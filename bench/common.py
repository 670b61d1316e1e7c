"""What several benchmarks share: the percentile they report, a server process's own CPU time
and memory, and timing when a page paints a change."""

from __future__ import annotations

import os
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0…1) of the values lie: the nearest rank, no
    interpolation (a latency that was measured, not one between two)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def server_cpu_seconds(pid: int) -> float:
    """The server process's own CPU time so far (user + system, all its threads; Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_memory_mb(pid: int) -> tuple[float, float]:
    """The server process's resident memory now and at its peak, in MB (Linux)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    rss, peak = (int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))
    return rss, peak


def closed_loop_figures(
    latencies: list[float], total: int, elapsed: float, cpu: float
) -> dict[str, float]:
    """A closed-loop issuing run's figures: tickets a second, the server's CPU per ticket, the
    latency's median and p99 (ms)."""
    return {
        "tickets_per_second": total / elapsed,
        "cpu_ms": cpu / total * 1000,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


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
