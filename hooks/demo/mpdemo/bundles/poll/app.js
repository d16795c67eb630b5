// Community Poll: a demo mini program. Voting logs in (plaza.login → a
// one-time code the poll's server trades for the member's openid: one
// vote per openid). On opening, the poll asks its server whether you voted
// already by sending the launch parameters the host signed with the
// AppSecret: no login needed to recognise you.
(function () {
  "use strict";

  var API = "/mp-demo/poll/api";
  var results = null;
  var picked = "";
  var mine = null; // the option this member voted for, once known
  var busy = false;

  function $(id) { return document.getElementById(id); }

  function say(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.classList.toggle("error", !!isError);
  }

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
      var err = new Error(data.message || "The poll did not answer (" + res.status + ").");
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

  function label(o) {
    for (var i = 0; results && i < results.options.length; i++) {
      if (results.options[i].id === o) return results.options[i].emoji + " " + results.options[i].label;
    }
    return o;
  }

  function drawOptions() {
    var box = $("options");
    box.textContent = "";
    results.options.forEach(function (o) {
      var b = el("button", "option");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.setAttribute("aria-checked", String((mine || picked) === o.id));
      b.dataset.testid = "poll-option-" + o.id;
      b.disabled = busy || mine !== null;
      b.appendChild(el("span", "emoji", o.emoji));
      var text = el("span", "text", o.label);
      var zh = el("span", "zh", o.local);
      zh.lang = "zh";
      text.appendChild(zh);
      b.appendChild(text);
      b.appendChild(el("span", "check", (mine || picked) === o.id ? "✓" : ""));
      b.addEventListener("click", function () { picked = o.id; draw(); });
      box.appendChild(b);
    });
    $("vote").disabled = busy || mine !== null || !picked;
    $("vote").textContent = mine !== null ? "Voted" : busy ? "Voting…" : "Vote";
  }

  function drawResults() {
    var list = $("results");
    list.textContent = "";
    var total = results.total || 0;
    $("total").textContent = total === 1 ? "1 vote" : total + " votes";
    results.options.forEach(function (o) {
      var pct = total ? Math.round((o.votes * 100) / total) : 0;
      var li = el("li");
      li.dataset.testid = "poll-bar-" + o.id;
      li.dataset.votes = String(o.votes);
      var head = el("div", "row-head");
      var name = el("span", mine === o.id ? "mine" : "", o.emoji + " " + o.label + (mine === o.id ? " · your vote" : ""));
      head.appendChild(name);
      head.appendChild(el("span", "count", o.votes + " · " + pct + "%"));
      li.appendChild(head);
      var track = el("div", "track");
      track.setAttribute("role", "img");
      track.setAttribute("aria-label", o.label + ": " + pct + "%");
      var fill = el("div", "fill");
      track.appendChild(fill);
      li.appendChild(track);
      list.appendChild(li);
      requestAnimationFrame(function () { fill.style.width = pct + "%"; });
    });
  }

  function draw() {
    if (!results) return;
    $("question").textContent = results.question;
    $("question-local").textContent = results.local;
    drawOptions();
    drawResults();
  }

  // launchQuery is the signed launch the host gave this page: the
  // address's #fragment (plaza.launch), else the host's answer.
  async function launchQuery() {
    if (plaza.launch) return location.hash.replace(/^#/, "");
    var o = await plaza.getLaunchOptions();
    return new URLSearchParams({ appid: o.appid, openid: o.openid, scene: o.scene, ts: String(o.ts), sig: o.sig }).toString();
  }

  async function whoAmI() {
    try {
      var me = await api("/me", { launch: await launchQuery() });
      if (me.voted) {
        mine = me.voted;
        say("You voted for " + label(mine) + ".");
        draw();
      }
    } catch (e) {
      // Not recognised: the member can still vote (and the server will
      // tell if they did already).
    }
  }

  async function vote() {
    if (busy || !picked || mine !== null) return;
    busy = true;
    draw();
    say("Voting…");
    try {
      var login = await plaza.login();
      results = await api("/vote", { code: login.code, choice: picked });
      mine = results.voted || picked;
      say("Thanks! You voted for " + label(mine) + ".");
    } catch (e) {
      if (e.code === "demo.already_voted") {
        mine = e.data.choice || null;
        say("You already voted" + (mine ? " for " + label(mine) : "") + ".", true);
        results = await api("/results").catch(function () { return results; });
      } else {
        say(e.message || "Something went wrong.", true);
      }
    } finally {
      busy = false;
      draw();
    }
  }

  async function share() {
    try {
      await plaza.share({ title: "Community Poll: " + (results ? results.question : "vote now"), path: "" });
    } catch (e) {
      if (e.code !== "mp.cancelled") say(e.message || "Could not share.", true);
    }
  }

  async function start() {
    try {
      results = await api("/results");
      draw();
    } catch (e) {
      say(e.message, true);
      return;
    }
    whoAmI();
  }

  $("vote").addEventListener("click", vote);
  $("share").addEventListener("click", share);
  start();
})();
