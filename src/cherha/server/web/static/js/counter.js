/* The display over one window: the ticket called there, big, with its own chime. */
"use strict";

(function () {
  var C = window.Cherha;
  var cfg = C.config;
  var ID = cfg.counterId;

  var counterState = "closed";   // open | paused | closed
  var current = null;            // {ticketId, number, status: "called" | "serving"}
  var timezone = "Europe/Kyiv";
  var overlay = document.getElementById("sound-overlay");

  var announcer = C.Announcer({
    sounds: C.announcementSounds("/audio/chime-window.wav", false, false),
    maxAgeMs: (cfg.announceMaxAgeSeconds || 300) * 1000,
    onBlocked: function () { overlay.hidden = false; }
  });
  document.getElementById("sound-enable").addEventListener("click", function () {
    C.unlockSound();
    overlay.hidden = true;
    announcer.resume();
  });
  if (!C.soundAllowed()) overlay.hidden = false;

  var TEXT = {
    called: ["Запрошуємо до вікна", "Please come to the window"],
    serving: ["Обслуговується", "Now serving"],
    idle: ["Очікуйте виклику", "Please wait for your number"],
    paused: ["Перерва", "Break"],
    closed: ["Вікно зачинене", "Window closed"]
  };

  function render() {
    var state = current ? current.status : (counterState === "open" ? "idle" : counterState);
    document.body.setAttribute("data-state", state);
    var numberNode = document.getElementById("number");
    var fresh = C.numberNode(current ? current.number : "—", "counter-number");
    fresh.id = "number";
    if (current) fresh.setAttribute("data-number", current.number);
    if (!current || numberNode.getAttribute("data-number") !== current.number) {
      numberNode.replaceWith(fresh);
    }
    var text = TEXT[state] || TEXT.idle;
    var stateNode = document.getElementById("state-text");
    stateNode.textContent = text[0];
    stateNode.appendChild(C.el("small", { lang: "en", text: text[1] }));
  }

  function restartBlink() {
    // A recall of the same number blinks again: re-apply the state attribute on the next frame.
    document.body.setAttribute("data-state", "none");
    window.requestAnimationFrame(function () { render(); });
  }

  function setBanner(paused, reason) {
    var banner = document.getElementById("banner");
    document.body.setAttribute("data-paused", paused ? "true" : "false");
    if (!paused) { banner.hidden = true; return; }
    banner.className = "banner paused";
    document.getElementById("banner-uk").textContent =
      "⚠ Обслуговування призупинено" + (reason ? ": " + reason : "") + ". Місця в черзі збережено.";
    document.getElementById("banner-en").textContent = "Service is paused. Places in the queue are kept.";
    banner.hidden = false;
  }

  function onEvent(event) {
    var data = event.data || {};
    if (event.type === "branch_paused") { setBanner(true, data.reason || ""); return; }
    if (event.type === "branch_resumed") { setBanner(false, ""); return; }
    var mine = event.counter_id === ID || data.counter_id === ID;
    var isCurrent = current && event.ticket_id === current.ticketId;
    if ((event.type === "ticket_called" || event.type === "ticket_recalled") && mine) {
      current = { ticketId: event.ticket_id, number: data.number, status: "called" };
      counterState = "open";
      restartBlink();
      announcer.push({ eventId: event.id, number: data.number, window: cfg.counterNumber, at: event.at });
    } else if (event.type === "ticket_started" && isCurrent) {
      current.status = "serving";
      render();
    } else if (isCurrent && /^ticket_(finished|no_show|transferred|cancelled|expired)$/.test(event.type)) {
      current = null;
      render();
    } else if (event.type.indexOf("counter_") === 0 && mine) {
      counterState = event.type.slice("counter_".length);
      if (counterState === "closed") current = null;
      render();
    }
  }

  function tick() {
    try {
      document.getElementById("clock").textContent = new Intl.DateTimeFormat("uk-UA", {
        timeZone: timezone, hour: "2-digit", minute: "2-digit", hour12: false
      }).format(new Date(C.serverNow()));
    } catch (e) { /* ignore */ }
  }

  async function start() {
    var delay = 1000;
    for (;;) {
      try {
        // The board first: its last event id is where the stream resumes; the window's state
        // read after it is at least as new, and replayed events only set it again.
        var board = await C.getJSON("/api/v1/board", { last: 1 });
        var counters = await C.getJSON("/api/v1/counters");
        C.noteServerTime(board.generated_at);
        timezone = board.branch.timezone || timezone;
        setBanner(board.branch.paused, board.branch.pause_reason);
        var mine = counters.find(function (c) { return c.id === ID; });
        if (mine) {
          counterState = mine.state;
          current = mine.current
            ? { ticketId: mine.current.id, number: mine.current.number, status: mine.current.status === "serving" ? "serving" : "called" }
            : null;
        }
        render();
        if (current) document.body.setAttribute("data-state", current.status === "called" ? "shown" : current.status);
        C.openStream({ since: board.last_event_id, onEvent: onEvent, onState: C.setConnection });
        document.body.setAttribute("data-ready", "true");
        return;
      } catch (e) {
        C.setConnection("offline");
        await new Promise(function (r) { window.setTimeout(r, delay); });
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  window.setInterval(tick, 1000);
  tick();
  start();
})();
