/* The display over one window: the ticket called there, big, with its own chime. While the
 * window is on a break or closed it says where to go instead: the nearest open windows that
 * serve its services (the server works them out: GET /api/v1/counters, `go_instead`). */
"use strict";

(function () {
  var C = window.Cherha;
  var cfg = C.config;
  var ID = cfg.counterId;
  // The least the layout needs, in rem: on a break, a header, two lines of state, where to go
  // (a line, a big number, a line) and a footer.
  var FIT = { landscape: { width: 12, height: 10 }, portrait: { width: 9, height: 11 } };

  var counterState = "closed";   // open | paused | closed
  var current = null;            // {ticketId, number, status: "called" | "serving"}
  var goInstead = [];            // window numbers, best first
  var timezone = "Europe/Kyiv";
  var countersTimer = null;
  var overlay = document.getElementById("sound-overlay");
  var main = document.querySelector(".counter-main");

  C.applyViewing(cfg.viewing, FIT);

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

  /** «до вікна 5» / «до вікон 2 або 7»: where this window's visitors should go. */
  function goText(numbers) {
    var list = numbers.join(numbers.length === 2 ? " або " : ", ");
    var listEn = numbers.join(numbers.length === 2 ? " or " : ", ");
    return numbers.length === 1
      ? ["Зверніться до вікна", "Please go to window " + list]
      : ["Зверніться до вікон", "Please go to windows " + listEn];
  }

  /** The big number (and the windows to go to) as large as the screen allows, never smaller
   * than the numbers' size for the viewing distance. */
  function fitBig() {
    var root = parseFloat(getComputedStyle(document.documentElement).fontSize);
    var least = root * parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--num") || "2");
    var big = [document.getElementById("number"), document.getElementById("go-windows")];
    function fits() { return main.scrollHeight <= main.clientHeight + 1 && main.scrollWidth <= main.clientWidth + 1; }
    function set(px) { big.forEach(function (node) { node.style.fontSize = px + "px"; }); }
    var low = least, high = Math.max(least, main.clientHeight);
    set(high);
    if (fits()) return;
    for (var i = 0; i < 14; i++) {
      var mid = (low + high) / 2;
      set(mid);
      if (fits()) low = mid; else high = mid;
    }
    set(low);
  }

  function render() {
    var state = current ? current.status : (counterState === "open" ? "idle" : counterState);
    document.body.setAttribute("data-state", state);
    var numberNode = document.getElementById("number");
    var fresh = C.numberNode(current ? current.number : "—", "counter-number");
    fresh.id = "number";
    if (current) fresh.setAttribute("data-number", current.number);
    if (!current || numberNode.getAttribute("data-number") !== current.number) {
      numberNode.replaceWith(fresh);
      numberNode = fresh;
    }
    var text = TEXT[state] || TEXT.idle;
    var stateNode = document.getElementById("state-text");
    stateNode.querySelector(".uk").textContent = text[0];
    stateNode.querySelector(".en").textContent = text[1];
    // Not serving: where to go instead, in place of the empty number.
    var away = !current && counterState !== "open" && goInstead.length > 0;
    var go = document.getElementById("go");
    go.hidden = !away;
    numberNode.hidden = away;
    go.setAttribute("data-windows", goInstead.join(","));
    if (away) {
      var words = goText(goInstead);
      document.getElementById("go-uk").textContent = words[0];
      document.getElementById("go-windows").textContent = goInstead.join(" · ");
      document.getElementById("go-en").textContent = words[1];
    }
    fitBig();
  }

  function restartBlink() {
    // A recall of the same number blinks again: re-apply the state attribute on the next frame.
    document.body.setAttribute("data-state", "none");
    window.requestAnimationFrame(function () { render(); });
  }

  function setBanner(paused, reason) {
    var banner = document.getElementById("banner");
    document.body.setAttribute("data-paused", paused ? "true" : "false");
    if (!paused) { banner.hidden = true; fitBig(); return; }
    banner.className = "banner paused";
    document.getElementById("banner-uk").textContent =
      "⚠ Обслуговування призупинено" + (reason ? ": " + reason : "") + ". Місця в черзі збережено.";
    document.getElementById("banner-en").textContent =
      "Service is paused" + (reason ? " (" + reason + ")" : "") + ". Places in the queue are kept.";
    banner.hidden = false;
    fitBig();
  }

  function applyCounters(counters) {
    var mine = counters.find(function (c) { return c.id === ID; });
    if (!mine) return;
    counterState = mine.state;
    goInstead = mine.go_instead || [];
    current = mine.current
      ? { ticketId: mine.current.id, number: mine.current.number, status: mine.current.status === "serving" ? "serving" : "called" }
      : null;
  }

  /** Windows open and close elsewhere: where to send visitors changes. Re-read, once. */
  function refreshCountersSoon() {
    window.clearTimeout(countersTimer);
    countersTimer = window.setTimeout(async function () {
      try {
        var counters = await C.getJSON("/api/v1/counters");
        var mine = counters.find(function (c) { return c.id === ID; });
        if (mine) {
          goInstead = mine.go_instead || [];
          counterState = mine.state;
        }
        render();
      } catch (e) { /* the next event or reconnect tries again */ }
    }, 300);
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
      goInstead = [];
      restartBlink();
      announcer.push({ eventId: event.id, number: data.number, window: cfg.counterNumber, at: event.at });
    } else if (event.type === "ticket_started" && isCurrent) {
      current.status = "serving";
      render();
    } else if (isCurrent && /^ticket_(finished|no_show|transferred|cancelled|expired)$/.test(event.type)) {
      current = null;
      render();
    } else if (event.type.indexOf("counter_") === 0) {
      if (mine) {
        counterState = event.type.slice("counter_".length);
        if (counterState === "closed") current = null;
        if (counterState === "open") goInstead = [];
        render();
      }
      refreshCountersSoon();
    }
  }

  function tick() {
    document.getElementById("clock").textContent = C.formatTime(timezone, false);
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
        applyCounters(counters);
        render();
        if (current) document.body.setAttribute("data-state", current.status === "called" ? "shown" : current.status);
        C.openStream({ since: board.last_event_id, onEvent: onEvent, onState: C.setConnection });
        document.body.setAttribute("data-ready", "true");
        tick();
        return;
      } catch (e) {
        C.setConnection("offline");
        await new Promise(function (r) { window.setTimeout(r, delay); });
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  window.addEventListener("resize", function () { C.applyViewing(cfg.viewing, FIT); fitBig(); });
  window.setInterval(tick, 1000);
  tick();
  start();
})();
