// Live chat over the /ws socket (protocol: docs/API.md). Sends carry a client
// id and wait in an outbox until acknowledged, so a retry after a reconnect
// is stored once. Each conversation has a gap-free sequence: a message that
// skips ahead triggers a sync from the last one we have, so nothing is
// missed and nothing is shown twice.

const root = document.querySelector("[data-chat]");
let list = document.querySelector("[data-chat-list]"); // replaced when the list reloads

const state = {
  conv: root?.dataset.conv || "",
  me: document.querySelector("[data-me]")?.dataset.me || "",
  lastSeq: Number(root?.dataset.lastSeq || 0),
  seqs: new Map(), // listed chat -> the last sequence its row reflects (catch-up after a reconnect)
  outbox: new Map(), // client id -> frame
  socket: null,
  backoff: 500,
};

const messages = root?.querySelector("[data-messages]");
const people = new Map([...(root?.querySelectorAll("[data-people] li") || [])].map((li) => [li.dataset.id, li.dataset]));
const status = root?.querySelector("[data-chat-status]");
const form = root?.querySelector("[data-composer]");

const newID = () =>
  crypto.randomUUID ? crypto.randomUUID() : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");

function setStatus(text) {
  if (!status) return;
  status.textContent = text || "";
  status.hidden = !text;
}

function scrollDown() {
  if (messages) messages.scrollTop = messages.scrollHeight;
}

// bubble builds the same markup as the server's BubbleView (textContent only).
function bubble(m, pending) {
  const li = document.createElement("li");
  li.dataset.testid = "msg";
  if (m.seq) li.dataset.seq = String(m.seq);
  if (m.cid) li.dataset.cid = m.cid;
  if (m.id) li.dataset.id = m.id;
  if (m.sender) li.dataset.sender = m.sender;
  li.dataset.at = m.at || new Date().toISOString();
  if (m.kind === "system" || m.recalled) {
    li.className = "self-center text-xs text-muted";
    li.dataset.notice = "";
    li.textContent = m.recalled ? recalledText(m.sender) : systemText(m.text);
    return li;
  }
  const mine = m.sender === state.me;
  if (mine) li.dataset.mine = "";
  li.className = "flex items-end gap-2 max-w-[85%] " + (mine ? "self-end flex-row-reverse" : "self-start");
  const text = body(m, mine);
  if (pending) text.classList.add("opacity-60");
  if (!mine && (m.all || (m.mentions || []).includes(state.me))) {
    li.dataset.mentioned = "";
    text.classList.add("ring-2", "ring-amber-400");
  }
  const wrap = document.createElement("div");
  wrap.className = "min-w-0";
  const person = people.get(m.sender);
  if (!mine) {
    const pat = document.createElement("a"); // tap: their card; double tap: pat
    if (m.sender) {
      pat.href = `/u/${encodeURIComponent(m.sender)}`;
      pat.dataset.pat = m.sender;
    } else {
      pat.href = root.dataset.accountHref || "#"; // an Official Account's message: its profile
    }
    if (person) pat.setAttribute("aria-label", person.name);
    pat.dataset.testid = "msg-avatar";
    pat.append(avatar(person));
    li.append(pat);
    if (root.dataset.group === "true" && person) {
      const name = document.createElement("p");
      name.className = "text-xs text-muted mb-0.5";
      name.dataset.sender = "";
      name.textContent = person.name;
      wrap.append(name);
    }
  }
  if (m.quote) {
    const q = document.createElement("p");
    q.dataset.testid = "msg-quote";
    q.className = "mb-1 rounded border-l-2 border-line bg-panel/60 px-2 py-1 text-xs text-muted line-clamp-2";
    q.textContent = `${people.get(m.quote.sender)?.name || ""}: ${m.quote.recalled ? root.dataset.textRecalled : m.quote.text}`;
    wrap.append(q);
  }
  wrap.append(text);
  const chips = document.createElement("p");
  chips.dataset.reactions = "";
  chips.className = "mt-1 flex flex-wrap gap-1";
  wrap.append(chips);
  if (m.reactions) setTimeout(() => renderChips(li, m.reactions));
  if (mine) {
    const read = document.createElement("p");
    read.dataset.read = "";
    read.dataset.testid = "msg-read";
    read.hidden = true;
    read.className = "text-right text-[10px] text-muted";
    read.textContent = root.dataset.textRead;
    wrap.append(read);
  }
  li.append(wrap);
  return li;
}

// body mirrors the server's bubbleBody: text, a picture, a file or a card.
const labels = { ...(root?.querySelector("[data-cards]")?.dataset || {}) };
try {
  Object.assign(labels, JSON.parse(labels.cardLabels || "{}"));
} catch {}
// Money cards are drawn in red-packet orange (views/chat CardClass).
const moneyCards = new Set(["redpacket", "transfer", "accepted", "returned", "aa"]);
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function menuButton() {
  const b = el("button", "px-1 text-muted", "⋯");
  b.type = "button";
  b.dataset.menuButton = "";
  b.dataset.testid = "msg-menu";
  b.setAttribute("aria-label", labels.more || "");
  return b;
}
function fit(w, h, box) {
  if (!(w > 0 && h > 0)) return [box, box];
  if (w <= box && h <= box) return [w, h];
  return w >= h ? [box, Math.max(1, Math.floor((h * box) / w))] : [Math.max(1, Math.floor((w * box) / h)), box];
}
function body(m, mine) {
  if (m.media && (m.kind === "image" || m.kind === "file")) {
    const wrap = el("div", "flex items-start gap-1");
    wrap.dataset.body = "";
    const a = el("a");
    if (m.kind === "image") {
      a.href = `/media/${encodeURIComponent(m.media.id)}`;
      a.dataset.lightbox = "";
      a.dataset.testid = "msg-image";
      a.className = "block";
      const img = el("img", "rounded-lg bg-line object-cover max-w-60 h-auto");
      img.src = `/media/${encodeURIComponent(m.media.id)}?thumb=1`;
      img.alt = m.media.name || "";
      [img.width, img.height] = fit(m.media.w, m.media.h, 240);
      a.append(img);
    } else {
      a.href = `/media/${encodeURIComponent(m.media.id)}?download=1`;
      a.dataset.testid = "msg-file";
      a.className = "flex w-64 items-center gap-3 rounded-lg bg-panel px-3 py-2";
      const info = el("span", "min-w-0 flex-1");
      const name = el("span", "block truncate font-medium", m.media.name);
      name.dataset.fileName = "";
      info.append(name, el("span", "block text-xs text-muted", humanSize(m.media.size)));
      a.append(info);
    }
    wrap.append(a, menuButton());
    return wrap;
  }
  if (m.card) {
    const wrap = el("div", "flex items-start gap-1");
    wrap.dataset.body = "";
    const a = el("a", "block w-64 rounded-lg " + (moneyCards.has(m.card.type) ? "bg-[#fa9d3b] text-white" : "bg-panel"));
    a.dataset.testid = "msg-card";
    a.dataset.cardType = m.card.type;
    a.dataset.ref = m.card.ref || "";
    const history = m.card.type === "history";
    a.href = history ? `/chats/${encodeURIComponent(m.c)}/cards/${encodeURIComponent(m.id || "")}` : m.card.link || "#";
    const top = el("span", "flex items-center gap-3 px-3 py-2");
    const info = el("span", "min-w-0 flex-1");
    const title = el("span", "block truncate font-medium", history ? (labels.historyOf || "%{names}").replace("%{names}", m.card.title) : m.card.title);
    title.dataset.cardTitle = "";
    info.append(title, el("span", "block whitespace-pre-line text-xs text-muted line-clamp-3", m.card.sub || ""));
    top.append(info);
    if (m.card.type === "contact") top.append(avatar(m.card.img ? { avatar: m.card.img } : { initial: (m.card.title || "?")[0] }, "size-10 text-base"));
    const foot = el("span", "block border-t border-line px-3 py-1 text-xs text-muted", (labels[m.card.type] || labels.generic || "") + " ");
    const stateText = el("span", "", "");
    stateText.dataset.cardStateText = "";
    stateText.dataset.testid = "card-state";
    foot.append(stateText);
    a.append(top, foot);
    wrap.append(a, menuButton());
    return wrap;
  }
  const text = el("p", "whitespace-pre-wrap break-words rounded-lg px-3 py-2 cursor-pointer " + (mine ? "bg-brand text-white" : "bg-panel"), m.text);
  text.dataset.testid = "msg-text";
  text.dataset.body = "";
  return text;
}
function humanSize(n) {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${Math.round(n / 1000)} KB`;
  if (n < 1e7) return `${Math.floor(n / 1e6)}.${Math.floor((n % 1e6) / 1e5)} MB`;
  return `${Math.round(n / 1e6)} MB`;
}
// preview is a chat-list line for a message.
function preview(m) {
  if (m.kind === "image") return labels.image || "";
  if (m.kind === "file") return (labels.file || "%{name}").replace("%{name}", m.media?.name || m.text);
  if (m.kind === "card") {
    const key = { redpacket: "previewPacket", transfer: "previewTransfer", accepted: "previewTransfer", returned: "previewTransfer", contact: "previewContact" }[m.card?.type];
    return ((key && labels[key]) || labels.card || "%{title}").replace("%{title}", m.card?.title || "");
  }
  return m.text;
}

// renderChips shows a message's reactions (emoji → members), as the
// server renders them.
const emojiOrder = [...(root?.querySelectorAll('[data-action="react"]') || [])].map((b) => b.dataset.emoji);
function renderChips(li, reactions) {
  const box = li.querySelector("[data-reactions]");
  if (!box) return;
  box.replaceChildren();
  for (const e of emojiOrder) {
    const who = reactions[e] || [];
    if (!who.length) continue;
    const chip = document.createElement("button");
    chip.type = "button";
    chip.dataset.chip = e;
    chip.dataset.testid = "reaction";
    const mine = who.includes(state.me);
    chip.className = "rounded-full border px-2 text-xs " + (mine ? "border-brand text-brand bg-brand/10" : "border-line bg-panel");
    chip.textContent = `${e} ${who.length}`;
    box.append(chip);
  }
}

function recalledText(sender) {
  if (sender === state.me) return root.dataset.textYouRecalled;
  return root.dataset.textRecalledBy.replace("%{name}", people.get(sender)?.name || "");
}

// recalled turns a bubble into the "… recalled a message" notice; the
// sender may put the text back into the composer for 5 minutes.
function recalled(f) {
  const li = messages?.querySelector(`[data-id="${CSS.escape(f.mid)}"]`);
  if (!li || li.hasAttribute("data-notice")) return;
  const mine = li.hasAttribute("data-mine");
  const sender = li.dataset.sender || "";
  const text = li.querySelector("[data-testid=msg-text]")?.textContent || "";
  li.replaceChildren();
  li.removeAttribute("data-mine");
  li.dataset.notice = "";
  li.className = "self-center text-xs text-muted";
  li.append(recalledText(mine ? state.me : sender));
  if (mine && text) {
    const again = document.createElement("button");
    again.type = "button";
    again.dataset.testid = "reedit";
    again.className = "ml-2 text-brand";
    again.textContent = root.dataset.textReedit;
    again.addEventListener("click", () => {
      form.querySelector("textarea").value = text;
      form.querySelector("textarea").focus();
    });
    li.append(again);
    setTimeout(() => again.remove(), 5 * 60 * 1000);
  }
  closeMenu();
}

// The message menu: tap a bubble for Quote (and Recall, for your own
// messages younger than 2 minutes).
const menu = root?.querySelector("[data-msg-menu]");
const lightbox = root?.querySelector("[data-lightbox-dialog]");
lightbox?.addEventListener("click", (event) => {
  if (event.target === lightbox || event.target.matches("img")) lightbox.close();
});
const replyBar = root?.querySelector("[data-reply-bar]");
state.reply = "";
state.selected = null;

function closeMenu() {
  if (!menu) return;
  menu.hidden = true;
  state.selected?.querySelector("[data-body]")?.classList.remove("ring-2", "ring-brand");
  state.selected = null;
}

function openMenu(li) {
  closeMenu();
  if (!li.dataset.id) return; // not stored yet
  state.selected = li;
  li.querySelector("[data-body]")?.classList.add("ring-2", "ring-brand");
  const young = Date.now() - new Date(li.dataset.at).getTime() < 2 * 60 * 1000;
  menu.querySelector('[data-action="recall"]').hidden = !(li.hasAttribute("data-mine") && young);
  menu.querySelector('[data-action="report"]').hidden = li.hasAttribute("data-mine");
  menu.hidden = false;
}

if (messages && menu) {
  messages.addEventListener("click", (event) => {
    const chip = event.target.closest("[data-chip]");
    if (chip) {
      send({ t: "react", c: state.conv, mid: chip.closest("li").dataset.id, emoji: chip.dataset.chip });
      return;
    }
    const shown = event.target.closest("[data-lightbox]");
    if (shown && lightbox) {
      event.preventDefault();
      lightbox.querySelector("[data-lightbox-img]").src = shown.getAttribute("href");
      lightbox.showModal();
      return;
    }
    const text = event.target.closest("[data-testid=msg-text], [data-menu-button]");
    if (text) openMenu(text.closest("li"));
  });
  // Double-tap an avatar to pat its member.
  messages.addEventListener("dblclick", (event) => {
    const who = event.target.closest("[data-pat]")?.dataset.pat;
    if (who) send({ t: "pat", c: state.conv, who });
  });
  messages.addEventListener("keydown", (event) => {
    const text = event.target.closest("[data-testid=msg-text]");
    if (text && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openMenu(text.closest("li"));
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenu();
  });
  menu.addEventListener("click", (event) => {
    const li = state.selected;
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (!li || !action) return;
    if (action === "quote") {
      state.reply = li.dataset.id;
      replyBar.querySelector("[data-reply-text]").textContent =
        li.querySelector("[data-testid=msg-text], [data-file-name], [data-card-title]")?.textContent || labels.image || "";
      replyBar.hidden = false;
      form.querySelector("textarea").focus();
    } else if (action === "recall") {
      send({ t: "recall", c: state.conv, mid: li.dataset.id });
    } else if (action === "react") {
      send({ t: "react", c: state.conv, mid: li.dataset.id, emoji: event.target.closest("[data-action]").dataset.emoji });
    } else if (action === "forward") {
      location.href = `/chats/${encodeURIComponent(state.conv)}/forward?m=${encodeURIComponent(li.dataset.id)}`;
    } else if (action === "fav") {
      send({ t: "fav", c: state.conv, mid: li.dataset.id });
    } else if (action === "hide") {
      send({ t: "hide", c: state.conv, mid: li.dataset.id });
    } else if (action === "report") {
      location.href = `/report/message/${encodeURIComponent(state.conv)}/${encodeURIComponent(li.dataset.id)}`;
    }
    closeMenu();
  });
  replyBar.querySelector("[data-reply-cancel]").addEventListener("click", () => {
    state.reply = "";
    replyBar.hidden = true;
  });
}

// systemText renders a system notice's code ("group_created:<id>") like
// the server does, from templates in the page.
function systemText(code) {
  const [kind, arg] = code.split(":");
  const templates = root.querySelector("[data-system]")?.dataset || {};
  if (kind === "group_created" && templates.groupCreated) {
    return templates.groupCreated.replace("%{name}", people.get(arg)?.name || "");
  }
  const nameOf = (id) => people.get(id)?.name || "";
  if (["renamed", "announcement", "left", "owner"].includes(kind) && templates[kind]) {
    return templates[kind].replace("%{name}", nameOf(arg));
  }
  if (["removed", "invited"].includes(kind) && templates[kind]) {
    const [actor, others] = code.split(":").slice(1);
    const names = (others || "").split(",").map(nameOf).filter(Boolean).join(", ");
    return templates[kind].replace("%{name}", nameOf(actor)).replace("%{others}", names);
  }
  if (kind === "pat" && templates.pat) {
    const [actor, target, ...rest] = code.split(":").slice(1);
    const suffix = rest.join(":");
    // The patted member reads "you" (and the patter "You").
    let who = nameOf(actor);
    let whom = nameOf(target);
    if (actor === state.me && target === state.me) [who, whom] = [templates.patYou, templates.patYourself];
    else if (actor === state.me) who = templates.patYou;
    else if (target === state.me) whom = templates.patYouObject;
    const values = { name: who, target: whom, suffix }; // one pass: names are never read as placeholders
    return (suffix ? templates.patSuffix : templates.pat).replace(/%\{(name|target|suffix)\}/g, (_, k) => values[k]);
  }
  if (kind === "packet_opened") {
    // claimer:sender; the sender reads "Bob opened your red packet", the claimer "You opened Alice's red packet"
    const [claimer, sender] = code.split(":").slice(1);
    if (sender === state.me) return (labels.packetOpenedYours || "").replace("%{name}", nameOf(claimer));
    if (claimer === state.me) return (labels.packetYouOpened || "").replace("%{name}", nameOf(sender));
    return (labels.packetOpened || "").replace("%{name}", nameOf(claimer)).replace("%{owner}", nameOf(sender));
  }
  if (kind === "friend_added" && templates.friendAdded) {
    // acceptor:requester; each of the two sees the other's name
    const [acceptor, requester] = code.split(":").slice(1);
    return templates.friendAdded.replace("%{name}", nameOf(acceptor === state.me ? requester : acceptor));
  }
  if (kind === "joined_by_qr") {
    const name = people.get(arg)?.name;
    return name && templates.joined ? templates.joined.replace("%{name}", name) : root.dataset.textJoined;
  }
  return "";
}

// avatar mirrors layout.Avatar: the picture, or the initial on a disc.
function avatar(person, size = "size-9 text-sm") {
  if (person && person.avatar) {
    const img = document.createElement("img");
    img.src = person.avatar;
    img.alt = "";
    img.className = "rounded-lg object-cover bg-line shrink-0 " + size;
    return img;
  }
  const span = document.createElement("span");
  span.setAttribute("aria-hidden", "true");
  span.className = "rounded-lg bg-brand text-white font-semibold grid place-items-center shrink-0 " + size;
  span.textContent = person ? person.initial : "?";
  return span;
}

// place inserts a stored message in sequence order, replacing its pending
// bubble if this tab sent it; duplicates are ignored.
function place(m) {
  if (messages.querySelector(`[data-seq="${m.seq}"]`)) return;
  const pending = m.cid && messages.querySelector(`[data-cid="${CSS.escape(m.cid)}"]:not([data-seq])`);
  if (pending) pending.remove();
  const node = bubble(m, false);
  const later = [...messages.querySelectorAll("[data-seq]")].find((el) => Number(el.dataset.seq) > m.seq);
  messages.insertBefore(node, later || messages.querySelector("[data-cid]:not([data-seq])") || null);
  state.lastSeq = Math.max(state.lastSeq, m.seq);
}

function send(frame) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(frame));
}

function markRead() {
  if (state.conv && document.visibilityState === "visible") send({ t: "read", c: state.conv, seq: state.lastSeq });
}

function sync() {
  if (state.conv) send({ t: "sync", c: state.conv, after: state.lastSeq });
}

// syncAll: on the first connect, learn where every chat stands (the
// socket tells what comes next); on every reconnect, ask what each chat
// missed while the socket was down (the open chat syncs on its own), so
// chat list previews and badges catch up. At most 100 chats a frame
// (docs/API.md).
async function syncAll() {
  if (!state.seqsLoaded) {
    state.seqsLoaded = true;
    try {
      const res = await fetch("/api/plaza/chats", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (res.ok) for (const c of (await res.json()).items || []) if (!state.seqs.has(c.id)) state.seqs.set(c.id, c.last_seq);
    } catch (_) {
      state.seqsLoaded = false; // try again on the next connect
    }
    return;
  }
  const convs = [...state.seqs].filter(([c]) => c !== state.conv);
  for (let i = 0; i < convs.length; i += 100) send({ t: "sync", convs: Object.fromEntries(convs.slice(i, i + 100)) });
}

// fresh reports whether a message of a chat that is not open is news to
// the chat list (a catch-up may repeat one that came live), and notes it.
function fresh(m) {
  if (!state.seqs.has(m.c)) return true;
  if (m.seq <= state.seqs.get(m.c)) return false;
  state.seqs.set(m.c, m.seq);
  return true;
}

function setBadge(el, n) {
  if (!el) return;
  const count = el.querySelector("[data-badge-count]") || el;
  count.textContent = n > 99 ? "99+" : String(n);
  el.hidden = n <= 0;
}

// bump updates the chat list (and the Chats tab badge) for a message in a
// conversation that is not open.
function bump(m) {
  const tab = document.querySelector('[data-badge="badge-chats"]');
  const row = list?.querySelector(`[data-conv="${CSS.escape(m.c)}"]`);
  if (m.sender === state.me) return;
  if (!m.sender && !row && m.kind !== "system") {
    // An account's message in a chat not listed: a subscription account's,
    // folded into Subscriptions (silent, no badge), or a new chat.
    if (location.pathname.startsWith("/chats")) refreshPanes(false);
    return;
  }
  if (tab) setBadge(tab, Number(tab.querySelector("[data-badge-count]").textContent.replace("+", "")) + 1);
  if (row) {
    const badge = row.querySelector("[data-unread-badge]");
    setBadge(badge, Number(badge.textContent) + 1);
    row.querySelector("[data-preview]").textContent = preview(m);
    if (m.all || (m.mentions || []).includes(state.me)) row.querySelector("[data-mention-mark]").hidden = false;
    row.closest("li").parentElement.prepend(row.closest("li"));
  } else if (location.pathname.startsWith("/chats")) {
    refreshPanes(false); // a chat we do not list yet: a new friend, or added to a group
  }
}

// collectReceived announces money received while the collect code is on
// screen ("Received ¥12.50 from Alice"), from the receipt in Pay
// Notifications: its title is the amount, its second line the payer.
function collectReceived(card) {
  const live = document.querySelector("[data-collect-live]");
  if (!live) return;
  const values = { amount: card.title || "", name: card.sub || "" };
  live.textContent = (live.dataset.text || "").replace(/%\{(amount|name)\}/g, (_, k) => values[k]);
  live.hidden = false;
}

// showCardState shows a money card's new state (a "card" frame): it fades
// and says "Opened", "Accepted"… as the server rendered it.
const stateLabels = { accepted: "stateAccepted", returned: "stateReturned", opened: "stateOpened", all_claimed: "stateAllClaimed", expired: "stateExpired" };
function showCardState(ref, st) {
  for (const a of messages?.querySelectorAll(`[data-testid=msg-card][data-ref="${CSS.escape(ref)}"]`) || []) {
    a.dataset.cardState = st || "";
    a.classList.toggle("opacity-60", !!st);
    const text = a.querySelector("[data-card-state-text]");
    if (text) text.textContent = st ? labels[stateLabels[st]] || "" : "";
  }
}

// refreshPanes reloads the list pane (and the detail pane too) from the
// server, in place: a chat list or contacts list that changed live.
async function refreshPanes(detailToo) {
  const res = await fetch(location.href, { headers: { Accept: "text/html" } });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const id of detailToo ? ["pane-list", "pane-detail"] : ["pane-list"]) {
    const now = document.querySelector(`[data-testid="${id}"]`);
    const next = doc.querySelector(`[data-testid="${id}"]`);
    if (now && next) now.replaceChildren(...next.childNodes);
  }
  list = document.querySelector("[data-chat-list]");
}

// contactEvent handles a "contact" frame (a friend request arriving or
// answered, a new friend): the Contacts badge takes the count of requests
// waiting, and the contacts list and New Friends reload when on screen.
function contactEvent(f) {
  setBadge(document.querySelector('[data-badge="badge-contacts"]'), f.count || 0);
  if (location.pathname === "/contacts" || location.pathname.startsWith("/contacts/")) {
    refreshPanes(location.pathname === "/contacts/new");
  }
}

function onFrame(f) {
  switch (f.t) {
    case "msg":
      if (f.m.card?.type === "received") collectReceived(f.m.card);
      if (f.c === state.conv && f.m.sender && f.m.sender !== state.me) clearTyping(); // they sent what they typed
      if (f.c === state.conv) {
        if (f.m.seq === state.lastSeq + 1 || (f.m.cid && f.m.sender === state.me && f.m.seq <= state.lastSeq + 1)) {
          place(f.m);
          scrollDown();
          markRead();
        } else if (f.m.seq > state.lastSeq + 1) {
          sync(); // a gap: fetch what we missed, in order
        }
      } else if (fresh(f.m)) {
        bump(f.m);
      }
      break;
    case "msgs":
      if (f.c !== state.conv) {
        // A catch-up of a listed chat: count and preview what it missed.
        for (const m of f.items || []) if (fresh(m)) bump(m);
        if (f.more && state.seqs.has(f.c)) send({ t: "sync", c: f.c, after: state.seqs.get(f.c) });
        break;
      }
      for (const m of f.items || []) if (m.seq > state.lastSeq) place(m);
      scrollDown();
      if (f.more) sync();
      else markRead();
      break;
    case "ack": {
      // Stored: the bubble stops looking pending. The server sends the ack
      // before the message itself, which then replaces this bubble with
      // the full one (quote, mentions) in sequence order.
      state.outbox.delete(f.id);
      const pending = messages?.querySelector(`[data-cid="${CSS.escape(f.id)}"]:not([data-seq])`);
      if (pending) {
        pending.dataset.acked = f.mid;
        pending.querySelector("[data-body]")?.classList.remove("opacity-60");
        if (f.seq > state.lastSeq + 1) sync();
      }
      break;
    }
    case "reactions": {
      const li = f.c === state.conv && messages?.querySelector(`[data-id="${CSS.escape(f.mid)}"]`);
      if (li) renderChips(li, f.reactions || {});
      break;
    }
    case "typing":
      if (f.c === state.conv) showTyping();
      break;
    case "presence":
      if (presence && f.from === presence.dataset.peer) setPresence(f.online, f.seen);
      break;
    case "seen":
      if (f.c === state.conv) {
        for (const li of messages.querySelectorAll("[data-mine][data-seq]")) {
          if (Number(li.dataset.seq) <= f.seq) li.querySelector("[data-read]")?.removeAttribute("hidden");
        }
      }
      break;
    case "recalled":
      if (f.c === state.conv) recalled(f);
      break;
    case "hidden": {
      const li = f.c === state.conv && messages?.querySelector(`[data-id="${CSS.escape(f.mid)}"]`);
      if (li) li.remove();
      break;
    }
    case "faved":
      if (f.c === state.conv) {
        setStatus(labels.favourited);
        setTimeout(() => setStatus(""), 2500);
      }
      break;
    case "contact":
      contactEvent(f);
      break;
    case "card":
      if (f.c === state.conv) showCardState(f.ref, f.state);
      break;
    case "read": {
      const row = list?.querySelector(`[data-conv="${CSS.escape(f.c)}"]`);
      if (row) {
        setBadge(row.querySelector("[data-unread-badge]"), 0);
        row.querySelector("[data-mention-mark]").hidden = true;
      }
      break;
    }
    case "error":
      if (f.c && !f.id && !f.mid && f.code === "not_found") state.seqs.delete(f.c); // a catch-up of a chat we are no longer in
      if (f.mid && !f.id) {
        setStatus(f.message);
        setTimeout(() => setStatus(""), 4000);
      }
      if (f.id && state.outbox.has(f.id)) {
        state.outbox.delete(f.id);
        const pending = messages?.querySelector(`[data-cid="${CSS.escape(f.id)}"]`);
        if (pending) {
          const note = document.createElement("span");
          note.className = "block text-xs text-danger";
          note.dataset.testid = "msg-failed";
          note.textContent = f.message || root.dataset.textFailed;
          pending.append(note);
        }
      }
      break;
  }
}

function connect() {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  const ws = new WebSocket(url);
  state.socket = ws;
  ws.addEventListener("open", () => {
    state.backoff = 500;
    setStatus("");
    sync();
    syncAll();
    for (const frame of state.outbox.values()) ws.send(JSON.stringify(frame)); // same client ids: stored once
  });
  ws.addEventListener("message", (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
      onFrame(frame);
    } catch (_) {
      /* ignore a frame we cannot read */
    }
    // Other modules' scripts hear every frame without a socket of their own.
    if (frame) document.dispatchEvent(new CustomEvent("plaza:frame", { detail: frame }));
  });
  ws.addEventListener("close", () => {
    if (state.socket !== ws) return;
    if (root) setStatus(root.dataset.textOffline);
    setTimeout(connect, state.backoff);
    state.backoff = Math.min(state.backoff * 2, 10000);
  });
}

if (form) {
  const textarea = form.querySelector("textarea");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    const cid = newID();
    const frame = { t: "send", id: cid, c: state.conv, text };
    if (state.reply) frame.reply = state.reply;
    const mentions = [...state.mentions].filter(([name]) => text.includes("@" + name)).map(([, id]) => id);
    if (mentions.includes("all")) frame.all = true;
    const ids = mentions.filter((id) => id !== "all");
    if (ids.length) frame.mentions = ids;
    state.mentions.clear();
    state.reply = "";
    if (replyBar) replyBar.hidden = true;
    state.outbox.set(cid, frame);
    const node = bubble({ cid, text, sender: state.me, kind: "text" }, true);
    messages.append(node);
    scrollDown();
    textarea.value = "";
    send(frame);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

// Pictures and files: chosen, dropped on the chat or pasted. Each uploads
// with a progress bar in its pending bubble; the stored message then
// arrives like any other (its client id keeps it single).
function upload(file) {
  const cid = newID();
  const li = el("li", "self-end flex flex-col items-end gap-1 max-w-[85%] text-xs text-muted");
  li.dataset.testid = "msg";
  li.dataset.cid = cid;
  li.dataset.upload = "";
  li.append(el("span", "truncate max-w-64", `${labels.uploading || ""} ${file.name}`));
  const bar = el("progress", "w-48 accent-brand");
  bar.max = 100;
  bar.value = 0;
  bar.dataset.testid = "upload-progress";
  li.append(bar);
  messages.append(li);
  scrollDown();
  const fail = (message) => {
    bar.remove();
    const note = el("span", "block text-danger", message || root.dataset.textFailed);
    note.dataset.testid = "msg-failed";
    note.setAttribute("role", "alert");
    li.append(note);
  };
  const data = new FormData();
  data.append("cid", cid);
  data.append("file", file);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", `/chats/${encodeURIComponent(state.conv)}/media`);
  xhr.setRequestHeader("Accept", "application/json");
  xhr.upload.addEventListener("progress", (event) => {
    if (event.lengthComputable) bar.value = Math.round((event.loaded * 100) / event.total);
  });
  xhr.addEventListener("load", () => {
    let res = {};
    try {
      res = JSON.parse(xhr.responseText);
    } catch (_) {
      /* not JSON */
    }
    if (xhr.status >= 200 && xhr.status < 300 && res.m) {
      if (res.m.seq === state.lastSeq + 1) place(res.m); // the socket may be slower, or down
      else if (res.m.seq > state.lastSeq + 1) sync();
      scrollDown();
    } else {
      fail(res.data?.file?.message || res.message);
    }
  });
  xhr.addEventListener("error", () => fail());
  xhr.send(data);
}

const attach = form?.querySelector("[data-attach]");
attach?.addEventListener("change", () => {
  for (const file of attach.files) upload(file);
  attach.value = "";
});
if (root && form) {
  root.addEventListener("dragover", (event) => {
    if ([...event.dataTransfer.types].includes("Files")) {
      event.preventDefault();
      root.classList.add("ring-2", "ring-brand");
    }
  });
  root.addEventListener("dragleave", () => root.classList.remove("ring-2", "ring-brand"));
  root.addEventListener("drop", (event) => {
    root.classList.remove("ring-2", "ring-brand");
    if (!event.dataTransfer.files.length) return;
    event.preventDefault();
    for (const file of event.dataTransfer.files) upload(file);
  });
  form.querySelector("textarea").addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files || [])];
    if (!files.length) return;
    event.preventDefault();
    for (const file of files) upload(file);
  });
}

document.addEventListener("visibilitychange", markRead);
// Times show in the page's language (24-hour in Chinese) and the device's
// time zone, never as the server's UTC: data-relative is the time today,
// else the date; data-local the date and time.
const pageLang = document.documentElement.lang || undefined;
for (const t of document.querySelectorAll("time[data-relative], time[data-local]")) {
  const d = new Date(t.dateTime);
  if (isNaN(d)) continue;
  const today = new Date().toDateString() === d.toDateString();
  if (t.hasAttribute("data-local")) t.textContent = d.toLocaleString(pageLang, { dateStyle: "medium", timeStyle: "short" });
  else t.textContent = today ? d.toLocaleTimeString(pageLang, { hour: "2-digit", minute: "2-digit" }) : d.toLocaleDateString(pageLang);
}
// Opened from a search hit (#m<seq>): show that message, else the newest.
const target = location.hash && messages?.querySelector("#" + CSS.escape(location.hash.slice(1)));
if (target) {
  target.scrollIntoView({ block: "center" });
  target.querySelector("[data-testid=msg-text]")?.classList.add("ring-2", "ring-amber-400");
} else {
  scrollDown();
}
// Socket test hook: lets end-to-end tests drop the connection on purpose.
window.plazaChat = { drop: () => state.socket && state.socket.close(), state };
connect();

// @mentions in groups: typing "@" offers the members (and All, for the
// owner and admins); picking one inserts "@Name " and remembers the id.
state.mentions = new Map(); // name -> member id ("all" for @All)
const picker = root?.querySelector("[data-mention-picker]");
if (form && picker && root.dataset.group === "true") {
  const textarea = form.querySelector("textarea");
  const token = () => {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const m = before.match(/(?:^|\s)@([^\s@]*)$/);
    return m ? { query: m[1].toLowerCase(), start: before.length - m[1].length - 1 } : null;
  };
  const choose = (name, id) => {
    const t = token();
    if (!t) return;
    const end = textarea.selectionStart;
    textarea.value = textarea.value.slice(0, t.start) + "@" + name + " " + textarea.value.slice(end);
    const caret = t.start + name.length + 2;
    textarea.setSelectionRange(caret, caret);
    state.mentions.set(name, id);
    picker.hidden = true;
    textarea.focus();
  };
  textarea.addEventListener("input", () => {
    const t = token();
    picker.replaceChildren();
    if (!t) {
      picker.hidden = true;
      return;
    }
    const options = [];
    if (root.dataset.canAll === "true") options.push({ id: "all", name: root.dataset.textAll });
    for (const [id, p] of people) if (id !== state.me) options.push({ id, name: p.name });
    for (const o of options.filter((o) => o.name.toLowerCase().includes(t.query))) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.role = "option";
      b.dataset.testid = "mention-option";
      b.dataset.id = o.id;
      b.className = "block w-full px-3 py-2 text-left hover:bg-page";
      b.textContent = o.name;
      b.addEventListener("click", () => choose(o.name, o.id));
      li.append(b);
      picker.append(li);
    }
    picker.hidden = picker.children.length === 0;
  });
}

// 1:1 signals: the partner's presence line shows "typing…" for a moment
// when they type; presence frames keep it current. Our own typing is sent
// at most every 2 seconds (the server drops the rest).
const presence = root && document.querySelector("[data-presence]"); // in the header, outside [data-chat]
let typingTimer = 0;
let presenceText = presence ? [...presence.childNodes].map((n) => n.cloneNode(true)) : [];

function showTyping() {
  if (!presence) return;
  presence.textContent = presence.dataset.textTyping;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(clearTyping, 5000);
}

// clearTyping puts the presence line back (a message from the typer ends
// "typing…" at once).
function clearTyping() {
  if (!presence || presence.textContent !== presence.dataset.textTyping) return;
  clearTimeout(typingTimer);
  presence.replaceChildren(...presenceText.map((n) => n.cloneNode(true)));
}

function setPresence(online, seen) {
  const nodes = [];
  if (online) nodes.push(document.createTextNode(presence.dataset.textOnline));
  else if (seen) {
    const d = new Date(seen);
    nodes.push(document.createTextNode(presence.dataset.textSeen + " " + d.toLocaleTimeString(pageLang, { hour: "2-digit", minute: "2-digit" })));
  }
  presenceText = nodes;
  clearTimeout(typingTimer);
  presence.replaceChildren(...nodes.map((n) => n.cloneNode(true)));
}

if (form && presence) {
  let lastTyping = 0;
  form.querySelector("textarea").addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000) {
      lastTyping = Date.now();
      send({ t: "typing", c: state.conv });
    }
  });
}
