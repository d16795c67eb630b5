// Official Accounts in the browser (views/oa), progressive enhancement
// only: every page works without it. It shows times in the viewer's zone,
// sends the browser's zone with a scheduled broadcast, and makes the
// editor's image button upload each picture to the account's media and
// insert its Markdown where the cursor is (without script the pictures go
// with the form and land at the body's end).

const lang = document.documentElement.lang || undefined;

for (const t of document.querySelectorAll("time[data-local]")) {
  const d = new Date(t.dateTime);
  if (!isNaN(d)) t.textContent = d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

for (const tz of document.querySelectorAll("input[data-oa-tz]")) {
  tz.value = String(new Date().getTimezoneOffset());
}

function insertAt(area, text) {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  area.value = area.value.slice(0, start) + text + area.value.slice(end);
  const at = start + text.length;
  area.setSelectionRange(at, at);
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

for (const input of document.querySelectorAll("input[data-oa-images]")) {
  const form = input.form;
  const area = form?.querySelector("textarea[data-oa-body]");
  const error = form?.querySelector("[data-oa-image-error]");
  if (!area) continue;
  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.disabled = true;
    error?.classList.add("hidden");
    try {
      for (const file of files) {
        const body = new FormData();
        body.append("image", file);
        const res = await fetch(input.dataset.oaImages, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
        const data = await res.json().catch(() => ({}));
        if (!res.ok || !data.url) throw new Error(data.message || input.dataset.textFailed);
        insertAt(area, "\n![](" + data.url + ")\n");
      }
    } catch (e) {
      if (error) {
        error.textContent = e.message || input.dataset.textFailed;
        error.classList.remove("hidden");
      }
    } finally {
      input.value = "";
      input.disabled = false;
      area.dataset.oaInserted = String(Number(area.dataset.oaInserted || 0) + files.length);
    }
  });
}
