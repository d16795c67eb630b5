// Moments in the browser (views/moments), progressive enhancement only:
// every page works without it. It adds the photo lightbox (PhotoSwipe,
// vendored), replying by tapping a comment, dates in the viewer's zone, and
// the compose form's drag-and-drop, paste, reorder, downscaling, a video's
// poster frame and a progress bar per file. The live badge is app.js's.
// Channels' pages load it too: its compose form sets data-upload, data-done,
// data-fields and data-lists (the defaults are Moments').

const script = document.querySelector("script[data-moments-script]");
const lang = document.documentElement.lang || undefined;

// ---- Lightbox -----------------------------------------------------------------

let lightbox = null;
async function openGallery(gallery, index) {
  if (!lightbox) {
    const { default: PhotoSwipeLightbox } = await import(script.dataset.pswpLightbox);
    const d = script.dataset;
    lightbox = new PhotoSwipeLightbox({
      pswpModule: () => import(d.pswpCore),
      showHideAnimationType: "fade",
      closeTitle: d.textClose,
      zoomTitle: d.textZoom,
      arrowPrevTitle: d.textPrev,
      arrowNextTitle: d.textNext,
      errorMsg: d.textError,
    });
    lightbox.init();
  }
  const items = [...gallery.querySelectorAll("a[data-pswp-width]")].map((a) => ({
    src: a.href,
    msrc: a.querySelector("img")?.currentSrc || "",
    width: Number(a.dataset.pswpWidth) || 1200,
    height: Number(a.dataset.pswpHeight) || 1200,
    alt: a.querySelector("img")?.alt || "",
  }));
  lightbox.loadAndOpen(index, items);
}

document.addEventListener("click", (event) => {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const photo = event.target.closest("[data-gallery] a[data-pswp-width]");
  if (photo) {
    event.preventDefault();
    const gallery = photo.closest("[data-gallery]");
    openGallery(gallery, [...gallery.querySelectorAll("a[data-pswp-width]")].indexOf(photo));
    return;
  }
  // Tapping a comment answers it; "Comment" opens the box.
  const reply = event.target.closest("a[data-reply]");
  const open = event.target.closest("a[data-comment-open]");
  const postID = reply?.dataset.post || open?.dataset.commentOpen;
  const form = postID && document.getElementById("comment-" + postID);
  if (!form) return;
  event.preventDefault();
  const input = form.querySelector("input[name=text]");
  form.querySelector("[data-reply-field]").value = reply ? reply.dataset.reply : "";
  input.placeholder = reply ? input.dataset.replyPlaceholder.replace("%{name}", reply.dataset.replyName) : input.dataset.placeholder;
  input.focus();
});

// ---- Times and album days in the viewer's zone --------------------------------

function localise(root) {
  for (const t of root.querySelectorAll("time[data-date]")) {
    const d = new Date(t.dateTime);
    if (!isNaN(d)) t.textContent = d.toLocaleDateString(lang);
  }
  let prev = "";
  for (const row of document.querySelectorAll("[data-album-day]")) {
    const d = new Date(row.dataset.albumDay);
    if (isNaN(d)) continue;
    const key = d.toDateString();
    row.querySelector("[data-day]").textContent = String(d.getDate());
    row.querySelector("[data-month]").textContent = d.toLocaleDateString(lang, { month: "short" });
    row.querySelector("[data-album-date]").classList.toggle("invisible", key === prev);
    prev = key;
  }
}
localise(document);
document.addEventListener("htmx:load", (event) => localise(event.target));

// ---- Compose ------------------------------------------------------------------

const form = document.querySelector("form[data-compose]");
if (form) compose(form);

function compose(form) {
  const photosInput = form.querySelector("input[name=photos]");
  const videoInput = form.querySelector("input[name=video]");
  const previews = form.querySelector("[data-previews]");
  const errorBox = form.querySelector("[data-compose-error]");
  const max = Number(form.dataset.maxPhotos) || 9;
  const videoMax = (Number(form.dataset.videoMb) || 100) << 20;
  form.querySelector("[data-video-noscript]")?.setAttribute("hidden", "");
  // Another module's form (Channels) names where it sends, where it goes
  // after, and its fields; Moments' own form keeps these defaults.
  const words = (v, fallback) => (v ?? fallback).split(" ").filter(Boolean);
  const textFields = words(form.dataset.fields, "text location visibility");
  const listFields = words(form.dataset.lists, "members tags reminds");
  let photos = []; // {file, url}
  let video = null; // {file, url, poster, duration}
  let dragFrom = -1;

  const showError = (text) => {
    errorBox.textContent = text || "";
    errorBox.classList.toggle("hidden", !text);
  };

  function addPhotos(files) {
    const images = files.filter((f) => f.type.startsWith("image/"));
    if (!images.length) return;
    if (photos.length + images.length > max) showError(form.dataset.textTooMany);
    for (const file of images.slice(0, max - photos.length)) photos.push({ file, url: URL.createObjectURL(file) });
    draw();
  }

  function button(text, label, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.className = "rounded bg-black/60 px-1.5 text-xs text-white";
    b.addEventListener("click", onClick);
    return b;
  }

  function move(from, to) {
    if (to < 0 || to >= photos.length || from === to) return;
    const [item] = photos.splice(from, 1);
    photos.splice(to, 0, item);
    draw();
  }

  // draw shows the chosen photos (or the video's poster) in order, each
  // with its progress bar and the buttons that move or remove it.
  function draw() {
    previews.replaceChildren();
    const list = video ? [{ url: video.poster ? URL.createObjectURL(video.poster) : "", file: video.file }] : photos;
    list.forEach((item, i) => {
      const li = document.createElement("li");
      li.className = "relative aspect-square overflow-hidden rounded bg-line";
      li.dataset.testid = "preview";
      li.draggable = !video;
      const img = document.createElement("img");
      img.src = item.url;
      img.alt = item.file.name;
      img.className = "size-full object-cover";
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.hidden = true;
      bar.className = "absolute inset-x-1 bottom-1 h-1.5 w-[calc(100%-0.5rem)] accent-brand";
      bar.dataset.testid = "preview-progress";
      bar.setAttribute("aria-label", item.file.name);
      const tools = document.createElement("div");
      tools.className = "absolute inset-x-1 top-1 flex justify-between";
      if (!video) {
        tools.append(button("←", form.dataset.textLeft, () => move(i, i - 1)), button("→", form.dataset.textRight, () => move(i, i + 1)));
        li.addEventListener("dragstart", () => (dragFrom = i));
        li.addEventListener("dragover", (e) => e.preventDefault());
        li.addEventListener("drop", (e) => {
          if (dragFrom < 0) return;
          e.preventDefault();
          e.stopPropagation();
          move(dragFrom, i);
          dragFrom = -1;
        });
      }
      tools.append(
        button("✕", form.dataset.textRemove, () => {
          if (video) video = null;
          else photos.splice(i, 1);
          draw();
        }),
      );
      li.append(img, tools, bar);
      previews.append(li);
    });
  }

  photosInput.addEventListener("change", () => {
    addPhotos([...photosInput.files]);
    photosInput.value = "";
  });
  videoInput.addEventListener("change", async () => {
    const file = videoInput.files[0];
    videoInput.value = "";
    if (!file) return;
    if (file.size > videoMax) return showError(form.dataset.textFailed);
    try {
      video = { file, ...(await posterOf(file)) };
      photos = [];
      draw();
    } catch {
      showError(form.dataset.textFailed);
    }
  });
  const zone = form.querySelector("[data-dropzone]");
  zone.addEventListener("dragover", (e) => {
    if (dragFrom < 0) e.preventDefault();
  });
  zone.addEventListener("drop", (e) => {
    if (dragFrom >= 0) return;
    e.preventDefault();
    addPhotos([...(e.dataTransfer?.files || [])]);
  });
  document.addEventListener("paste", (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (!files.some((f) => f.type.startsWith("image/"))) return;
    e.preventDefault();
    addPhotos(files);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    for (const p of form.querySelectorAll("[data-field-error]")) p.classList.add("hidden");
    const send = form.querySelector("[type=submit]");
    send.disabled = true;
    try {
      const body = new FormData();
      const fields = new FormData(form);
      for (const name of textFields) body.append(name, fields.get(name) || "");
      for (const name of listFields) for (const v of fields.getAll(name)) body.append(name, v);
      const parts = []; // [name, blob, filename] in body order, for the bars
      if (video) {
        parts.push(["video", video.file, video.file.name], ["poster", video.poster, "poster.jpg"]);
        body.append("duration_ms", String(video.duration));
      } else {
        for (const p of photos) parts.push(["photos", await downscale(p.file), p.file.name]);
      }
      for (const [name, blob, filename] of parts) body.append(name, blob, filename);
      const res = await upload(body, parts);
      if (res.status === 201) {
        location.assign(form.dataset.done || "/moments?posted=1");
        return;
      }
      showProblem(res.body);
    } catch {
      showError(form.dataset.textFailed);
    }
    send.disabled = false;
  });

  // upload sends the form to the JSON API, moving each file's bar by the
  // bytes sent (files go in order, after the text fields).
  function upload(body, parts) {
    const bars = [...previews.querySelectorAll("progress")];
    const sizes = parts.filter(([name]) => name !== "poster").map(([, blob]) => blob.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.upload || "/api/plaza/moments/posts");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        let sent = e.loaded - Math.max(0, e.total - total); // roughly: the fields go first
        sizes.forEach((size, i) => {
          const bar = bars[i];
          if (!bar) return;
          bar.hidden = false;
          bar.value = Math.max(bar.value, Math.round((100 * Math.min(size, Math.max(0, sent))) / (size || 1)));
          sent -= size;
        });
      });
      xhr.addEventListener("load", () => {
        let json = {};
        try {
          json = JSON.parse(xhr.responseText);
        } catch {}
        if (xhr.status === 201) bars.forEach((b) => (b.value = 100));
        resolve({ status: xhr.status, body: json });
      });
      xhr.addEventListener("error", reject);
      xhr.send(body);
    });
  }

  // showProblem puts the API's messages where the page shows them: each
  // field's under it (photos.3 under the photos), the rest on top.
  function showProblem(p) {
    const loose = [];
    for (const [field, v] of Object.entries(p?.data || {})) {
      const slot = form.querySelector(`[data-field-error="${CSS.escape(field.split(".")[0])}"]`);
      if (slot) {
        slot.textContent = v.message;
        slot.classList.remove("hidden");
      } else loose.push(v.message);
    }
    showError([p?.message, ...loose].filter(Boolean).join(" ") || form.dataset.textFailed);
  }
}

// downscale makes a photo at most 2,560 px on its longest side (a JPEG);
// a smaller photo, or a GIF, goes as it is (the server cleans it).
async function downscale(file) {
  const limit = 2560;
  if (file.type === "image/gif" || !window.createImageBitmap) return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = limit / Math.max(bitmap.width, bitmap.height);
  if (scale >= 1) {
    bitmap.close();
    return file;
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff"; // a JPEG has no transparency: white, not black
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return await new Promise((resolve) => canvas.toBlob((b) => resolve(b || file), "image/jpeg", 0.88));
}

// posterOf reads a video's length and draws its frame at 0.1 s as the
// poster (a JPEG).
function posterOf(file) {
  return new Promise((resolve, reject) => {
    const v = document.createElement("video");
    const url = URL.createObjectURL(file);
    v.muted = true;
    v.preload = "auto";
    v.playsInline = true;
    v.addEventListener("error", () => reject(new Error("video")));
    // A recording made in a browser may not say its length until the
    // player seeks to its end: seek there first, then to 0.1 s.
    let measuring = false;
    const frameAt = () => Math.min(0.1, (Number.isFinite(v.duration) ? v.duration : 0.2) / 2);
    v.addEventListener("loadedmetadata", () => {
      measuring = !Number.isFinite(v.duration);
      v.currentTime = measuring ? 1e9 : frameAt();
    });
    v.addEventListener("seeked", () => {
      if (measuring) {
        measuring = false;
        v.currentTime = frameAt();
        return;
      }
      const canvas = document.createElement("canvas");
      canvas.width = v.videoWidth || 640;
      canvas.height = v.videoHeight || 360;
      canvas.getContext("2d").drawImage(v, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(
        (poster) => {
          URL.revokeObjectURL(url);
          if (!poster) return reject(new Error("poster"));
          resolve({ poster, duration: Number.isFinite(v.duration) ? Math.max(1, Math.round(v.duration * 1000)) : 1, url: "" });
        },
        "image/jpeg",
        0.85,
      );
    });
    v.src = url;
  });
}
