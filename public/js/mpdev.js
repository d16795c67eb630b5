// The Mini Programs developer console in the browser (views/mp/developer*),
// progressive enhancement only: every page works without it. It shows
// times in the viewer's zone and copies the AppSecret shown once.

const lang = document.documentElement.lang || undefined;

for (const t of document.querySelectorAll("time[data-local]")) {
  const d = new Date(t.dateTime);
  if (!isNaN(d)) t.textContent = d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.querySelector(button.dataset.copy);
  if (!field) continue;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select(); // no clipboard (an insecure origin): select it for the member to copy
      return;
    }
    button.textContent = button.dataset.copied || label;
    setTimeout(() => (button.textContent = label), 2000);
  });
}
