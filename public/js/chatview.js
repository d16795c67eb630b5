// The chat view as a WeChat user expects it, on top of chat.js (which owns
// the socket and the messages): time separators, the emoji panel, Copy,
// Open and Multi-select in the message menu, the menu next to its bubble,
// avatars that open the member's card, and the keyboard: the message list
// is one tab stop (arrow keys move between messages, Enter opens the menu,
// arrow keys move in the menu, Escape closes it).

const root = document.querySelector("[data-chat]");
const messages = root?.querySelector("[data-messages]");
const menu = root?.querySelector("[data-msg-menu]");
const form = root?.querySelector("[data-composer]");
const ui = window.plazaUI || { toast() {}, confirmSheet: (q) => Promise.resolve(window.confirm(q)), arrowKeys() {} };
const chat = () => window.plazaChat?.state;
const texts = messages?.dataset || {};
const lang = document.documentElement.lang || undefined;

// ---- Time separators ----------------------------------------------------------

const GAP = 5 * 60 * 1000; // WeChat shows the time when 5 minutes passed
const dayMs = 24 * 60 * 60 * 1000;
const clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat(lang, { weekday: "long" });
const monthDay = new Intl.DateTimeFormat(lang, { month: "short", day: "numeric" });
const fullDate = new Intl.DateTimeFormat(lang, { year: "numeric", month: "short", day: "numeric" });

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** timeLabel is WeChat's separator text, in the page's language and the browser's time zone. */
export function timeLabel(d, now = new Date()) {
  const days = Math.round((startOfDay(now) - startOfDay(d)) / dayMs);
  const time = clock.format(d);
  if (days <= 0) return time;
  if (days === 1) return `${texts.textYesterday || ""} ${time}`;
  if (days < 7) return `${weekday.format(d)} ${time}`;
  if (d.getFullYear() === now.getFullYear()) return `${monthDay.format(d)} ${time}`;
  return `${fullDate.format(d)} ${time}`;
}

function separators() {
  let previous = 0;
  for (const sep of messages.querySelectorAll(":scope > [data-time-sep]")) sep.remove();
  for (const li of [...messages.children]) {
    const at = Date.parse(li.dataset.at || "");
    if (isNaN(at)) continue;
    if (!previous || at - previous > GAP) {
      const sep = document.createElement("li");
      sep.dataset.timeSep = "";
      sep.dataset.testid = "time-sep";
      sep.className = "self-center rounded px-2 text-xs text-muted";
      const time = document.createElement("time");
      time.dateTime = new Date(at).toISOString();
      time.textContent = timeLabel(new Date(at));
      sep.append(time);
      li.before(sep);
    }
    previous = at;
  }
}

// ---- One tab stop for the list ------------------------------------------------

let current = null; // the message that holds the list's tab stop

function items() {
  return [...messages.querySelectorAll(":scope > [data-testid=msg]")];
}

function rove(target, focus) {
  const all = items();
  if (!all.length) return;
  if (!target || !target.isConnected) target = all[all.length - 1];
  for (const li of all) li.tabIndex = li === target ? 0 : -1;
  current = target;
  if (focus) {
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }
}

// tidy runs after every change to the list: separators, one tab stop, and
// nothing inside a message in the tab order of its own.
function tidy() {
  observer.disconnect();
  separators();
  for (const el of messages.querySelectorAll("[data-testid=msg] a, [data-testid=msg] button, [data-testid=msg] [tabindex]")) {
    if (el.matches("[data-testid=msg]")) continue;
    el.tabIndex = -1;
  }
  rove(current && current.isConnected ? current : null, false);
  if (selecting) for (const li of items()) checkbox(li);
  observer.observe(messages, { childList: true });
}

const observer = new MutationObserver(tidy);

// ---- The message menu -----------------------------------------------------------

let menuFor = null; // the message whose menu is open

function openMenuOf(li) {
  // chat.js opens the menu on a click on the text or the ⋯ button.
  li.querySelector("[data-testid=msg-text], [data-menu-button]")?.click();
}

function menuItems() {
  return [...menu.querySelectorAll("[role=menuitem]")].filter((b) => !b.hidden);
}

function placeMenu() {
  const body = menuFor?.querySelector("[data-body]") || menuFor;
  if (!body) return;
  const r = body.getBoundingClientRect();
  const box = messages.getBoundingClientRect();
  const m = menu.getBoundingClientRect();
  let top = r.top - m.height - 6;
  if (top < box.top) top = r.bottom + 6; // no room above: below the bubble
  top = Math.max(4, Math.min(top, window.innerHeight - m.height - 4));
  let left = menuFor.hasAttribute("data-mine") ? r.right - m.width : r.left;
  left = Math.max(4, Math.min(left, window.innerWidth - m.width - 4));
  menu.style.top = `${Math.round(top)}px`;
  menu.style.left = `${Math.round(left)}px`;
}

function menuOpened() {
  menuFor = chat()?.selected || null;
  if (!menuFor) return;
  const text = menuFor.querySelector("[data-testid=msg-text]");
  const link = menuFor.querySelector("[data-body] a[href]");
  menu.querySelector('[data-action="copy"]').hidden = !text && !menuFor.querySelector("[data-file-name], [data-card-title]");
  menu.querySelector('[data-action="open"]').hidden = !link;
  placeMenu();
  menuItems()[0]?.focus();
}

function menuClosed() {
  const li = menuFor;
  menuFor = null;
  if (li && li.isConnected && (menu.contains(document.activeElement) || document.activeElement === document.body)) rove(li, true);
}

async function copy(li) {
  const text = (li.querySelector("[data-testid=msg-text]") || li.querySelector("[data-file-name], [data-card-title]"))?.textContent || "";
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard API (or no permission): the old way, from a selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "fixed -left-[9999px]";
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
  }
  ui.toast(ok ? texts.textCopied : texts.textCopyFailed);
}

// ---- Multi-select -----------------------------------------------------------------

let selecting = false;
const picked = new Set();
const bar = root?.querySelector("[data-select-bar]");

function selectable(li) {
  return li.dataset.id && li.dataset.notice === undefined;
}

function checkbox(li) {
  if (!selectable(li) || li.querySelector("[data-select-box]")) return;
  const box = document.createElement("input");
  box.type = "checkbox";
  box.tabIndex = -1;
  box.dataset.selectBox = "";
  box.dataset.testid = "select-box";
  box.className = "size-5 shrink-0 self-center accent-brand";
  box.setAttribute("aria-label", texts.textSelectOne || "");
  box.checked = picked.has(li.dataset.id);
  li.prepend(box);
}

function countSelected() {
  bar.querySelector("[data-select-count]").textContent = (texts.textSelected || "%{count}").replace("%{count}", String(picked.size));
  bar.querySelector("[data-select-forward]").disabled = picked.size === 0;
  bar.querySelector("[data-select-delete]").disabled = picked.size === 0;
}

function toggle(li, on = !picked.has(li.dataset.id)) {
  if (!selectable(li)) return;
  if (on && picked.size < 100) picked.add(li.dataset.id);
  else picked.delete(li.dataset.id);
  const box = li.querySelector("[data-select-box]");
  if (box) box.checked = picked.has(li.dataset.id); // the checkbox tells screen readers too
  countSelected();
}

function startSelecting(li) {
  selecting = true;
  picked.clear();
  root.dataset.selecting = "";
  for (const m of items()) checkbox(m);
  toggle(li, true);
  form.hidden = true;
  panel && (panel.hidden = true);
  bar.hidden = false;
  rove(li, true);
}

function stopSelecting() {
  selecting = false;
  picked.clear();
  delete root.dataset.selecting;
  for (const box of messages.querySelectorAll("[data-select-box]")) box.remove();
  bar.hidden = true;
  form.hidden = false;
}

// ---- The emoji panel ------------------------------------------------------------

// The common set, as WeChat's panel offers it; recent ones come first.
const EMOJI = [
  "😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉", "😊", "😋", "😎", "😍", "😘", "🥰", "😗",
  "🙂", "🤗", "🤩", "🤔", "🤨", "😐", "😑", "😶", "🙄", "😏", "😣", "😥", "😮", "🤐", "😯", "😪",
  "😫", "🥱", "😴", "😌", "😛", "😜", "😝", "🤤", "😒", "😓", "😔", "😕", "🙃", "🤑", "😲", "🙁",
  "😖", "😞", "😟", "😤", "😢", "😭", "😦", "😧", "😨", "😩", "🤯", "😬", "😰", "😱", "🥵", "🥶",
  "😳", "🤪", "😵", "😡", "😠", "🤬", "😷", "🤒", "🤕", "🤢", "🤮", "🤧", "😇", "🥳", "🥺", "🤠",
  "🤡", "🤥", "🤫", "🤭", "🧐", "🤓", "😈", "👻", "💀", "👽", "🤖", "💩", "🙈", "🙉", "🙊", "👀",
  "👍", "👎", "👌", "✌️", "🤞", "🤝", "🙏", "👏", "🙌", "💪", "👋", "🤙", "👉", "👈", "☝️", "✊",
  "❤️", "💔", "💕", "💯", "🔥", "✨", "🎉", "🎂", "🎁", "🌹", "🌸", "☀️", "🌙", "⭐", "🌈", "⚡",
  "☕", "🍵", "🍺", "🍻", "🍉", "🍎", "🍜", "🍚", "🧧", "💰", "🐶", "🐱", "🐷", "🐼", "🐔", "🐧",
];
const RECENT_KEY = "plaza.emoji.recent";
const panel = root?.querySelector("[data-emoji-panel]");
const emojiButton = form?.querySelector("[data-emoji-button]");
const textarea = form?.querySelector("textarea");

function recent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(list) ? list.filter((e) => typeof e === "string" && EMOJI.includes(e)).slice(0, 16) : [];
  } catch {
    return [];
  }
}

function remember(emoji) {
  const list = [emoji, ...recent().filter((e) => e !== emoji)].slice(0, 16);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    /* no storage: no recents */
  }
}

function emojiGrid(label, list, testid) {
  const section = document.createElement("section");
  const h = document.createElement("h2");
  h.className = "px-1 pt-2 pb-1 text-xs text-muted";
  h.textContent = label;
  const grid = document.createElement("div");
  grid.className = "grid grid-cols-8 sm:grid-cols-12 gap-0.5";
  grid.dataset.testid = testid;
  for (const e of list) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.emoji = e;
    b.dataset.testid = "emoji";
    b.className = "grid h-10 place-items-center rounded text-2xl hover:bg-page focus-visible:outline-2 focus-visible:outline-brand";
    b.textContent = e;
    grid.append(b);
  }
  section.append(h, grid);
  return section;
}

function drawPanel() {
  const sections = [];
  const r = recent();
  if (r.length) sections.push(emojiGrid(panel.dataset.textRecent, r, "emoji-recent"));
  sections.push(emojiGrid(panel.dataset.textAll, EMOJI, "emoji-all"));
  panel.replaceChildren(...sections);
}

function showPanel(open) {
  if (open) drawPanel();
  panel.hidden = !open;
  emojiButton.setAttribute("aria-expanded", String(open));
  if (open) panel.querySelector("[data-emoji]")?.focus();
}

function insert(text) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
  const caret = start + text.length;
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new Event("input", { bubbles: true })); // typing signal, @mentions
}

// ---- Wiring ----------------------------------------------------------------------

if (messages && menu) {
  tidy();

  // Chat.js shows and hides the menu; place it by its bubble and give it focus.
  new MutationObserver(() => (menu.hidden ? menuClosed() : menuOpened())).observe(menu, { attributes: true, attributeFilter: ["hidden"] });
  messages.addEventListener("scroll", () => menuFor && placeMenu(), { passive: true });
  window.addEventListener("resize", () => menuFor && placeMenu());

  // Copy, Open and Multi-select run before chat.js closes the menu.
  menu.addEventListener(
    "click",
    (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      const li = chat()?.selected;
      if (!li) return;
      if (action === "copy") copy(li);
      else if (action === "open") li.querySelector("[data-body] a[href]")?.click();
      else if (action === "select") startSelecting(li);
    },
    true,
  );
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      // Tab leaves the menu for the message it belongs to.
      event.preventDefault();
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
      return;
    }
    ui.arrowKeys(event, menuItems());
  });

  // While selecting, a tap picks a message instead of opening its menu.
  messages.addEventListener(
    "click",
    (event) => {
      if (!selecting) return;
      const li = event.target.closest("[data-testid=msg]");
      if (!li) return;
      event.stopPropagation();
      if (event.target.matches("[data-select-box]")) {
        toggle(li, event.target.checked); // the box has toggled itself
      } else {
        event.preventDefault(); // no links, no lightbox, no menu
        toggle(li);
      }
      rove(li, false);
    },
    true,
  );

  // Avatars: a tap opens the member's card; a double tap pats (chat.js).
  let cardTimer = 0;
  messages.addEventListener("click", (event) => {
    const a = event.target.closest("a[data-pat]");
    if (!a || selecting) return;
    event.preventDefault();
    if (event.detail === 0) {
      location.href = a.href; // the keyboard: no double tap to wait for
      return;
    }
    clearTimeout(cardTimer);
    if (event.detail === 1) cardTimer = setTimeout(() => (location.href = a.href), 300);
  });
  messages.addEventListener("dblclick", () => clearTimeout(cardTimer));

  // The keyboard in the list.
  messages.addEventListener("focusin", (event) => {
    const li = event.target.closest("[data-testid=msg]");
    if (li && li !== current) rove(li, false);
  });
  let keyOpen = null; // the message Enter or Space went down on
  messages.addEventListener("keyup", (event) => {
    const li = event.target.closest("[data-testid=msg]");
    if (!li || li !== keyOpen || (event.key !== "Enter" && event.key !== " ")) return;
    keyOpen = null;
    if (selecting) toggle(li);
    else openMenuOf(li);
  });
  messages.addEventListener("keydown", (event) => {
    const li = event.target.closest("[data-testid=msg]");
    if (!li || event.target !== li) return;
    const all = items();
    const i = all.indexOf(li);
    let next = null;
    if (event.key === "ArrowDown") next = all[i + 1];
    else if (event.key === "ArrowUp") next = all[i - 1];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else if (event.key === "Enter" || event.key === " ") {
      // The menu opens on keyup: opened now, its first item would take
      // this key's keypress (or Space's keyup) and run.
      event.preventDefault();
      if (!event.repeat) keyOpen = li;
      return;
    } else return;
    event.preventDefault();
    if (next) rove(next, true);
  });

  // The multi-select bar.
  bar?.querySelector("[data-select-cancel]").addEventListener("click", stopSelecting);
  bar?.querySelector("[data-select-forward]").addEventListener("click", () => {
    if (!picked.size) return;
    const ids = items().filter((li) => picked.has(li.dataset.id)).map((li) => "m=" + encodeURIComponent(li.dataset.id));
    location.href = `/chats/${encodeURIComponent(root.dataset.conv)}/forward?${ids.join("&")}`;
  });
  bar?.querySelector("[data-select-delete]").addEventListener("click", async () => {
    const ids = [...picked];
    if (!ids.length) return;
    const yes = await ui.confirmSheet((texts.textDeleteSelected || "").replace("%{count}", String(ids.length)), texts.textDeleteOk);
    if (!yes) return;
    const socket = chat()?.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    for (const mid of ids) socket.send(JSON.stringify({ t: "hide", c: root.dataset.conv, mid })); // delete for me, one by one
    stopSelecting();
    ui.toast(texts.textDeleted);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && selecting && !document.querySelector("dialog[open]")) stopSelecting();
  });
}

if (panel && emojiButton && textarea) {
  emojiButton.hidden = false; // the panel needs this script
  emojiButton.addEventListener("click", () => showPanel(panel.hidden));
  panel.addEventListener("click", (event) => {
    const e = event.target.closest("[data-emoji]")?.dataset.emoji;
    if (!e) return;
    insert(e);
    remember(e);
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      showPanel(false);
      emojiButton.focus();
      return;
    }
    const grid = event.target.closest("[data-testid^=emoji-]");
    if (!grid) return;
    const cells = [...grid.querySelectorAll("[data-emoji]")];
    const i = cells.indexOf(event.target);
    const cols = cells.filter((c) => c.offsetTop === cells[0].offsetTop).length || 1;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols }[event.key];
    if (step && cells[i + step]) {
      event.preventDefault();
      cells[i + step].focus();
    }
  });
  form.addEventListener("submit", () => showPanel(false));
}
