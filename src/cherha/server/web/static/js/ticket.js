/* A ticket on the visitor's phone: number, place in line and wait, live; the call; thanks.
 *
 * How it follows the ticket: the ticket's own status (GET /api/v1/tickets/{token}) is the truth.
 * Where the event stream is open to phones, every event about this number is applied at once
 * (a call shows immediately) and then the status is read again; other tickets' events (someone
 * called or cancelled ahead) re-read it after a short pause, so one burst makes one request.
 * The stream only wakes the page up: the page also polls every 30 s, and every 5 s while the
 * stream is down or closed to phones (centres with display keys).
 */
"use strict";

(function () {
  var C = window.Cherha;
  var cfg = C.config;
  var TOKEN = cfg.token;
  var FINAL = { done: true, cancelled: true, expired: true };

  var status = null;
  var lastCalledKey = null;
  var pollTimer = null;
  var debounceTimer = null;
  var streamState = cfg.stream ? "connecting" : "offline";
  var chime = new Audio("/audio/chime-window.wav");
  chime.preload = "auto";
  window.cherhaAlerts = [];  // every «go to window» alert given, for people debugging and tests

  document.getElementById("sound-enable").addEventListener("click", function () {
    C.unlockSound();
    chime.muted = true;
    chime.play().then(function () { chime.pause(); chime.muted = false; }, function () { chime.muted = false; });
    if (navigator.vibrate) navigator.vibrate(60);
    document.getElementById("sound-enable").hidden = true;
    document.getElementById("sound-on").hidden = false;
  });

  // The bot's link (t.me/<bot>?start=…): "called to window N" even with this page closed.
  if (cfg.telegram) {
    document.getElementById("telegram").href = cfg.telegram;
    document.getElementById("telegram").hidden = false;
  }

  function text(id, value) { document.getElementById(id).textContent = value; }

  function alertCalled(windowNumber) {
    window.cherhaAlerts.push({ window: windowNumber, at: Date.now() });
    document.title = "▶ Вікно " + windowNumber + " — " + (status ? status.number : "");
    if (navigator.vibrate) {
      try { navigator.vibrate([500, 200, 500, 200, 900]); } catch (e) { /* not allowed yet */ }
    }
    chime.currentTime = 0;
    chime.play().then(function () {
      window.setTimeout(function () { chime.currentTime = 0; chime.play().catch(function () {}); }, 1300);
    }, function () { /* no tap yet: the screen still says it loud */ });
  }

  function render(s) {
    var previous = status;
    status = s;
    document.body.setAttribute("data-status", s.status);
    text("branch-uk", s.branch_name_uk);
    text("branch-en", s.branch_name_en);
    var number = C.numberNode(s.number, "number");
    number.id = "number";
    document.getElementById("number").replaceWith(number);
    text("service-uk", s.service_name_uk);
    text("service-en", s.service_name_en);
    document.getElementById("prio-note").hidden = s.lane !== "priority";
    document.getElementById("banner").hidden = !s.branch_paused;
    var reason = s.branch_paused ? (s.branch_pause_reason || "") : "";
    text("pause-reason", reason ? ": " + reason : "");
    text("pause-reason-en", reason ? " (" + reason + ")" : "");
    text("ahead", s.people_ahead === null ? "—" : String(s.people_ahead));
    text("wait", s.estimated_wait_minutes === null ? "—" : "≈ " + s.estimated_wait_minutes + " хв");
    var win = s.counter_number === null ? "—" : String(s.counter_number);
    ["called-window", "called-window-en", "serving-window", "serving-window-en"].forEach(function (id) { text(id, win); });
    if (s.status === "called") {
      var key = String(s.called_at) + "|" + win;
      if (key !== lastCalledKey && !(previous === null && document.hidden)) {
        lastCalledKey = key;
        alertCalled(win);
      }
    } else if (s.status !== "called") {
      document.title = "Талон " + s.number + " / Ticket " + s.number;
    }
    // The server's time in the centre's zone: a phone's clock or zone may be another.
    text("updated", C.formatTime(cfg.timezone || "Europe/Kyiv", true));
    document.getElementById("updated-line").hidden = false;
  }

  async function refresh() {
    try {
      render(await C.getJSON("/api/v1/tickets/" + encodeURIComponent(TOKEN)));
      if (streamState !== "online") C.setConnection(cfg.stream ? "offline" : "online");
    } catch (e) {
      if (e && e.status === 404) { document.body.setAttribute("data-status", "expired"); return; }
      C.setConnection("offline");
    } finally {
      schedulePoll();
    }
  }

  function schedulePoll() {
    window.clearTimeout(pollTimer);
    var final = status && FINAL[status.status];
    var ms = final ? 120000 : (streamState === "online" ? 30000 : 5000);
    pollTimer = window.setTimeout(refresh, ms);
  }

  function soon(ms) {
    window.clearTimeout(debounceTimer);
    debounceTimer = window.setTimeout(refresh, ms);
  }

  function onEvent(event) {
    var data = event.data || {};
    if (status && data.number === status.number) {
      if ((event.type === "ticket_called" || event.type === "ticket_recalled") && data.counter_number) {
        // Show the call at once; the status read right after confirms it.
        var s = Object.assign({}, status, {
          status: "called", counter_number: data.counter_number, called_at: event.at,
          people_ahead: null, estimated_wait_minutes: null
        });
        if (event.type === "ticket_recalled") lastCalledKey = null;
        render(s);
      }
      soon(50);
    } else if (event.type.indexOf("ticket_") === 0 || event.type.indexOf("branch_") === 0) {
      if (status && !FINAL[status.status]) soon(1500);
    }
  }

  refresh();
  if (cfg.stream) {
    C.openStream({
      onEvent: onEvent,
      onState: function (state) {
        streamState = state;
        C.setConnection(state);
        if (state === "online") soon(50);  // whatever happened before the stream opened
        else schedulePoll();
      }
    });
  } else {
    C.setConnection("online");
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) soon(50); });
})();
