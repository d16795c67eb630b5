// The host side of the mini-program bridge (views/mp Host; the app's side
// is public/mp/plaza-bridge.js). The app runs in an <iframe sandbox> with an
// opaque origin and reaches Plaza only through postMessage:
//
//   app → host  {plaza: "hello"}                         (the bridge started)
//   host → app  {plaza: "ready"}                         (answer, and once at start)
//   app → host  {plaza: "call", id, method, params}
//   host → app  {plaza: "reply", id, ok: true, result}
//               {plaza: "reply", id, ok: false, error: {code, message}}
//
// A message counts only when it comes from the frame's own window with the
// sandbox's origin "null"; anything else is ignored (and counted in the
// frame's data-mp-ignored). Every call is checked: its shape, its size
// (16 KB of JSON), its method (the allow-list below) and each parameter's
// type; a bad call is answered mp.bad_call. The host does the work with its
// own same-origin JSON routes (/api/plaza/mp/apps/{appid}/…) and its own
// sheets, which the app can neither draw nor reach: the pay sheet (amount
// and payee from the server's order, never from the app; the member's PIN),
// the consent sheet and the scan sheet, one at a time (mp.busy). Nothing the
// app sends is evaluated or put into HTML: text goes in with textContent.

const host = document.querySelector("[data-mp-host]");
const frame = host?.querySelector("[data-mp-frame]");
const MAX_BYTES = 16 * 1024;
const MAX_RUNNING = 16; // calls being answered at once

class CallError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}
const badCall = (why) => new CallError("mp.bad_call", why);
const cancelled = () => new CallError("mp.cancelled", "The member closed the sheet.");
const toast = (text) => window.plazaUI?.toast(text);
const texts = host?.dataset ?? {};
const base = host ? `/api/plaza/mp/apps/${encodeURIComponent(host.dataset.mpAppid)}` : "";

// ---- Plaza's JSON routes ------------------------------------------------------

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (_) {
    throw new CallError("mp.network", "The network is not available.");
  }
  const text = await res.text().catch(() => "");
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    throw new CallError(res.ok ? "mp.bad_answer" : `mp.http_${res.status}`, "Plaza gave an unexpected answer.");
  }
  if (!res.ok) {
    const code = typeof data?.code === "string" && data.code ? data.code : `mp.http_${res.status}`;
    throw new CallError(code, typeof data?.message === "string" ? data.message : "");
  }
  return data;
}

const segment = (s) => encodeURIComponent(s);

// ---- Checking calls --------------------------------------------------------------

const isPlain = (v) => {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const text = (min, max) => (v) => typeof v === "string" && v.length >= min && v.length <= max;
const optional = (check) => (v) => v === undefined || check(v);
// A storage key or an order number goes into a URL path: never a dot segment.
const pathPart = (max) => (v) => text(1, max)(v) && v !== "." && v !== ".." && !/[\u0000-\u001f\u007f]/.test(v);
const cents = (v) => Number.isSafeInteger(v) && v > 0;

// The methods an app may call: each one's parameters and what it does.
const METHODS = new Map([
  ["getLaunchOptions", { params: {}, run: launchOptions }],
  ["login", { params: {}, run: () => api("POST", "/login", {}) }],
  ["getUserProfile", { params: {}, run: userProfile }],
  ["requestPayment", { params: { orderNo: pathPart(64), amount: cents, description: optional(text(0, 100)) }, run: requestPayment }],
  ["scanCode", { params: {}, needs: "scanCode", run: () => withSheet(() => scan.open()) }],
  ["share", { params: { title: optional(text(0, 60)), path: optional(text(0, 200)) }, needs: "share", run: share }],
  // Close goes where the close button goes: where the member came from (ui.js's Back), else BackHref.
  ["close", { params: {}, run: () => leave(document.querySelector("[data-mp-close]")?.href || host.dataset.mpBack, { closed: true }) }],
  ["storage.get", { params: { key: pathPart(64) }, run: (p) => api("GET", `/storage/${segment(p.key)}`) }],
  ["storage.set", { params: { key: pathPart(64), value: text(0, MAX_BYTES) }, run: (p) => api("PUT", `/storage/${segment(p.key)}`, { value: p.value }) }],
  ["storage.remove", { params: { key: pathPart(64) }, run: (p) => api("DELETE", `/storage/${segment(p.key)}`) }],
  ["storage.keys", { params: {}, run: () => api("GET", "/storage") }],
]);

// check returns the call's method and parameters, or throws mp.bad_call.
function check(call) {
  let json;
  try {
    json = JSON.stringify(call);
  } catch (_) {
    throw badCall("The call is not JSON.");
  }
  if (new TextEncoder().encode(json).length > MAX_BYTES) throw badCall("The call is larger than 16 KB.");
  if (typeof call.method !== "string" || !METHODS.has(call.method)) throw badCall("Unknown method.");
  const method = METHODS.get(call.method);
  // scanCode and share run in the host only: the manifest must ask for them
  // (the server checks payment, storage and userInfo itself).
  if (method.needs && !(host.dataset.mpPermissions || "").split(" ").includes(method.needs)) {
    throw new CallError("mp.permission_missing", "This mini program did not ask for that permission.");
  }
  const params = call.params;
  if (!isPlain(params)) throw badCall("params must be an object.");
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(method.params, name)) throw badCall(`Unknown parameter ${name}.`);
  }
  for (const [name, ok] of Object.entries(method.params)) {
    if (!ok(params[name])) throw badCall(`Invalid parameter ${name}.`);
  }
  return { method, params };
}

// ---- Messages ------------------------------------------------------------------------

let running = 0;

function post(message) {
  frame.contentWindow?.postMessage(message, "*"); // the sandbox's origin is opaque: "*" is the only target
}

function ignore() {
  frame.dataset.mpIgnored = String((Number(frame.dataset.mpIgnored) || 0) + 1);
}

async function answer(call) {
  const id = call.id;
  let result;
  try {
    const { method, params } = check(call);
    if (running >= MAX_RUNNING) throw new CallError("mp.busy", "Too many calls at once.");
    frame.dataset.mpCalls = String((Number(frame.dataset.mpCalls) || 0) + 1);
    running++;
    try {
      result = await method.run(params);
    } finally {
      running--;
    }
  } catch (err) {
    const code = err instanceof CallError ? err.code : "mp.failed";
    post({ plaza: "reply", id, ok: false, error: { code, message: String(err?.message || code) } });
    return;
  }
  post({ plaza: "reply", id, ok: true, result: result === undefined ? null : result });
}

function listen() {
  window.addEventListener("message", (event) => {
    const win = frame.contentWindow;
    if (!win || event.source !== win || event.origin !== "null") return ignore();
    const data = event.data;
    if (!isPlain(data)) return ignore();
    if (data.plaza === "hello") return post({ plaza: "ready" });
    if (data.plaza !== "call" || typeof data.id !== "string" || !data.id || data.id.length > 64) return ignore();
    answer(data);
  });
  frame.dataset.mpReady = "";
  post({ plaza: "ready" }); // a bridge that said hello before we listened
}

// ---- The methods ------------------------------------------------------------------

function launchOptions() {
  const options = {};
  for (const [name, value] of new URLSearchParams(host.dataset.mpLaunch || "")) {
    if (!Object.hasOwn(options, name)) options[name] = value;
  }
  return options;
}

// One sheet at a time: a second pay, consent or scan is mp.busy.
let sheetOpen = false;
async function withSheet(run) {
  if (sheetOpen) throw new CallError("mp.busy", "Another sheet is open.");
  sheetOpen = true;
  try {
    return await run();
  } finally {
    sheetOpen = false;
  }
}

const profileOf = (p) => ({ nickname: String(p?.nickname ?? ""), avatar: String(p?.avatar ?? "") });

async function userProfile() {
  try {
    return profileOf(await api("GET", "/profile"));
  } catch (err) {
    if (err.code !== "mp.consent_needed") throw err;
  }
  const allowed = await withSheet(() => consent.ask());
  if (!allowed) throw new CallError("mp.denied", "The member did not share their profile.");
  const given = await api("POST", "/profile", { allow: true });
  return profileOf(given && typeof given.nickname === "string" ? given : await api("GET", "/profile"));
}

function requestPayment(p) {
  return withSheet(async () => {
    const order = await api("GET", `/orders/${segment(p.orderNo)}`);
    if (!isPlain(order) || order.amount !== p.amount) {
      throw new CallError("mp.amount_mismatch", "The order's amount is not the amount asked for.");
    }
    if (order.status === "paid") throw new CallError("mp.order_paid", "The order is paid already.");
    return pay.open(order, p.orderNo);
  });
}

function share(p) {
  const url = new URL(host.dataset.mpShare, location.href);
  if (p.title) url.searchParams.set("title", p.title);
  if (p.path) url.searchParams.set("path", p.path);
  return leave(url.href, { opened: true });
}

// leave answers first, then takes the member to another page of Plaza.
function leave(href, result) {
  const url = new URL(href || "/", location.href);
  if (url.origin !== location.origin) throw new CallError("mp.failed", "Not a Plaza page.");
  setTimeout(() => location.assign(url.href), 50);
  return result;
}

// ---- Sheets ---------------------------------------------------------------------------

// closeOnBackdrop closes a sheet on a tap outside it, as the other sheets do.
function closeOnBackdrop(sheet, value) {
  sheet.addEventListener("click", (event) => {
    if (event.target === sheet) sheet.close(value);
  });
}

const consent = {
  sheet: document.querySelector("[data-mp-consent-sheet]"),
  ask() {
    const sheet = this.sheet;
    sheet.returnValue = "";
    return new Promise((resolve) => {
      sheet.addEventListener(
        "close",
        () => {
          frame.focus();
          resolve(sheet.returnValue === "allow");
        },
        { once: true },
      );
      sheet.showModal();
      sheet.querySelector("button[value=deny]").focus(); // the safe choice first
    });
  },
};

const newKey = () => {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
};

const fill = (el, value) => {
  el.textContent = value || "";
  el.hidden = !value;
};
const amountText = (order) =>
  typeof order.amount_text === "string" && order.amount_text ? order.amount_text : (texts.mpCurrency || "") + (order.amount / 100).toFixed(2);

// The pay sheet: filled from the server's order; the sixth digit pays.
const pay = {
  sheet: document.querySelector("[data-mp-pay-sheet]"),
  state: "closed", // idle: typing; ready: six digits; sending; closed
  settle: null,
  orderNo: "",
  key: "",
  timer: 0,

  open(order, orderNo) {
    const s = this.sheet;
    s.querySelector("[data-mp-pay-app]").textContent = typeof order.app_name === "string" && order.app_name ? order.app_name : s.querySelector("[data-mp-pay-app]").textContent;
    fill(s.querySelector("[data-mp-pay-amount]"), amountText(order));
    fill(s.querySelector("[data-mp-pay-description]"), typeof order.description === "string" ? order.description : "");
    const today = typeof order.paid_today_text === "string" ? order.paid_today_text : "";
    const cap = typeof order.cap_text === "string" ? order.cap_text : "";
    fill(s.querySelector("[data-mp-pay-today]"), today && (texts.textPayToday || "%{amount}").replace("%{amount}", today));
    fill(s.querySelector("[data-mp-pay-cap]"), cap && (texts.textPayCap || "%{amount}").replace("%{amount}", cap));
    this.orderNo = orderNo;
    this.key = newKey(); // one payment attempt: the server applies it once
    this.reset("");
    s.showModal();
    this.input.focus();
    this.draw();
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  },

  get input() {
    return this.sheet.querySelector("[data-mp-pin]");
  },

  reset(message) {
    const error = this.sheet.querySelector("[data-mp-pay-error]");
    fill(error, message);
    if (message) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
    this.state = "idle";
    this.input.readOnly = false;
    this.input.value = "";
  },

  draw() {
    const input = this.input;
    const digits = input.value.replace(/\D/g, "").slice(0, 6);
    if (digits !== input.value) input.value = digits;
    const focused = document.activeElement === input;
    this.sheet.querySelectorAll("[data-mp-pin-box]").forEach((cell, i) => {
      cell.textContent = i < digits.length ? "•" : "";
      const next = focused && i === Math.min(digits.length, 5);
      cell.classList.toggle("ring-2", next);
      cell.classList.toggle("ring-brand", next);
    });
  },

  finish(ok, value) {
    const settle = this.settle;
    this.settle = null;
    if (settle) (ok ? settle.resolve : settle.reject)(value);
  },

  async send() {
    this.state = "sending";
    try {
      await api("POST", `/orders/${segment(this.orderNo)}/pay`, { pin: this.input.value, key: this.key });
    } catch (err) {
      if (/\.pin_(wrong|format)$/.test(err.code) && this.sheet.open) {
        this.key = newKey(); // refused: nothing was paid
        this.reset(err.message || texts.textError);
        this.input.focus();
        this.draw();
        return;
      }
      this.state = "closed";
      if (this.sheet.open) this.sheet.close();
      toast(err.message || texts.textError);
      this.finish(false, err);
      return;
    }
    this.state = "closed";
    if (this.sheet.open) this.sheet.close();
    toast(texts.textPaid);
    this.finish(true, { status: "paid", orderNo: this.orderNo });
  },

  wire() {
    const s = this.sheet;
    const input = this.input;
    const close = s.querySelector("[data-mp-pay-close]");
    input.addEventListener("focus", () => this.draw());
    input.addEventListener("blur", () => this.draw());
    input.addEventListener("input", () => {
      this.draw();
      if (this.state !== "idle" || input.value.length < 6) return;
      this.state = "ready";
      input.readOnly = true;
      this.timer = setTimeout(() => this.send(), 150); // the sixth dot shows first
    });
    s.querySelector("[data-mp-keypad]").addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]")?.dataset.key;
      if (!key || this.state !== "idle") return;
      input.value = key === "del" ? input.value.slice(0, -1) : (input.value + key).slice(0, 6);
      input.focus({ preventScroll: true });
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    // While the payment is on its way the sheet stays: its answer settles the call.
    s.addEventListener("cancel", (event) => {
      if (this.state === "sending") event.preventDefault();
    });
    close.addEventListener("click", () => this.state !== "sending" && s.close());
    s.addEventListener("click", (event) => {
      if (event.target === s && this.state !== "sending") s.close();
    });
    s.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      event.preventDefault();
      (document.activeElement === input ? close : input).focus();
    });
    s.addEventListener("close", () => {
      clearTimeout(this.timer);
      frame.focus();
      if (this.state === "sending") return;
      this.state = "closed";
      input.value = "";
      this.draw();
      this.finish(false, cancelled());
    });
  },
};

// The scan sheet: the Scan page's reader (scan.js), or a code pasted in.
const scan = {
  sheet: document.querySelector("[data-mp-scan-sheet]"),
  pending: null,
  stop: null,

  async open() {
    const s = this.sheet;
    if (!this.stop) {
      let reader;
      try {
        reader = await import(host.dataset.mpScanJs);
      } catch (_) {
        throw new CallError("mp.network", "The scanner could not be loaded.");
      }
      this.stop = reader.scanner(s.querySelector("[data-mp-scanner]"), (code) => this.give(code));
    }
    s.querySelector("[data-scan-message]").hidden = true;
    s.querySelector("[data-mp-scan-form]").elements.code.value = "";
    s.showModal();
    s.querySelector("[data-scan-camera]").focus();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  },

  give(code) {
    const pending = this.pending;
    this.pending = null;
    if (this.sheet.open) this.sheet.close();
    pending?.resolve({ result: String(code) });
  },

  wire() {
    const s = this.sheet;
    s.querySelector("[data-mp-scan-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      const code = event.target.elements.code.value.trim();
      if (code) this.give(code);
      else event.target.elements.code.focus();
    });
    s.querySelector("[data-mp-scan-close]").addEventListener("click", () => s.close());
    closeOnBackdrop(s, "");
    s.addEventListener("close", () => {
      this.stop?.();
      frame.focus();
      const pending = this.pending;
      this.pending = null;
      pending?.reject(cancelled());
    });
  },
};

// ---- The ··· menu's Star --------------------------------------------------------------

function wireStar() {
  const form = document.querySelector("[data-mp-star]");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const on = form.dataset.starred !== "1";
    try {
      await api(on ? "POST" : "DELETE", "/star");
    } catch (err) {
      toast(err.message || texts.textError);
      return;
    }
    form.dataset.starred = on ? "1" : "0";
    form.querySelector("[data-mp-star-on]").value = on ? "0" : "1";
    const button = form.querySelector("button");
    button.textContent = on ? form.dataset.labelUnstar : form.dataset.labelStar;
    button.setAttribute("aria-pressed", String(on));
    document.querySelector("[data-mp-menu]")?.hidePopover?.();
    toast(on ? form.dataset.doneStar : form.dataset.doneUnstar);
  });
}

if (host && frame) {
  pay.wire();
  scan.wire();
  closeOnBackdrop(consent.sheet, "deny");
  wireStar();
  listen();
}
