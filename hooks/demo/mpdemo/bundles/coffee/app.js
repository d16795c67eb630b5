// Corner Café: a demo mini program. The menu and every price come from the
// café's own server (/mp-demo/coffee/api); the server prices the order,
// creates it at Plaza, and after plaza.requestPayment asks Plaza whether it
// was paid. This page never decides what is owed or paid.
(function () {
  "use strict";

  var API = "/mp-demo/coffee/api";
  var menu = [];
  var qty = {};
  var session = "";
  var busy = false;

  function $(id) { return document.getElementById(id); }

  function money(cents) { return "¥" + (cents / 100).toFixed(2); }

  function say(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.classList.toggle("error", !!isError);
  }

  // api calls the café's server: no cookies (the app's frame has none
  // anyway), JSON in and out; a refusal throws an Error with .code.
  async function api(path, body) {
    var init = { credentials: "omit", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var res = await fetch(API + path, init);
    var data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (!res.ok) {
      var err = new Error(data.message || "The café did not answer (" + res.status + ").");
      err.code = data.code || "http_" + res.status;
      err.data = data.data || {};
      throw err;
    }
    return data;
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function drinkRow(d) {
    var li = el("li", "drink");
    li.dataset.testid = "cafe-item-" + d.id;
    li.appendChild(el("div", "emoji", d.emoji));
    var info = el("div", "info");
    info.appendChild(el("div", "name", d.name));
    var note = el("div", "note");
    var local = el("span", "local", d.local);
    local.lang = "zh";
    note.appendChild(local);
    note.appendChild(document.createTextNode(" · " + d.note));
    info.appendChild(note);
    info.appendChild(el("div", "price", money(d.price)));
    li.appendChild(info);
    var stepper = el("div", "stepper");
    var minus = el("button", "remove", "−");
    minus.type = "button";
    minus.setAttribute("aria-label", "One less " + d.name);
    minus.dataset.testid = "cafe-remove-" + d.id;
    var count = el("span", "qty", "0");
    count.setAttribute("aria-live", "polite");
    count.dataset.testid = "cafe-qty-" + d.id;
    var plus = el("button", "add", "+");
    plus.type = "button";
    plus.setAttribute("aria-label", "One more " + d.name);
    plus.dataset.testid = "cafe-add-" + d.id;
    minus.addEventListener("click", function () { change(d.id, -1); });
    plus.addEventListener("click", function () { change(d.id, 1); });
    stepper.appendChild(minus);
    stepper.appendChild(count);
    stepper.appendChild(plus);
    li.appendChild(stepper);
    d.nodes = { minus: minus, plus: plus, count: count };
    return li;
  }

  function change(id, by) {
    var n = Math.max(0, Math.min(9, (qty[id] || 0) + by));
    qty[id] = n;
    render();
  }

  function lines() {
    return menu.filter(function (d) { return qty[d.id] > 0; }).map(function (d) { return { id: d.id, qty: qty[d.id] }; });
  }

  function render() {
    var total = 0;
    menu.forEach(function (d) {
      var n = qty[d.id] || 0;
      total += n * d.price;
      d.nodes.count.textContent = String(n);
      d.nodes.minus.disabled = busy || n === 0;
      d.nodes.plus.disabled = busy || n === 9;
    });
    $("total").textContent = money(total);
    $("pay").disabled = busy || total === 0;
    $("pay").textContent = busy ? "Working…" : "Order and pay";
  }

  async function loadMenu() {
    try {
      var data = await api("/menu");
      menu = data.menu || [];
      var list = $("menu");
      list.textContent = "";
      menu.forEach(function (d) { list.appendChild(drinkRow(d)); });
      list.removeAttribute("aria-busy");
      render();
    } catch (e) {
      say(e.message, true);
    }
  }

  // signIn asks the host for a one-time login code and trades it at the
  // café's server for the café's own session.
  async function signIn() {
    var login = await plaza.login();
    var s = await api("/session", { code: login.code });
    session = s.session;
  }

  async function placeOrder() {
    if (!session) await signIn();
    try {
      return await api("/orders", { session: session, items: lines() });
    } catch (e) {
      if (e.code !== "demo.session_bad") throw e;
      await signIn();
      return api("/orders", { session: session, items: lines() });
    }
  }

  async function checkout() {
    if (busy) return;
    busy = true;
    render();
    say("Placing your order…");
    try {
      var order = await placeOrder();
      say("Confirm " + money(order.amount) + " on Plaza's pay sheet.");
      await plaza.requestPayment({ orderNo: order.order_no, amount: order.amount, description: order.description });
      say("Checking the payment with the café…");
      var done = await api("/orders/" + encodeURIComponent(order.order_no) + "/confirm", { session: session });
      if (done.status === "paid") {
        showDone(done);
      } else {
        say("The café has not seen the payment yet: order " + done.order_no + ".", true);
      }
    } catch (e) {
      if (e.code === "mp.cancelled") say("Payment cancelled: nothing was charged.");
      else say(e.message || "Something went wrong.", true);
    } finally {
      busy = false;
      render();
    }
  }

  function showDone(order) {
    $("order-view").hidden = true;
    $("bar").hidden = true;
    $("done-no").textContent = order.order_no;
    $("done-items").textContent = order.description + " · " + money(order.amount);
    $("done").hidden = false;
    $("again").focus();
  }

  function again() {
    qty = {};
    say("");
    $("done").hidden = true;
    $("order-view").hidden = false;
    $("bar").hidden = false;
    render();
  }

  $("pay").addEventListener("click", checkout);
  $("again").addEventListener("click", again);
  loadMenu();
})();
