// Channels in the browser (views/channels), progressive enhancement only:
// every page works without it. Feed videos (video[data-autoplay]) play,
// muted, while most of them is in view and pause when they leave it; one
// plays at a time, and one the member paused stays paused until it has
// left the view. A member who asked for less motion starts them by hand.
// The lightbox, dates in the viewer's zone, replying by tapping a comment
// and the uploader are moments.js's.

const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

const shown = new Map(); // video → the share of it in view

// playBest plays the video most in view (at least 60% of it) and pauses
// the others autoplay started.
function playBest() {
  let best = null;
  let most = 0;
  for (const [video, ratio] of shown) {
    if (!video.isConnected) shown.delete(video);
    else if (ratio > most && !video.dataset.held) [best, most] = [video, ratio];
  }
  for (const video of shown.keys()) {
    if (video !== best && video.dataset.autoplaying) stop(video);
  }
  if (!best || most < 0.6 || !best.paused) return;
  best.muted = true;
  best.dataset.autoplaying = "1";
  best.play().catch(() => delete best.dataset.autoplaying); // a browser may refuse: the controls stay
}

function stop(video) {
  delete video.dataset.autoplaying;
  if (!video.paused) video.pause();
}

const observer =
  !reduced && "IntersectionObserver" in window
    ? new IntersectionObserver(
        (entries) => {
          for (const e of entries) {
            if (e.isIntersecting) {
              shown.set(e.target, e.intersectionRatio);
              continue;
            }
            shown.delete(e.target);
            delete e.target.dataset.held;
            stop(e.target);
          }
          playBest();
        },
        { threshold: [0, 0.3, 0.6, 0.9] },
      )
    : null;

function watch(root) {
  if (!observer) return;
  for (const video of root.querySelectorAll("video[data-autoplay]")) {
    if (video.dataset.watched) continue;
    video.dataset.watched = "1";
    // The member paused it: leave it paused while it stays in view.
    video.addEventListener("pause", () => {
      if (video.dataset.autoplaying && document.visibilityState === "visible" && shown.has(video)) {
        delete video.dataset.autoplaying;
        video.dataset.held = "1";
      }
    });
    observer.observe(video);
  }
}

watch(document);
document.addEventListener("htmx:load", (event) => watch(event.target));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") {
    for (const video of shown.keys()) if (video.dataset.autoplaying && !video.paused) video.pause();
  } else playBest();
});

// A post's counts changed ({"t":"channels_post","id"}: a like, favourite
// or comment from another tab of this member, or on this member's own
// post; chat.js announces the socket's frames): its action bars on this
// page are fetched again. A post that is gone keeps its old bar.
document.addEventListener("plaza:frame", async (event) => {
  const f = event.detail;
  if (f?.t !== "channels_post" || !f.id) return;
  const bar = document.getElementById("actions-" + f.id);
  if (!bar || bar.contains(document.activeElement)) return;
  const next = bar.querySelector("input[name=next]")?.value || location.pathname + location.search;
  try {
    const res = await fetch(`/channels/p/${encodeURIComponent(f.id)}/actions?next=${encodeURIComponent(next)}`, {
      headers: { "HX-Request": "true" },
    });
    if (!res.ok) return;
    const t = document.createElement("template");
    t.innerHTML = (await res.text()).trim();
    const fresh = t.content.firstElementChild;
    if (!fresh || !bar.isConnected) return;
    bar.replaceWith(fresh);
    window.htmx?.process(fresh);
  } catch {
    /* offline: the old counts stay */
  }
});
