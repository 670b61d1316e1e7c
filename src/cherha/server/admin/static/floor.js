/* The live floor: the branch's events through /admin/events; after each, the floor fragment is
 * fetched again (coalesced: one fetch at a time, one more if events came meanwhile). */
"use strict";

(function () {
  var config = JSON.parse(document.getElementById("floor-config").textContent);
  var floor = document.getElementById("floor");
  var state = document.getElementById("live-state");
  var lastId = config.since;
  var source = null;
  var delay = 500;

  function setState(value) {
    state.setAttribute("data-state", value);
    document.body.setAttribute("data-live", value);
  }

  /* After an event the newest floor is what matters: a fetch still in flight is dropped and a
   * new one started (so a call is shown one fetch after it, not two), unless nothing was shown
   * for a second (a steady stream of events still shows the floor at least once a second). */
  var inFlight = null;
  var shownAt = Date.now();

  async function refresh() {
    if (inFlight && Date.now() - shownAt < 1000) inFlight.abort();
    else if (inFlight) return;
    var controller = new AbortController();
    inFlight = controller;
    try {
      var response = await fetch("/admin/floor/live", {
        cache: "no-store", credentials: "same-origin", signal: controller.signal
      });
      if (response.status === 401) { window.location.reload(); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      var paused = response.headers.get("X-Cherha-Paused");
      var html = await response.text();
      if (controller !== inFlight) return;
      if (paused !== floor.getAttribute("data-paused")) {
        window.location.reload();  // the pause bar is part of the layout
        return;
      }
      floor.innerHTML = html;
      shownAt = Date.now();
      floor.setAttribute("data-refreshed", String(shownAt));
    } catch (e) {
      if (e.name !== "AbortError") setState("offline");
    } finally {
      if (inFlight === controller) inFlight = null;
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
