// Plaza's page script: upload progress bars and the service worker. Loaded
// as a module from our own origin (the CSP allows nothing else).

// Upload progress: any form holding <progress data-upload-progress> shows how
// much of its htmx request body has been sent.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest("form");
  const bar = form && form.querySelector("progress[data-upload-progress]");
  if (!bar || !event.detail.lengthComputable || !event.detail.total) return;
  const percent = Math.min(100, Math.round((event.detail.loaded / event.detail.total) * 100));
  bar.hidden = false;
  bar.value = Math.max(bar.value, percent);
  const label = form.querySelector("[data-upload-percent]");
  if (label) label.textContent = `${bar.value}%`;
});

// Clear a stale bar when a new upload starts.
document.addEventListener("htmx:beforeSend", (event) => {
  const bar = event.target.closest("form")?.querySelector("progress[data-upload-progress]");
  if (bar) bar.value = 0;
});

// The service worker caches the app shell so Plaza opens offline and can be
// installed as an app.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

// Frames for modules other than chat: chat.js owns the tab's one socket
// (/ws) and announces each frame it receives as a "plaza:frame" event on
// document, so other scripts listen without a socket of their own.

// Moments' notifications ({"t":"moments","count":n}): the Discover tab,
// Moments' Discover entry and the feed's notifications link show the count.
document.addEventListener("plaza:frame", (event) => {
  const f = event.detail;
  if (f?.t !== "moments") return;
  for (const name of ["badge-discover", "discover-moments-badge", "moments-notes-badge"]) {
    for (const badge of document.querySelectorAll(`[data-badge="${name}"]`)) {
      const n = Number(f.count) || 0;
      (badge.querySelector("[data-badge-count]") || badge).textContent = n > 99 ? "99+" : String(n);
      badge.hidden = n <= 0;
    }
  }
});

// A Moments post changed ({"t":"moments_post","id","gone"}: a like, a
// comment, private, deleted — from another tab of this member, or on this
// member's own post): every copy of it on this page is fetched again, or
// removed when it is gone. A post whose form is being typed in is left
// alone until the next change.
document.addEventListener("plaza:frame", (event) => {
  const f = event.detail;
  if (f?.t !== "moments_post" || !f.id || !window.htmx) return;
  for (const el of document.querySelectorAll(`article[data-post="${CSS.escape(f.id)}"]`)) {
    if (f.gone) {
      el.remove();
    } else if (!el.contains(document.activeElement)) {
      window.htmx.ajax("GET", `/moments/posts/${encodeURIComponent(f.id)}`, { target: el, swap: "outerHTML" });
    }
  }
});

// Subscriptions changed ({"t":"oa_subscriptions","preview","at"}: a
// subscription account's new article; without "preview": the member
// opened Subscriptions): the chat list's folder row shows it with a dot
// (never a count, no sound), or puts the dot out.
document.addEventListener("plaza:frame", (event) => {
  const f = event.detail;
  if (f?.t !== "oa_subscriptions") return;
  const row = document.querySelector('[data-folder="subscriptions"]');
  if (!row) return;
  const dot = row.querySelector("[data-folder-dot]");
  if (dot) dot.hidden = !f.preview;
  if (!f.preview) return;
  const preview = row.querySelector("[data-preview]");
  if (preview) preview.textContent = f.preview;
  const time = row.querySelector("time");
  if (time && f.at) time.setAttribute("datetime", f.at);
  const item = row.closest("li");
  item?.parentElement?.prepend(item); // to the top, as chat.js moves a chat with news
});
