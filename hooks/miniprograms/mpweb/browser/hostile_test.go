package browser_test

// The hostile mini program: index.html loads the bridge and hostile.js,
// which tries every way out of the sandbox and writes each outcome, as
// JSON, into <pre id=results> (the test reads it from the frame's DOM);
// data-done on <body> says it has finished. forge.js runs in a frame the
// hostile page nests (srcdoc) and posts forged bridge calls to the top
// window.

const hostileHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Totally a coffee shop</title>
<script src="/public/mp/plaza-bridge.js"></script>
<script src="hostile.js"></script>
</head><body><h1>Coffee</h1><div id="fake"></div><pre id="results">{}</pre></body></html>`

// forgeJS runs in the nested frame: three forged calls to the host, then
// it tells its parent, and reports any answer the host sends it.
const forgeJS = `
top.postMessage({plaza: "hello"}, "*");
top.postMessage({plaza: "call", id: "forged-1", method: "storage.set", params: {key: "forged", value: "x"}}, "*");
top.postMessage({plaza: "call", id: "forged-2", method: "requestPayment", params: {orderNo: "H-1", amount: 500}}, "*");
window.addEventListener("message", function (e) { parent.postMessage({forge: "reply", data: JSON.stringify(e.data)}, "*"); });
parent.postMessage({forge: "sent"}, "*");
`

// hostileJS records each attempt as {ok, value} or {ok: false, error}.
const hostileJS = `(function () {
  "use strict";
  var out = {};
  var pre = function () { return document.getElementById("results"); };
  function record(name, r) { out[name] = r; pre().textContent = JSON.stringify(out); }
  function describe(e) { return (e && typeof e.code === "string" && e.code) || ((e && e.name) + ": " + (e && e.message)); }
  function attempt(name, fn) {
    try { record(name, {ok: true, value: String(fn())}); } catch (e) { record(name, {ok: false, error: describe(e)}); }
  }
  async function later(name, fn) {
    try { record(name, {ok: true, value: await fn()}); } catch (e) { record(name, {ok: false, error: describe(e)}); }
  }
  var violations = [];
  document.addEventListener("securitypolicyviolation", function (e) {
    violations.push(e.violatedDirective + " " + e.blockedURI);
    record("violations", {ok: true, value: violations});
  });
  var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  async function status(url, init) {
    var r = await fetch(url, init);
    return r.status + " " + (await r.text()).slice(0, 200);
  }
  function socket() {
    return new Promise(function (resolve, reject) {
      var s = new WebSocket("ws://" + location.host + "/ws");
      s.onopen = function () { resolve("open"); };
      s.onmessage = function (e) { resolve("message " + String(e.data).slice(0, 100)); };
      s.onerror = function () { reject(new Error("error event")); };
      s.onclose = function (e) { reject(new Error("closed " + e.code)); };
      setTimeout(function () { reject(new Error("timeout")); }, 5000);
    });
  }
  function forge() {
    return new Promise(function (resolve) {
      var replies = [], sent = false;
      window.addEventListener("message", function (e) {
        if (!e.data || !e.data.forge) return;
        if (e.data.forge === "sent") sent = true; else replies.push(e.data.data);
      });
      var f = document.createElement("iframe");
      f.srcdoc = '<script src="' + new URL("forge.js", location.href).href + '"><\/script>';
      document.body.appendChild(f);
      setTimeout(function () { resolve({sent: sent, replies: replies}); }, 1500);
    });
  }
  function fakeSheet(appid) {
    var d = document.getElementById("fake");
    d.innerHTML = '<div data-testid="mp-pay-sheet" style="position:fixed;inset:auto 0 0 0;background:#fff">' +
      '<p>Pay 5.00 to Shop</p><input id="fake-pin" inputmode="numeric" value="135790">' +
      '<form id="fake-form" method="post" target="sink" action="/api/plaza/mp/apps/' + appid + '/orders/H-1/pay">' +
      '<input name="pin" value="135790"><input name="key" value="fake-sheet-key-1"></form>' +
      '<iframe name="sink"></iframe></div>';
    var pin = document.getElementById("fake-pin").value;
    later("fakeSheetFetch", function () {
      return status("/api/plaza/mp/apps/" + appid + "/orders/H-1/pay", {method: "POST", credentials: "include",
        headers: {"Content-Type": "text/plain"}, body: JSON.stringify({pin: pin, key: "fake-sheet-key-2"})});
    });
    attempt("fakeSheetForm", function () { document.getElementById("fake-form").submit(); return "submitted"; });
  }

  async function run() {
    var appid = (window.plaza && plaza.launch && plaza.launch.appid) || "";
    record("launch", {ok: !!appid, value: appid});
    attempt("cookie", function () { return document.cookie; });
    attempt("localStorage", function () { localStorage.setItem("x", "1"); return localStorage.getItem("x"); });
    attempt("sessionStorage", function () { sessionStorage.setItem("x", "1"); return sessionStorage.getItem("x"); });
    await later("indexedDB", function () {
      return new Promise(function (resolve, reject) {
        var r = indexedDB.open("steal");
        r.onsuccess = function () { resolve("opened"); };
        r.onerror = function () { reject(r.error); };
      });
    });
    await later("fetchWallet", function () { return status("/api/plaza/wallet", {credentials: "include"}); });
    await later("postTransfer", function () {
      return status("/api/plaza/wallet/transfers", {method: "POST", credentials: "include", headers: {"Content-Type": "text/plain"},
        body: JSON.stringify({to: "x", amount: 100, pin: "135790"})});
    });
    await later("fetchMPOrder", function () { return status("/api/plaza/mp/apps/" + appid + "/orders/H-1", {credentials: "include"}); });
    attempt("topLocation", function () { top.location = "/evil"; return "assigned"; });
    attempt("topDocument", function () { return top.document.title; });
    attempt("parentDocument", function () { return parent.document.cookie; });
    attempt("windowOpen", function () { return window.open("/evil", "_blank"); });
    await later("webSocket", socket);
    await later("forge", forge);
    fakeSheet(appid);
    await sleep(500);
    await later("wrongAmount", function () { return plaza.requestPayment({orderNo: "H-1", amount: 1, description: "coffee"}); });
    await later("othersOrder", function () { return plaza.requestPayment({orderNo: "H-bob", amount: 300}); });
    await later("bigValue", function () { return plaza.storage.set("big", "x".repeat(70000)); });
    var chunk = "y".repeat(15000);
    for (var i = 0; i < 5; i++) {
      await later("fill" + i, function () { return plaza.storage.set("k" + i, chunk).then(function (u) { return u.used; }); });
    }
    await later("storageKeys", function () { return plaza.storage.keys(); });
    await sleep(300);
    document.body.dataset.done = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
`
