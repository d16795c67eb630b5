// Plaza's shared UI behaviour, loaded on every page as a module:
//   - the confirmation sheet before destructive actions (data-confirm),
//   - short toasts saying what happened (data-done, or toast() from scripts),
//   - the in-app Back that returns to the screen the member came from,
//   - pop-up menus (<details data-menu>) moved with the arrow keys,
//   - tab labels that read "Chats, 3 unread".
// No inline scripts: the CSP allows only our own files.

// ---- Toasts ---------------------------------------------------------------

const TOAST_KEY = "plaza.toast";

/** toast shows a short message in the middle of the screen for 2 seconds. */
export function toast(text) {
  if (!text) return;
  const region = document.querySelector("[data-toast-region]");
  if (!region) return;
  const box = document.createElement("p");
  box.setAttribute("role", "status");
  box.dataset.testid = "toast";
  box.className = "rounded-lg bg-black/75 px-5 py-3 text-sm text-white shadow-lg";
  box.textContent = text;
  region.replaceChildren(box);
  setTimeout(() => box.remove(), 2500);
}

// A toast saved before a form's page load shows on the page that follows,
// unless that page reports an error (an error status, or an error flash).
function pendingToast() {
  let text = "";
  try {
    text = sessionStorage.getItem(TOAST_KEY) || "";
    sessionStorage.removeItem(TOAST_KEY);
  } catch {
    return;
  }
  if (!text) return;
  const nav = performance.getEntriesByType?.("navigation")?.[0];
  if (nav && nav.responseStatus >= 400) return;
  if (document.querySelector("[data-testid=flash-error], [data-testid=chat-error], [data-testid=error-message]")) return;
  toast(text);
}

// ---- The confirmation sheet -------------------------------------------------

const sheet = document.querySelector("[data-confirm-sheet]");

/**
 * confirmSheet asks a question on the sheet and resolves true when the
 * member confirms, false when they cancel (Cancel, Escape, a tap outside).
 */
export function confirmSheet(question, okLabel) {
  if (!sheet) return Promise.resolve(window.confirm(question));
  const ok = sheet.querySelector("[data-confirm-ok]");
  sheet.querySelector("[data-confirm-text]").textContent = question;
  ok.textContent = okLabel || ok.dataset.defaultLabel;
  const opener = document.activeElement;
  sheet.returnValue = "";
  return new Promise((resolve) => {
    sheet.addEventListener(
      "close",
      () => {
        if (opener && opener.isConnected) opener.focus();
        resolve(sheet.returnValue === "ok");
      },
      { once: true },
    );
    sheet.showModal(); // modal: the rest of the page is inert, Tab stays inside
    sheet.querySelector("[data-confirm-cancel]").focus(); // the safe choice first
  });
}

if (sheet) {
  // A tap on the backdrop cancels, as in WeChat.
  sheet.addEventListener("click", (event) => {
    if (event.target === sheet) sheet.close("cancel");
  });
  // Keep Tab inside the sheet even where the browser would leave for its own UI.
  sheet.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = [...sheet.querySelectorAll("button")];
    const i = items.indexOf(document.activeElement);
    const next = items[(i + (event.shiftKey ? items.length - 1 : 1)) % items.length];
    event.preventDefault();
    next.focus();
  });
}

// Forms (or their submit buttons) with data-confirm ask first. The question,
// the OK label and the toast come from the element's data attributes.
const confirmed = new WeakSet();
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const submitter = event.submitter;
    const source = submitter?.hasAttribute("data-confirm") ? submitter : form.hasAttribute("data-confirm") ? form : null;
    if (!source) return;
    if (confirmed.has(form)) {
      confirmed.delete(form);
      rememberToast(source);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    confirmSheet(source.dataset.confirm, source.dataset.confirmOk).then((yes) => {
      if (!yes) return;
      confirmed.add(form);
      form.requestSubmit(submitter && submitter.form === form ? submitter : null);
    });
  },
  true,
);

// A form with data-done and no confirmation remembers its toast as it
// submits (a script that takes the submit over prevents it first).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.dataset.done) return;
  if (form.hasAttribute("data-confirm") || event.submitter?.hasAttribute("data-confirm")) return;
  rememberToast(form);
});

function rememberToast(source) {
  const text = source.dataset.done;
  if (!text) return;
  try {
    sessionStorage.setItem(TOAST_KEY, text);
  } catch {
    /* private mode: no toast */
  }
}

// ---- Back -----------------------------------------------------------------

// The screens this tab went through, so Back returns where the member came
// from (a red packet opened from a chat goes back to that chat). A screen is
// its path: a form that redirects to the same path is the same screen, and
// coming back to a screen forgets what was opened after it. A tab's root
// starts over.
const STACK_KEY = "plaza.screens";
const roots = new Set(["/", "/chats", "/contacts", "/discover", "/me"]);

function screens() {
  let stack = [];
  try {
    stack = JSON.parse(sessionStorage.getItem(STACK_KEY) || "[]");
  } catch {
    stack = [];
  }
  if (!Array.isArray(stack)) stack = [];
  const here = location.pathname + location.search;
  if (roots.has(location.pathname)) stack = [];
  const at = stack.findIndex((s) => s.split("?")[0] === location.pathname);
  if (at >= 0) stack = stack.slice(0, at);
  stack.push(here);
  stack = stack.slice(-30);
  try {
    sessionStorage.setItem(STACK_KEY, JSON.stringify(stack));
  } catch {
    /* no storage: the server's Back link stays */
  }
  return stack;
}

function wireBack() {
  const stack = screens();
  const back = document.querySelector("[data-back]");
  if (!back || stack.length < 2) return;
  const previous = stack[stack.length - 2];
  back.setAttribute("href", previous);
  // On wide screens the list pane is the way out of a tab's own screens;
  // Back stays for a screen reached from elsewhere (a packet from a chat).
  if (!roots.has(previous.split("?")[0])) back.classList.remove("lg:hidden");
}

// ---- Menus ----------------------------------------------------------------

// <details data-menu> is a pop-up menu that works without JavaScript; with
// it, the arrow keys move between its items, Escape closes it and a click
// elsewhere closes it.
function menuItems(menu) {
  return [...menu.querySelectorAll("[role=menuitem]")].filter((i) => !i.hidden && i.offsetParent !== null);
}

/** arrowKeys moves focus between items with the arrow keys, Home and End. */
export function arrowKeys(event, items) {
  const i = items.indexOf(document.activeElement);
  let next = -1;
  if (event.key === "ArrowDown" || event.key === "ArrowRight") next = (i + 1) % items.length;
  else if (event.key === "ArrowUp" || event.key === "ArrowLeft") next = (i - 1 + items.length) % items.length;
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = items.length - 1;
  if (next < 0 || !items.length) return false;
  event.preventDefault();
  items[next].focus();
  return true;
}

for (const menu of document.querySelectorAll("details[data-menu]")) {
  const summary = menu.querySelector("summary");
  summary.setAttribute("aria-haspopup", "menu");
  const sync = () => summary.setAttribute("aria-expanded", String(menu.open));
  sync();
  menu.addEventListener("toggle", () => {
    sync();
    if (menu.open) menuItems(menu)[0]?.focus();
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      summary.focus();
      return;
    }
    if (event.target === summary && event.key === "ArrowDown" && !menu.open) {
      event.preventDefault();
      menu.open = true;
      return;
    }
    if (menu.open) arrowKeys(event, menuItems(menu));
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
}

// ---- Tab labels -------------------------------------------------------------

// Each tab reads as "Chats, 3 unread" (or just "Chats"), kept current as
// scripts change the badges.
function labelTab(tab) {
  const name = tab.dataset.tabName;
  const badge = tab.querySelector("[data-badge]");
  const count = badge && !badge.hidden ? badge.querySelector("[data-badge-count]")?.textContent.trim() : "";
  const template = tab.dataset.tabUnread || "%{name}, %{count}";
  tab.setAttribute("aria-label", count && count !== "0" ? template.replace("%{name}", name).replace("%{count}", count) : name);
}
for (const tab of document.querySelectorAll("[data-tab-name]")) {
  const badge = tab.querySelector("[data-badge]");
  if (badge) new MutationObserver(() => labelTab(tab)).observe(badge, { attributes: true, childList: true, subtree: true, characterData: true });
}

// Other page scripts use these through window: importing "./ui.js" would
// load a second copy under a URL without the version.
window.plazaUI = { toast, confirmSheet, arrowKeys };

pendingToast();
wireBack();
