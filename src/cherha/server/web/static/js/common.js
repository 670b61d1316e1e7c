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
    if (!response.ok) {
      var error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  /* The server's clock: TVs and phones often have a wrong one. */
  var clockOffsetMs = 0;
  function noteServerTime(iso) {
    var t = Date.parse(iso);
    if (!isNaN(t)) clockOffsetMs = t - Date.now();
  }
  function serverNow() { return Date.now() + clockOffsetMs; }

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

  function setConnection(state) {
    document.body.setAttribute("data-connection", state);
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
    serverNow: serverNow,
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
