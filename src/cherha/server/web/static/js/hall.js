/* The hall display: last calls, announcements in turn, waiting per service, the priority
 * categories, pause banner. Text is sized for the hall's viewing distance (common.js
 * applyViewing); lists that do not fit are paged, never shrunk (common.js Pager). */
"use strict";

(function () {
  var C = window.Cherha;
  var cfg = C.config;
  var LAST = cfg.lastCalls || 8;
  var FRESH_MS = 10000;
  var REFRESH_MS = 30000;
  var FIRST_PAGE_MS = 10000;  // the newest calls stay longest
  var OTHER_PAGE_MS = 6000;
  var SERVICES_PAGE_MS = 10000;
  var LEGEND_PAGE_MS = 6000;
  // The least the layout needs, in rem (1rem = Ukrainian text at the distance's size).
  var FIT = { landscape: { width: 30, height: 11.5 }, portrait: { width: 15, height: 17 } };

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

  C.applyViewing(cfg.viewing, FIT);
  document.documentElement.style.setProperty("--call-rows", String(Math.min(LAST, 5)));

  var callsPager = C.Pager({
    list: listNode,
    dots: document.getElementById("calls-dots"),
    items: function () {
      return calls.map(function (c) { return rows.get(c.eventId); }).filter(Boolean);
    },
    dwellMs: function (page) { return page === 0 ? FIRST_PAGE_MS : OTHER_PAGE_MS; },
    hold: function () {
      var now = Date.now();
      return calls.some(function (c) { return c.freshUntil > now; });
    }
  });
  var servicesPager = C.Pager({
    list: servicesNode,
    dots: document.getElementById("services-dots"),
    dwellMs: function (_page, shown) {
      return shown.length && shown[0].classList.contains("prio-item") ? LEGEND_PAGE_MS : SERVICES_PAGE_MS;
    },
    onPage: function (_index, _pages, shown) {
      var prio = shown.length > 0 && shown[0].classList.contains("prio-item");
      var title = document.getElementById("waiting-title");
      title.querySelector(".uk").textContent = prio ? "Пільгова черга" : "У черзі";
      title.querySelector(".en").textContent = prio ? "Priority lane" : "Waiting";
    }
  });
  window.cherhaPagers = { calls: callsPager, services: servicesPager };

  /** Portrait: the calls panel as tall as its head and five rows (more are paged). */
  function sizeCallsPanel() {
    var section = listNode.parentElement;
    if (window.innerHeight <= window.innerWidth) { section.style.height = ""; return; }
    var probe = C.el("li", { className: "call" }, C.numberNode("А000", "call-number"),
      C.el("span", { className: "call-arrow", text: "→" }), C.el("span", { className: "call-window", text: "0" }));
    listNode.appendChild(probe);
    var row = probe.getBoundingClientRect().height;
    probe.remove();
    var head = section.querySelector(".panel-head").getBoundingClientRect().height;
    section.style.height = Math.ceil(head + Math.min(LAST, 5) * row + 1) + "px";
  }
  sizeCallsPanel();

  window.addEventListener("resize", function () {
    C.applyViewing(cfg.viewing, FIT);
    sizeCallsPanel();
    callsPager.layout();
    servicesPager.layout();
  });

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
    if (announce) callsPager.first(); else callsPager.layout();
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

  function waitText(s) {
    if (!s.open_now) return ["зачинено", "closed"];
    if (s.waiting === 0) return ["—", ""];
    return ["≈ " + s.estimated_wait_minutes + "\u00a0хв", "≈ " + s.estimated_wait_minutes + "\u00a0min"];
  }

  function renderServices(services, categories) {
    servicesNode.textContent = "";
    services.forEach(function (s) {
      var wait = waitText(s);
      var li = C.el("li", { className: "service" + (s.open_now ? "" : " closed"), "data-service-id": String(s.id) },
        C.el("span", { className: "svc-prefix", text: s.prefix }),
        C.el("span", { className: "svc-name" },
          C.el("span", { className: "uk", text: s.short_name_uk || s.name_uk }),
          C.el("span", { className: "en", lang: "en", text: s.short_name_en || s.name_en || s.short_name_uk || s.name_uk })),
        C.el("span", { className: "svc-count", "data-waiting": String(s.waiting), text: String(s.waiting) }),
        C.el("span", { className: "svc-wait" },
          C.el("span", { className: "uk", text: wait[0] }),
          wait[1] ? C.el("span", { className: "en", lang: "en", text: wait[1] }) : null));
      servicesNode.appendChild(li);
    });
    // The priority lane explained, with the centre's categories: the panel's last pages.
    if (categories && categories.length) {
      servicesNode.appendChild(C.el("li", { className: "prio-item prio-head", "data-page-break": "" },
        C.el("span", { className: "uk" }, C.el("span", { className: "prio", text: "П" }),
          " — пільгова черга: окремо, без втрати місць у черзі. Для:"),
        C.el("span", { className: "en", lang: "en",
          text: "П = priority lane, called apart; nobody loses their place. For:" })));
      categories.forEach(function (cat) {
        servicesNode.appendChild(C.el("li", { className: "prio-item prio-category" },
          C.el("span", { className: "uk", text: "• " + cat.uk }),
          cat.en ? C.el("span", { className: "en", lang: "en", text: cat.en }) : null));
      });
    }
    servicesPager.layout();
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
    renderServices(board.services, board.branch.priority_categories || []);
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

  /* The server's time in the centre's zone (the TV's own clock and zone may be wrong). */
  function tick() {
    document.getElementById("time").textContent = C.formatTime(timezone, false);
    try {
      document.getElementById("date").textContent = new Intl.DateTimeFormat("uk-UA", {
        timeZone: timezone, weekday: "long", day: "numeric", month: "long"
      }).format(new Date(C.serverNow()));
    } catch (e) { /* the time is still right */ }
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
