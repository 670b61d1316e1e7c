/* The hall display: last calls, announcements in turn, waiting per service, pause banner. */
"use strict";

(function () {
  var C = window.Cherha;
  var cfg = C.config;
  var LAST = cfg.lastCalls || 8;
  var FRESH_MS = 10000;
  var REFRESH_MS = 30000;

  var calls = [];            // newest first: {eventId, ticketId, number, window, at, recall}
  var rows = new Map();      // eventId → <li>
  var timezone = "Europe/Kyiv";
  var stream = null;
  var refreshTimer = null;
  var behindSince = null;    // the board's last event id the stream had not reached last time
  var resumedTimer = null;

  var listNode = document.getElementById("calls");
  var emptyNode = document.getElementById("calls-empty");
  var servicesNode = document.getElementById("services");
  var overlay = document.getElementById("sound-overlay");

  document.documentElement.style.setProperty("--rows", String(LAST));

  var announcer = C.Announcer({
    sounds: C.announcementSounds("/audio/chime.wav", cfg.voice, cfg.voiceEn),
    maxAgeMs: (cfg.announceMaxAgeSeconds || 300) * 1000,
    onBlocked: function () { overlay.hidden = false; },
    onStart: function (item) { markAnnouncing(item, true); },
    onEnd: function (item) { markAnnouncing(item, false); },
    onVoiceError: function () { document.getElementById("novoice").hidden = false; }
  });
  if (!cfg.voice) document.getElementById("novoice").hidden = false;

  document.getElementById("sound-enable").addEventListener("click", function () {
    C.unlockSound();
    overlay.hidden = true;
    announcer.resume();
  });
  if (!C.soundAllowed()) overlay.hidden = false;

  /* -- calls --------------------------------------------------------------------------------- */

  function addCall(call, announce) {
    calls = calls.filter(function (c) { return c.ticketId !== call.ticketId; });
    calls.unshift(call);
    calls = calls.slice(0, LAST);
    call.freshUntil = announce ? Date.now() + FRESH_MS : 0;
    renderCalls();
    if (announce) {
      announcer.push({ eventId: call.eventId, number: call.number, window: call.window, at: call.at, recall: call.recall });
    }
  }

  function renderCalls() {
    var keep = new Set(calls.map(function (c) { return c.eventId; }));
    rows.forEach(function (li, id) {
      if (!keep.has(id)) { li.remove(); rows.delete(id); }
    });
    calls.forEach(function (call, index) {
      var li = rows.get(call.eventId);
      if (!li) {
        li = C.el("li", {
          className: "call",
          "data-event-id": String(call.eventId),
          "data-ticket-id": String(call.ticketId),
          "data-number": call.number,
          "data-window": String(call.window)
        },
        C.numberNode(call.number, "call-number"),
        C.el("span", { className: "call-arrow", text: "→" }),
        C.el("span", { className: "call-window", text: String(call.window) }));
        if (call.recall) li.classList.add("recall");
        var wait = call.freshUntil ? call.freshUntil - Date.now() : 0;
        if (wait > 0) {
          li.classList.add("fresh");
          window.setTimeout(function () { li.classList.remove("fresh"); }, wait);
        }
        listNode.appendChild(li);
        rows.set(call.eventId, li);
      }
      // CSS order, not moving nodes: moving would restart the blinking of fresh rows.
      li.style.order = String(index);
      li.classList.toggle("newest", index === 0);
    });
    emptyNode.hidden = calls.length > 0;
  }

  function markAnnouncing(item, on) {
    var li = rows.get(item.eventId);
    if (li) li.classList.toggle("announcing", on);
  }

  /* -- services, branch ---------------------------------------------------------------------- */

  function renderServices(services) {
    servicesNode.textContent = "";
    services.forEach(function (s) {
      var li = C.el("li", { className: "service" + (s.open_now ? "" : " closed"), "data-service-id": String(s.id) },
        C.el("span", { className: "svc-prefix", text: s.prefix }),
        C.el("span", { className: "svc-name" },
          C.el("span", { className: "uk", text: s.name_uk }),
          C.el("span", { className: "en", lang: "en", text: s.name_en })),
        C.el("span", { className: "svc-count", "data-waiting": String(s.waiting), text: String(s.waiting) }),
        C.el("span", { className: "svc-wait" },
          s.open_now
            ? C.el("span", { text: s.waiting > 0 ? "≈ " + s.estimated_wait_minutes + " хв" : "—" })
            : C.el("span", { text: "зачинено" }),
          C.el("small", { lang: "en", text: s.open_now ? (s.waiting > 0 ? "≈ " + s.estimated_wait_minutes + " min" : "") : "closed" })));
      servicesNode.appendChild(li);
    });
  }

  function showPaused(reason) {
    var banner = document.getElementById("banner");
    window.clearTimeout(resumedTimer);
    document.body.setAttribute("data-paused", "true");
    banner.className = "banner paused";
    document.getElementById("banner-uk").textContent =
      "⚠ Обслуговування тимчасово призупинено" + (reason ? ": " + reason : "") + ". Ваше місце в черзі збережено.";
    document.getElementById("banner-en").textContent =
      "Service is paused" + (reason ? " (" + reason + ")" : "") + ". Your place in the queue is kept.";
    banner.hidden = false;
  }

  function showResumed() {
    var banner = document.getElementById("banner");
    document.body.setAttribute("data-paused", "false");
    banner.className = "banner resumed";
    document.getElementById("banner-uk").textContent = "Обслуговування відновлено. Дякуємо за терпіння!";
    document.getElementById("banner-en").textContent = "Service has resumed. Thank you for waiting.";
    banner.hidden = false;
    window.clearTimeout(resumedTimer);
    resumedTimer = window.setTimeout(function () { banner.hidden = true; }, 120000);
  }

  function applyBoard(board) {
    C.noteServerTime(board.generated_at);
    timezone = board.branch.timezone || timezone;
    document.getElementById("branch-uk").textContent = board.branch.name_uk;
    document.getElementById("branch-en").textContent = board.branch.name_en;
    renderServices(board.services);
    var paused = document.body.getAttribute("data-paused") === "true";
    if (board.branch.paused && !paused) showPaused(board.branch.pause_reason);
    if (!board.branch.paused && paused) showResumed();
  }

  async function refreshBoard() {
    try {
      var board = await C.getJSON("/api/v1/board", { last: LAST });
      applyBoard(board);
      // A stream that says «online» but lags behind the table is stuck: open a fresh one.
      if (stream && stream.lastId() !== null && board.last_event_id > stream.lastId()) {
        if (behindSince !== null && stream.lastId() < behindSince) stream.reconnect();
        behindSince = board.last_event_id;
      } else {
        behindSince = null;
      }
    } catch (e) { /* the stream's indicator tells the hall; the next refresh retries */ }
  }

  function scheduleRefresh(ms) {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      refreshBoard().then(function () { scheduleRefresh(REFRESH_MS); });
    }, ms);
  }

  /* -- events -------------------------------------------------------------------------------- */

  function onEvent(event) {
    var data = event.data || {};
    if (event.type === "ticket_called" || event.type === "ticket_recalled") {
      if (data.number && data.counter_number) {
        addCall({
          eventId: event.id,
          ticketId: event.ticket_id,
          number: data.number,
          window: data.counter_number,
          at: event.at,
          recall: event.type === "ticket_recalled"
        }, true);
      }
      scheduleRefresh(700);
    } else if (event.type === "branch_paused") {
      showPaused(data.reason || "");
    } else if (event.type === "branch_resumed") {
      showResumed();
      scheduleRefresh(700);
    } else if (event.type.indexOf("ticket_") === 0) {
      scheduleRefresh(700);  // waiting counts changed; many events in a burst make one request
    }
  }

  /* -- clock --------------------------------------------------------------------------------- */

  function tick() {
    var now = new Date(C.serverNow());
    try {
      document.getElementById("time").textContent = new Intl.DateTimeFormat("uk-UA", {
        timeZone: timezone, hour: "2-digit", minute: "2-digit", hour12: false
      }).format(now);
      document.getElementById("date").textContent = new Intl.DateTimeFormat("uk-UA", {
        timeZone: timezone, weekday: "long", day: "numeric", month: "long", year: "numeric"
      }).format(now);
    } catch (e) {
      document.getElementById("time").textContent = now.toTimeString().slice(0, 5);
    }
  }

  /* -- start --------------------------------------------------------------------------------- */

  async function start() {
    var delay = 1000;
    var board = null;
    while (board === null) {
      try {
        board = await C.getJSON("/api/v1/board", { last: LAST });
      } catch (e) {
        C.setConnection("offline");
        await new Promise(function (r) { window.setTimeout(r, delay); });
        delay = Math.min(delay * 2, 5000);
      }
    }
    applyBoard(board);
    tick();
    // The board's calls are history: shown, not announced again.
    board.last_calls.slice().reverse().forEach(function (c) {
      addCall({
        eventId: c.event_id, ticketId: c.ticket_id, number: c.number,
        window: c.counter_number, at: c.at, recall: c.recall
      }, false);
    });
    stream = C.openStream({ since: board.last_event_id, onEvent: onEvent, onState: C.setConnection });
    scheduleRefresh(REFRESH_MS);
    document.body.setAttribute("data-ready", "true");
  }

  window.setInterval(tick, 1000);
  tick();
  start();
})();
