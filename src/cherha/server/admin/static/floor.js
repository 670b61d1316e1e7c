/* The live floor: the branch's events through /admin/events; after each, the floor fragment is
 * fetched again (coalesced: one fetch at a time, one more if events came meanwhile). */
"use strict";

(function () {
  var config = JSON.parse(document.getElementById("floor-config").textContent);
  var floor = document.getElementById("floor");
  var state = document.getElementById("live-state");
  var lastId = config.since;
  var fetching = false;
  var again = false;
  var source = null;
  var delay = 500;

  function setState(value) {
    state.setAttribute("data-state", value);
    document.body.setAttribute("data-live", value);
  }

  async function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    try {
      do {
        again = false;
        var response = await fetch("/admin/floor/live", { cache: "no-store", credentials: "same-origin" });
        if (response.status === 401) { window.location.reload(); return; }
        if (!response.ok) throw new Error("HTTP " + response.status);
        var paused = response.headers.get("X-Cherha-Paused");
        var html = await response.text();
        if (paused !== floor.getAttribute("data-paused")) {
          window.location.reload();  // the pause bar is part of the layout
          return;
        }
        floor.innerHTML = html;
        floor.setAttribute("data-refreshed", String(Date.now()));
      } while (again);
    } catch (e) {
      setState("offline");
    } finally {
      fetching = false;
    }
  }

  function onEvent(message) {
    var id = Number(message.lastEventId);
    if (id && id <= lastId) return;
    if (id) lastId = id;
    refresh();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource("/admin/events?since=" + encodeURIComponent(lastId));
    source.onopen = function () { delay = 500; setState("online"); };
    source.onerror = function () {
      source.close();
      setState("offline");
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    };
    config.events.forEach(function (type) { source.addEventListener(type, onEvent); });
  }

  connect();
  window.setInterval(refresh, 20000);  // alerts that come with time alone (a silent kiosk)
})();
