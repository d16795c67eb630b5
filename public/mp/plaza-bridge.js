/*
 * plaza-bridge.js: the Plaza mini-program bridge. Include it in your app's
 * pages (no build step, no dependencies):
 *
 *   <script src="/public/mp/plaza-bridge.js"></script>
 *
 * Your app runs in a sandboxed frame of Plaza's host page; this file talks
 * to the host with postMessage. Every method returns a Promise; a refusal
 * rejects with an Error whose .code says why (e.g. "mp.cancelled",
 * "mp.denied", "mp.busy", "mp.bad_call", "mp.timeout", "mp.no_host", or a
 * server code such as "mp.amount_mismatch"). See docs/MINIPROGRAMS.md.
 *
 *   plaza.launch                   how the app was opened, read from the
 *                                  address's #fragment: {appid, openid,
 *                                  scene, ts, sig, path?} (strings), or null
 *   plaza.getLaunchOptions()       the same, from the host (signed: verify
 *                                  sig with your AppSecret on your server)
 *   plaza.login()                  → {code, expires_in}: a one-time code
 *                                  your server exchanges for the openid
 *   plaza.getUserProfile()         → {nickname, avatar}; the member is asked
 *                                  once ("mp.denied" if they refuse)
 *   plaza.requestPayment({orderNo, amount, description})
 *                                  → {status: "paid", orderNo}; orderNo is an
 *                                  order your server created, amount in
 *                                  cents must equal it; the host draws the
 *                                  pay sheet and the member enters their PIN
 *   plaza.scanCode()               → {result}: the text of a QR code
 *   plaza.share({title, path})     → {opened: true}: the share page opens
 *   plaza.close()                  leaves the app
 *   plaza.storage.get(key)         per-member storage of this app, on Plaza
 *   plaza.storage.set(key, value)  (key 1–64 characters, value a string;
 *   plaza.storage.remove(key)       size-limited): resolve with the
 *   plaza.storage.keys()            server's JSON answer
 *
 * Calls that answer at once time out after 15 s; payment, scanning and the
 * profile (which may ask the member) wait for the member.
 */
(function () {
  "use strict";
  if (window.plaza) return;

  var TIMEOUT = 15000;
  var host = window.parent !== window ? window.parent : null;
  var pending = {};
  var queue = []; // calls made before the host said it is ready
  var ready = false;
  var seq = 0;
  var prefix = Math.random().toString(36).slice(2, 10) + "-";

  function fail(code, message) {
    var err = new Error(message || code);
    err.code = code;
    return err;
  }

  function send(message) {
    host.postMessage(message, "*"); // the frame's origin is opaque: the host checks the source
  }

  window.addEventListener("message", function (event) {
    if (!host || event.source !== host) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.plaza === "ready") {
      if (ready) return;
      ready = true;
      var waiting = queue;
      queue = [];
      for (var i = 0; i < waiting.length; i++) send(waiting[i]);
      return;
    }
    if (data.plaza !== "reply" || typeof data.id !== "string") return;
    var call = pending[data.id];
    if (!call) return;
    delete pending[data.id];
    clearTimeout(call.timer);
    if (data.ok) {
      call.resolve(data.result);
    } else {
      var e = data.error || {};
      call.reject(fail(String(e.code || "mp.failed"), String(e.message || "")));
    }
  });

  function call(method, params, timeout) {
    return new Promise(function (resolve, reject) {
      if (!host) {
        reject(fail("mp.no_host", "Not inside a Plaza host page."));
        return;
      }
      var id = prefix + ++seq;
      var entry = { resolve: resolve, reject: reject, timer: 0 };
      if (timeout) {
        entry.timer = setTimeout(function () {
          delete pending[id];
          reject(fail("mp.timeout", method + " had no answer."));
        }, timeout);
      }
      pending[id] = entry;
      var message = { plaza: "call", id: id, method: method, params: params || {} };
      if (ready) send(message);
      else queue.push(message);
    });
  }

  // pick copies the named options that are set.
  function pick(options, names) {
    var out = {};
    options = options || {};
    for (var i = 0; i < names.length; i++) {
      if (options[names[i]] !== undefined) out[names[i]] = options[names[i]];
    }
    return out;
  }

  function parseLaunch() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash || typeof URLSearchParams !== "function") return null;
    var params = new URLSearchParams(hash);
    if (!params.has("appid") || !params.has("sig")) return null;
    var out = {};
    params.forEach(function (value, name) {
      if (!Object.prototype.hasOwnProperty.call(out, name)) out[name] = value;
    });
    return out;
  }

  window.plaza = {
    launch: parseLaunch(),
    getLaunchOptions: function () {
      return call("getLaunchOptions", {}, TIMEOUT);
    },
    login: function () {
      return call("login", {}, TIMEOUT);
    },
    getUserProfile: function () {
      return call("getUserProfile", {}, 0);
    },
    requestPayment: function (options) {
      return call("requestPayment", pick(options, ["orderNo", "amount", "description"]), 0);
    },
    scanCode: function () {
      return call("scanCode", {}, 0);
    },
    share: function (options) {
      return call("share", pick(options, ["title", "path"]), TIMEOUT);
    },
    close: function () {
      return call("close", {}, TIMEOUT);
    },
    storage: {
      get: function (key) {
        return call("storage.get", { key: key }, TIMEOUT);
      },
      set: function (key, value) {
        return call("storage.set", { key: key, value: value }, TIMEOUT);
      },
      remove: function (key) {
        return call("storage.remove", { key: key }, TIMEOUT);
      },
      keys: function () {
        return call("storage.keys", {}, TIMEOUT);
      },
    },
  };

  if (host) send({ plaza: "hello" });
})();
