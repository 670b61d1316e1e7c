/* The booking pages: /book (service → day → time → name and phone → the code and its QR) and
 * /book/cancel (code and phone). Plain JavaScript, no build step, no network beyond this server.
 * Names and phone numbers only ever travel in POST bodies, never in an address. */
"use strict";

(function () {
  var node = document.getElementById("cherha-config");
  var cfg = node ? JSON.parse(node.textContent || "{}") : {};
  var body = document.body;
  var WEEKDAYS = {
    uk: ["нд", "пн", "вт", "ср", "чт", "пт", "сб"],
    en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  };
  var state = { service: null, day: null, slot: null, booking: null, cancelled: null };
  window.cherhaBooking = state;  // for people debugging and for tests

  function lang() { return body.getAttribute("data-lang") === "en" ? "en" : "uk"; }
  function $(id) { return document.getElementById(id); }
  function tr(uk, en) { return lang() === "en" ? en : uk; }

  function setLang(value) {
    body.setAttribute("data-lang", value);
    document.documentElement.lang = value;
    try { window.localStorage.setItem("cherha-lang", value); } catch (e) { /* private mode */ }
    renderChosen();
    if (state.booking) renderDone();
    if (state.cancelled) renderCancelled();
    if (lastError) showError(lastError);
  }

  function dayLabel(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return WEEKDAYS[lang()][d.getUTCDay()] + ", " + iso.slice(8, 10) + "." + iso.slice(5, 7);
  }
  function timeOf(start) { return start.slice(11, 16); }  // the centre's local time, as sent
  function dateOf(start) { return start.slice(0, 10); }
  function longWhen(start) {
    var iso = dateOf(start);
    return dayLabel(iso) + "." + iso.slice(0, 4) + " " + tr("о", "at") + " " + timeOf(start);
  }

  function go(step) {
    body.setAttribute("data-step", step);
    renderChosen();
    window.scrollTo(0, 0);
  }

  var lastError = null;
  function showError(problem, nextFree) {
    lastError = problem;
    $("error-text").textContent = lang() === "en" ? problem.message_en || problem.message : problem.message;
    $("error").hidden = false;
    var box = $("next-free");
    if (!box) return;
    if (nextFree !== undefined) {
      var list = $("next-free-list");
      list.textContent = "";
      nextFree.forEach(function (start) {
        list.appendChild(choice(dayLabel(dateOf(start)) + " " + timeOf(start), null, function () {
          state.day = dateOf(start);
          state.slot = start;
          clearError();
          go("details");
        }));
      });
      box.hidden = nextFree.length === 0;
    }
  }
  function clearError() {
    lastError = null;
    $("error").hidden = true;
    if ($("next-free")) $("next-free").hidden = true;
  }

  async function call(method, path, payload) {
    var options = { method: method, cache: "no-store", headers: {} };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    var response;
    try {
      response = await fetch(path, options);
    } catch (e) {
      throw { error: "offline", message: "Немає звʼязку з сервером. Перевірте інтернет і спробуйте ще раз", message_en: "No connection to the server. Check the internet and try again" };
    }
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      throw data && data.message ? data : { error: "http_" + response.status, message: "Помилка сервера (" + response.status + "). Спробуйте пізніше", message_en: "Server error (" + response.status + "). Please try later" };
    }
    return data;
  }

  function choice(label, sub, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "choice";
    b.textContent = label;
    if (sub) {
      var s = document.createElement("small");
      s.textContent = sub;
      b.appendChild(s);
    }
    b.addEventListener("click", onClick);
    return b;
  }

  function serviceName(s) { return s ? (lang() === "en" ? s.en : s.uk) : ""; }

  function renderChosen() {
    var box = $("chosen");
    if (!box) return;
    var step = body.getAttribute("data-step");
    var parts = [];
    if (state.service && step !== "service") parts.push(serviceName(state.service));
    if (state.day && (step === "time" || step === "details")) parts.push(dayLabel(state.day));
    if (state.slot && step === "details") parts.push(timeOf(state.slot));
    box.textContent = parts.join(" · ");
    box.hidden = parts.length === 0 || step === "done";
  }

  /** Services by group, each heading once, as on the kiosk (the server groups them). */
  function renderServices() {
    var list = $("services");
    list.textContent = "";
    cfg.groups.forEach(function (group) {
      if (group.uk) {
        var g = document.createElement("h3");
        g.className = "group";
        var uk = document.createElement("span"); uk.className = "uk"; uk.textContent = group.uk;
        var en = document.createElement("span"); en.className = "en"; en.textContent = group.en;
        g.appendChild(uk); g.appendChild(en);
        list.appendChild(g);
      }
      group.services.forEach(function (s) {
        var b = choice("", null, function () { pickService(s); });
        var uk2 = document.createElement("span"); uk2.className = "uk"; uk2.textContent = s.uk;
        var en2 = document.createElement("span"); en2.className = "en"; en2.textContent = s.en;
        b.appendChild(uk2); b.appendChild(en2);
        b.setAttribute("data-service", String(s.id));
        list.appendChild(b);
      });
    });
  }

  async function pickService(s) {
    clearError();
    state.service = s;
    state.day = null;
    state.slot = null;
    try {
      var days = await call("GET", "/api/v1/services/" + s.id + "/booking-days");
      var list = $("days");
      list.textContent = "";
      var open = days.filter(function (d) { return d.free > 0; });
      open.forEach(function (d) {
        var b = choice(dayLabel(d.date), tr("вільно: ", "free: ") + d.free, function () { pickDay(d.date); });
        b.setAttribute("data-day", d.date);
        list.appendChild(b);
      });
      $("days-empty").hidden = open.length > 0;
      go("day");
    } catch (problem) { showError(problem); }
  }

  async function pickDay(day) {
    clearError();
    state.day = day;
    try {
      var slots = await call("GET", "/api/v1/services/" + state.service.id + "/slots?date=" + encodeURIComponent(day));
      var list = $("times");
      list.textContent = "";
      var free = slots.filter(function (s) { return s.free > 0; });
      free.forEach(function (s) {
        var b = choice(timeOf(s.start), null, function () { state.slot = s.start; clearError(); go("details"); });
        b.setAttribute("data-start", s.start);
        list.appendChild(b);
      });
      $("times-empty").hidden = free.length > 0;
      go("time");
    } catch (problem) { showError(problem); }
  }

  async function submitBooking(event) {
    event.preventDefault();
    clearError();
    var button = $("submit");
    button.disabled = true;
    try {
      state.booking = await call("POST", "/api/v1/bookings", {
        service_id: state.service.id,
        start: state.slot,
        name: $("name").value,
        phone: $("phone").value
      });
      $("details").reset();
      renderDone();
      go("done");
    } catch (problem) {
      showError(problem, problem.error === "slot_full" ? problem.next_free || [] : undefined);
    } finally {
      button.disabled = false;
    }
  }

  function renderDone() {
    var b = state.booking;
    $("code").textContent = b.code;
    $("when").textContent = longWhen(b.start);
    $("done-service").textContent = lang() === "en" ? b.service_name_en || b.service_name_uk : b.service_name_uk;
    var qr = "/book/qr/" + encodeURIComponent(b.code) + ".png";
    $("qr").src = qr;
    $("qr").alt = "QR: " + b.code;
    $("save-qr").href = qr;
    $("save-qr").setAttribute("download", "booking-" + b.code + ".png");
    $("cancel-link").href = "/book/cancel?code=" + encodeURIComponent(b.code);
    $("telegram").hidden = !b.telegram_url;  // the bot: confirmation, reminders, cancel
    if (b.telegram_url) $("telegram").href = b.telegram_url;
    $("rule").textContent = tr(
      "Прийдіть за " + cfg.early + " хв до початку; запізнення понад " + cfg.late + " хв — у загальну чергу",
      "Come up to " + cfg.early + " min before the start; more than " + cfg.late + " min late — the general queue"
    );
  }

  async function submitCancel(event) {
    event.preventDefault();
    clearError();
    var code = $("cancel-code").value.trim();
    if (!code) {
      showError({ message: "Вкажіть код запису", message_en: "Give the booking code" });
      return;
    }
    var button = $("cancel-submit");
    button.disabled = true;
    try {
      state.cancelled = await call("POST", "/api/v1/bookings/" + encodeURIComponent(code) + "/cancel", {
        phone: $("cancel-phone").value
      });
      renderCancelled();
      go("cancelled");
    } catch (problem) {
      showError(problem);
    } finally {
      button.disabled = false;
    }
  }

  function renderCancelled() {
    $("cancelled-code").textContent = state.cancelled.code;
    $("cancelled-when").textContent = longWhen(state.cancelled.start);
  }

  // -- start ----------------------------------------------------------------------------------
  $("branch").textContent = cfg.branchUk || "";
  $("lang-switch").addEventListener("click", function () { setLang(lang() === "uk" ? "en" : "uk"); });
  var saved = null;
  try { saved = window.localStorage.getItem("cherha-lang"); } catch (e) { saved = null; }
  if (saved === "en") setLang("en");

  if (cfg.mode === "cancel") {
    var fromAddress = new URLSearchParams(window.location.search).get("code");
    if (fromAddress) $("cancel-code").value = fromAddress;
    $("cancel").addEventListener("submit", submitCancel);
  } else {
    renderServices();
    $("details").addEventListener("submit", submitBooking);
    Array.prototype.forEach.call(document.querySelectorAll("[data-back]"), function (b) {
      b.addEventListener("click", function () {
        clearError();
        var to = b.getAttribute("data-back");
        if (to === "day" && state.service) { pickService(state.service); return; }
        go(to);
      });
    });
  }
  body.setAttribute("data-ready", "true");
})();
