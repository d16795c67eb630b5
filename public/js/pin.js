// The pay PIN's six boxes (views/wallet pinBoxes): the real field is a
// password input that the keyboard types into and screen readers read;
// the boxes show a dot per digit and mark the next one; the on-screen
// keypad types into the same field.
for (const box of document.querySelectorAll("[data-pin]:not([data-pin-ready])")) {
  box.dataset.pinReady = "";
  const input = box.querySelector("input");
  const cells = [...box.querySelectorAll("[data-pin-box]")];
  const draw = () => {
    const digits = input.value.replace(/\D/g, "").slice(0, 6);
    if (digits !== input.value) input.value = digits;
    const focused = document.activeElement === input;
    cells.forEach((cell, i) => {
      cell.textContent = i < digits.length ? "•" : "";
      const next = focused && i === Math.min(digits.length, 5);
      cell.classList.toggle("ring-2", next);
      cell.classList.toggle("ring-brand", next);
    });
  };
  input.addEventListener("input", draw);
  input.addEventListener("focus", draw);
  input.addEventListener("blur", draw);
  const pad = box.querySelector("[data-pin-keypad]");
  if (pad) {
    pad.hidden = false;
    pad.addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]")?.dataset.key;
      if (!key) return;
      input.value = key === "del" ? input.value.slice(0, -1) : (input.value + key).slice(0, 6);
      input.focus({ preventScroll: true });
      draw();
    });
  }
  draw();
}
