/* Cherha pages: what the hall display, the window display and the ticket page share.
 * Plain JavaScript, no build step, no network beyond this server. */
"use strict";

window.Cherha = (function () {
  var configNode = document.getElementById("cherha-config");
  var cfg = configNode ? JSON.parse(configNode.textContent || "{}") : {};

  var EVENT_TYPES = [
    "ticket_issued", "ticket_called", "ticket_recalled", "ticket_started", "ticket_finished",
    "ticket_no_show", "ticket_transferred", "ticket_returned", "ticket_cancelled",
    "ticket_expired", "counter_open", "counter_paused", "counter_closed",
    "branch_paused", "branch_resumed"
  ];

  /** A same-origin URL with query parameters, and the display key where one is required. */
  function url(path, params) {
    var u = new URL(path, window.location.origin);
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined) u.searchParams.set(k, String(params[k]));
    });
    if (cfg.key) u.searchParams.set("key", cfg.key);
    return u.pathname + u.search;
  }

  async function getJSON(path, params) {
    var response = await fetch(url(path, params), { cache: "no-store" });
    noteDateHeader(response);
    if (!response.ok) {
      var error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  /*
   * The server's clock: TVs and phones often have a wrong one (and a zone of their own: every
   * time shown is formatted in the centre's zone). As the desk does (client/server_clock.py),
   * the offset is learnt from the Date header of every answer, which has whole seconds: so a
   * difference within 2 s counts as none (the clock does not jitter), a larger one is taken.
   * A body's own timestamp (the board's generated_at, milliseconds) is used the same way.
   */
  var CLOCK_TOLERANCE_MS = 2000;
  var clockOffsetMs = 0;
  function learnOffset(serverMs, receivedAtMs) {
    var measured = serverMs - receivedAtMs;
    if (Math.abs(measured - clockOffsetMs) > CLOCK_TOLERANCE_MS) clockOffsetMs = measured;
  }
  function noteServerTime(iso) {
    var t = Date.parse(iso);
    if (!isNaN(t)) learnOffset(t, Date.now());
  }
  function noteDateHeader(response) {
    var header = response.headers.get("Date");
    var t = header ? Date.parse(header) : NaN;
    // The header cuts the server's time down to the second: take the middle of that second.
    if (!isNaN(t)) learnOffset(t + 500, Date.now());
  }
  function serverNow() { return Date.now() + clockOffsetMs; }

  /** A time of day on the server's clock in the centre's zone, e.g. "14:05" or "14:05:09". */
  function formatTime(zone, withSeconds) {
    var options = { timeZone: zone, hour: "2-digit", minute: "2-digit", hour12: false };
    if (withSeconds) options.second = "2-digit";
    try {
      return new Intl.DateTimeFormat("uk-UA", options).format(new Date(serverNow()));
    } catch (e) {  // an unknown zone on an old browser: still the server's time, in UTC
      return new Date(serverNow()).toISOString().slice(11, withSeconds ? 19 : 16);
    }
  }

  /* -- sizes from the viewing distance ------------------------------------------------------ */

  /**
   * Text sized for the hall, not for the screen: the server sends the cap heights in mm
   * (core/legibility.py: Ukrainian text ≥ distance/200, English at the centre's share of it,
   * never below distance/300, numbers ≥ distance/100) and the screen's diagonal. The page turns
   * mm into CSS pixels from the diagonal and the screen's size in pixels, measures the cap
   * height of the font it really got, and sets the root font size so that 1rem of Ukrainian
   * text has exactly the asked cap height. Everything else is in rem: the layout looks the same
   * on 1366×768, 1920×1080 and 3840×2160 screens of one size, and pages what does not fit.
   * `fit` {width, height} (in rem) is the least the layout needs: a screen too small for its
   * distance gets the largest size that still fits, and says so in data-legibility="reduced".
   */
  var viewingState = null;
  function capHeightRatio() {
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d");
    var family = getComputedStyle(document.body).fontFamily;
    ctx.font = "bold 200px " + family;
    var m = ctx.measureText("Н");
    var ratio = m.actualBoundingBoxAscent / 200;
    return ratio > 0.4 && ratio < 1 ? ratio : 0.73;  // DejaVu Sans: 0.729
  }
  function applyViewing(v, fit) {
    if (!v) return null;
    var sw = window.screen && window.screen.width, sh = window.screen && window.screen.height;
    // The whole screen is what the diagonal measures; a window smaller than it keeps mm true.
    var w = sw >= window.innerWidth && sh >= window.innerHeight ? sw : window.innerWidth;
    var h = sw >= window.innerWidth && sh >= window.innerHeight ? sh : window.innerHeight;
    var mmPerPx = v.diagonalInches * 25.4 / Math.hypot(w, h);
    var cap = capHeightRatio();
    // 3 % to spare: glyphs are drawn on whole pixels, a cap may come out a pixel lower.
    var wanted = 1.03 * v.textMm / mmPerPx / cap;
    var portrait = window.innerHeight > window.innerWidth;
    var need = fit ? (portrait ? fit.portrait : fit.landscape) : null;
    var most = need ? Math.min(window.innerWidth / need.width, window.innerHeight / need.height) : Infinity;
    var px = Math.min(wanted, most);
    var root = document.documentElement;
    root.style.fontSize = px.toFixed(3) + "px";
    root.style.setProperty("--en", String(v.englishScale || 0.7));
    root.style.setProperty("--num", String(v.numberMm / v.textMm));
    document.body.setAttribute("data-english", v.englishScale > 0 ? "on" : "off");
    document.body.setAttribute("data-legibility", px < wanted - 0.01 ? "reduced" : "full");
    viewingState = { mmPerPx: mmPerPx, capRatio: cap, rootPx: px, wantedPx: wanted, portrait: portrait };
    window.cherhaViewing = viewingState;  // for people checking a TV, and for the tests
    return viewingState;
  }

  /* -- pages of a list that does not fit ----------------------------------------------------- */

  /**
   * Shows a list one page at a time instead of shrinking it: items keep their size, as many as
   * fit the list's box make a page, and pages turn every few seconds. An item with
   * data-page-break starts a new page. `hold()` true keeps the first page (a fresh call).
   * The pages are drawn as dots in `dots` (no text).
   */
  function Pager(options) {
    var list = options.list;
    var page = 0;
    var pages = [[]];
    var timer = null;

    function items() {
      return options.items ? options.items() : Array.prototype.slice.call(list.children);
    }

    function layout() {
      var all = items();
      all.forEach(function (item) { item.hidden = false; });
      var style = getComputedStyle(list);
      var gap = parseFloat(style.rowGap) || 0;
      var room = list.clientHeight;
      pages = [[]];
      var used = 0;
      all.forEach(function (item) {
        var h = item.getBoundingClientRect().height;
        var current = pages[pages.length - 1];
        var breakHere = item.hasAttribute("data-page-break") && current.length > 0;
        if (current.length > 0 && (breakHere || used + gap + h > room + 0.5)) {
          pages.push([]);
          current = pages[pages.length - 1];
          used = 0;
        }
        used += (current.length ? gap : 0) + h;
        current.push(item);
      });
      if (page >= pages.length) page = 0;
      show(false);
    }

    /** Shows the current page; `turn` restarts its dwell (a re-layout keeps the clock running). */
    function show(turn) {
      pages.forEach(function (members, index) {
        members.forEach(function (item) { item.hidden = index !== page; });
      });
      list.setAttribute("data-page", String(page + 1));
      list.setAttribute("data-pages", String(pages.length));
      if (options.dots) {
        options.dots.textContent = "";
        if (pages.length > 1) {
          pages.forEach(function (_m, index) {
            options.dots.appendChild(el("span", { className: index === page ? "dot on" : "dot" }));
          });
        }
      }
      if (options.onPage) options.onPage(page, pages, pages[page] || []);
      if (turn || timer === null) schedule();
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = null;
      if (pages.length < 2) return;
      var dwell = typeof options.dwellMs === "function"
        ? options.dwellMs(page, pages[page] || [])
        : (options.dwellMs || 10000);
      timer = window.setTimeout(function () {
        timer = null;
        if (options.hold && options.hold()) page = 0;
        else page = (page + 1) % pages.length;
        show(true);
      }, dwell);
    }

    function first() { page = 0; layout(); show(true); }
    function goTo(index) { page = Math.max(0, Math.min(index, pages.length - 1)); show(true); }

    return {
      layout: layout,
      first: first,
      goTo: goTo,
      pages: function () { return pages.length; },
      page: function () { return page; }
    };
  }

  /**
   * The event stream, resumed from the last event seen. EventSource would resume by itself with
   * Last-Event-ID, but not after the server refused or vanished (a restart): so every error
   * closes it and a new one opens with ?since=<last id seen>, backing off up to 4 s.
   */
  function openStream(options) {
    var lastId = options.since === undefined ? null : options.since;
    var source = null;
    var timer = null;
    var delay = 500;
    var stopped = false;

    function handle(message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (typeof event.id !== "number") return;
      if (lastId !== null && event.id <= lastId) return;  // seen already (a replay)
      lastId = event.id;
      options.onEvent(event);
    }

    function connect() {
      window.clearTimeout(timer);
      if (source) source.close();
      if (stopped) return;
      source = new EventSource(url("/api/v1/events", lastId === null ? {} : { since: lastId }));
      source.onopen = function () {
        delay = 500;
        options.onState("online");
      };
      source.onerror = function () {
        if (source) source.close();
        source = null;
        options.onState("offline");
        timer = window.setTimeout(connect, delay + Math.random() * 300);
        delay = Math.min(delay * 2, 4000);
      };
      EVENT_TYPES.forEach(function (type) { source.addEventListener(type, handle); });
    }

    connect();
    return {
      reconnect: connect,
      lastId: function () { return lastId; },
      stop: function () { stopped = true; window.clearTimeout(timer); if (source) source.close(); }
    };
  }

  /* -- sound ------------------------------------------------------------------------------- */

  var sound = { unlocked: false, context: null };

  /** Whether the browser lets this page play sound without a click (TV kiosk flag). */
  function soundAllowed() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return true;
      if (!sound.context) sound.context = new Ctx();
      sound.unlocked = sound.context.state === "running";
    } catch (e) {
      sound.unlocked = true;
    }
    return sound.unlocked;
  }

  /** Called from a click or tap: from then on the page may play sound. */
  function unlockSound() {
    sound.unlocked = true;
    try { if (sound.context) sound.context.resume(); } catch (e) { /* ignore */ }
    var silent = new Audio(url("/audio/chime-window.wav"));
    silent.muted = true;
    silent.play().catch(function () {});
  }

  /** Play one sound to its end. Rejects on NotAllowedError (no click yet) or a broken file. */
  function play(audio, limitMs) {
    return new Promise(function (resolve, reject) {
      var done = false;
      var guard = window.setTimeout(function () { finish(null); }, limitMs || 20000);
      function finish(error) {
        if (done) return;
        done = true;
        window.clearTimeout(guard);
        audio.onended = audio.onerror = null;
        if (error) reject(error); else resolve();
      }
      audio.onended = function () { finish(null); };
      audio.onerror = function () {
        var error = new Error("audio " + (audio.error ? audio.error.code : "error"));
        error.name = "AudioError";
        finish(error);
      };
      try {
        audio.currentTime = 0;
      } catch (e) { /* not loaded yet */ }
      var started = audio.play();
      if (started && started.catch) started.catch(function (e) { finish(e); });
    });
  }

  /**
   * Announcements one after another, never overwritten: each call is pushed; a single player
   * plays the chime, then the voice(s), then takes the next. The list is window.cherhaAnnouncements
   * (oldest first; state pending → playing → done | skipped), for people debugging and for tests.
   */
  function Announcer(options) {
    var items = [];
    var media = new Map();
    var busy = false;
    var seq = 0;
    window.cherhaAnnouncements = items;

    function push(item) {
      item.seq = ++seq;
      item.state = "pending";
      item.queuedAt = Date.now();
      item.voiceError = null;
      items.push(item);
      // Fetch the sounds now: the server makes the voice while the chime plays.
      var urls = options.sounds(item);
      media.set(item.seq, urls.map(function (u) {
        var a = new Audio();
        a.preload = "auto";
        a.src = u.src;
        a.dataset.kind = u.kind;
        return a;
      }));
      while (items.length > 60 && items[0].state !== "pending" && items[0].state !== "playing") {
        media.delete(items[0].seq);
        items.shift();
      }
      pump();
    }

    async function pump() {
      if (busy) return;
      var next = items.find(function (i) { return i.state === "pending"; });
      if (!next) return;
      if (!sound.unlocked && !soundAllowed()) {
        if (options.onBlocked) options.onBlocked();
        return;  // resumed by resume() after the click
      }
      if (options.maxAgeMs && next.at && serverNow() - Date.parse(next.at) > options.maxAgeMs) {
        next.state = "skipped";
        next.note = "stale";
        pump();
        return;
      }
      busy = true;
      next.state = "playing";
      next.startedAt = Date.now();
      if (options.onStart) options.onStart(next);
      var blocked = false;
      var clips = media.get(next.seq) || [];
      for (var i = 0; i < clips.length; i++) {
        try {
          await play(clips[i], 20000);
        } catch (e) {
          if (e && e.name === "NotAllowedError") { blocked = true; break; }
          if (clips[i].dataset.kind === "voice") {
            next.voiceError = String(e && e.message ? e.message : e);
            if (options.onVoiceError) options.onVoiceError(next);
          }
        }
      }
      busy = false;
      if (blocked) {
        next.state = "pending";
        sound.unlocked = false;
        if (options.onBlocked) options.onBlocked();
        return;
      }
      next.state = "done";
      next.endedAt = Date.now();
      if (options.onEnd) options.onEnd(next);
      pump();
    }

    return { push: push, resume: pump, items: items };
  }

  /* -- little DOM helpers ------------------------------------------------------------------ */

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else if (k.indexOf("data-") === 0 || k === "lang" || k === "aria-label") node.setAttribute(k, attrs[k]);
      else node[k] = attrs[k];
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A ticket number with the priority mark «П» set apart: <span class="prio">П</span>A003. */
  function numberNode(number, className) {
    var node = el("span", { className: className || "ticket-number" });
    if (number.charAt(0) === "П") {
      node.appendChild(el("span", { className: "prio", text: "П" }));
      node.appendChild(document.createTextNode(number.slice(1)));
      node.classList.add("is-priority");
    } else {
      node.textContent = number;
    }
    return node;
  }

  var CONNECTION_LABELS = {
    online: "На звʼязку / Online",
    offline: "Немає звʼязку, відновлюю… / Connection lost, reconnecting…",
    connecting: "Підключення… / Connecting…"
  };
  function setConnection(state) {
    document.body.setAttribute("data-connection", state);
    var dot = document.getElementById("conn");
    if (dot && dot.getAttribute("role") === "img") dot.setAttribute("aria-label", CONNECTION_LABELS[state] || state);
  }

  function announcementSounds(chimePath, withVoice, withEnglish) {
    return function (item) {
      var list = [{ src: url(chimePath), kind: "chime" }];
      var query = { number: item.number, window: item.window };
      if (withVoice) list.push({ src: url("/audio/announce", Object.assign({ lang: "uk" }, query)), kind: "voice" });
      if (withEnglish) list.push({ src: url("/audio/announce", Object.assign({ lang: "en" }, query)), kind: "voice" });
      return list;
    };
  }

  return {
    config: cfg,
    url: url,
    getJSON: getJSON,
    noteServerTime: noteServerTime,
    noteDateHeader: noteDateHeader,
    serverNow: serverNow,
    formatTime: formatTime,
    applyViewing: applyViewing,
    Pager: Pager,
    openStream: openStream,
    soundAllowed: soundAllowed,
    unlockSound: unlockSound,
    Announcer: Announcer,
    announcementSounds: announcementSounds,
    el: el,
    numberNode: numberNode,
    setConnection: setConnection
  };
})();
