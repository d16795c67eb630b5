// The pay PIN (views/wallet pinBoxes). The real field is a password input
// that the keyboard types into and screen readers read; six boxes show a
// dot per digit and mark the next one; an on-screen keypad types into the
// same field.
//
// Without JavaScript the block is a field of its form. Here it moves into a
// <dialog> inside the same form (so the input still submits with it): the
// form's Pay button opens the dialog as a modal sheet that slides up (the
// look of the confirmation sheet), focus goes to the input, and the sixth
// digit submits the form, as in WeChat. Close, Escape or a tap outside
// cancels: the digits are dropped, nothing is sent and focus returns to the
// button. A PIN refusal from the server (the input is aria-invalid) opens
// the sheet again at once with the message inside it and the boxes empty.

const SUBMIT_DELAY = 150; // ms: the sixth dot shows before the page goes

for (const block of document.querySelectorAll("[data-pin]:not([data-pin-ready])")) {
  block.dataset.pinReady = "";
  const input = block.querySelector("input");
  const cells = [...block.querySelectorAll("[data-pin-box]")];
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
  input.addEventListener("focus", draw);
  input.addEventListener("blur", draw);
  const pad = block.querySelector("[data-pin-keypad]");
  pad.hidden = false;
  pad.addEventListener("click", (event) => {
    const key = event.target.closest("[data-key]")?.dataset.key;
    if (!key || input.readOnly) return;
    input.value = key === "del" ? input.value.slice(0, -1) : (input.value + key).slice(0, 6);
    input.focus({ preventScroll: true });
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });

  const form = input.form;
  if (!form || typeof HTMLDialogElement !== "function") {
    input.addEventListener("input", draw);
    draw();
    continue;
  }

  // The sheet: a modal dialog in the form, around the block.
  const sheet = document.createElement("dialog");
  sheet.className = "confirm-sheet pin-sheet";
  sheet.dataset.testid = "pin-sheet";
  sheet.setAttribute("aria-labelledby", "pin-sheet-title");
  block.before(sheet);
  sheet.append(block);
  block.classList.replace("mb-4", "p-4");
  block.querySelector("[data-pin-head]").hidden = false;
  block.querySelector("[data-pin-label]").classList.add("sr-only");
  const amount = block.querySelector("[data-pin-amount-text]");
  const close = block.querySelector("[data-pin-close]");

  const payButton = () => form.querySelector("button:not([type]), button[type=submit], input[type=submit]");
  let submitter = null;
  let timer = 0;
  let state = "idle"; // "ready": six digits, about to send; "sent": the form went

  // What is being paid: a fixed amount (data-pin-amount), else the form's
  // amount field (times the count for a normal red packet).
  const amountText = () => {
    const fixed = form.matches("[data-pin-amount]") ? form : form.querySelector("[data-pin-amount]");
    if (fixed) return fixed.dataset.pinAmount;
    const value = form.elements.namedItem("amount")?.value?.trim().replace(/,/g, "") || "";
    if (!/^\d+(\.\d{1,2})?$/.test(value)) return "";
    let cents = Math.round(Number(value) * 100);
    const count = Number(form.elements.namedItem("count")?.value || 1);
    if (form.elements.namedItem("kind")?.value === "normal" && Number.isInteger(count) && count > 1) cents *= count;
    if (!cents) return "";
    const figures = (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (block.dataset.pinSymbol || "") + figures;
  };

  const open = (button) => {
    submitter = button && button.form === form ? button : payButton();
    state = "idle";
    input.readOnly = false;
    input.value = "";
    amount.textContent = amountText();
    amount.hidden = !amount.textContent;
    if (amount.hidden) sheet.removeAttribute("aria-describedby");
    else sheet.setAttribute("aria-describedby", amount.id);
    sheet.showModal(); // modal: the page behind is inert, Tab stays inside
    input.focus();
    draw();
  };

  input.addEventListener("input", () => {
    draw();
    if (!sheet.open || state !== "idle" || input.value.length < 6) return;
    state = "ready";
    input.readOnly = true; // still submitted, no longer typed into
    timer = setTimeout(() => form.requestSubmit(submitter), SUBMIT_DELAY);
  });

  form.addEventListener("submit", (event) => {
    if (state === "ready") {
      // The sixth digit's submit (or Enter just before it): let it go, once.
      clearTimeout(timer);
      state = "sent";
      return;
    }
    if (state === "sent") {
      event.preventDefault();
      return;
    }
    // A required field left empty goes to the server as it is, which names
    // it (amounts and the like are checked before the PIN).
    if (!sheet.open && [...form.elements].some((el) => el !== input && el.willValidate && el.validity.valueMissing)) return;
    event.preventDefault();
    if (!sheet.open) open(event.submitter);
  });

  sheet.addEventListener("close", () => {
    clearTimeout(timer);
    if (state === "ready") state = "idle";
    input.readOnly = false;
    input.value = "";
    draw();
    const back = submitter && submitter.isConnected ? submitter : payButton();
    back?.focus();
  });
  close.addEventListener("click", () => sheet.close());
  // A tap on the backdrop cancels, as on the confirmation sheet.
  sheet.addEventListener("click", (event) => {
    if (event.target === sheet) sheet.close();
  });
  // Tab goes between the close button and the PIN, never out of the sheet.
  sheet.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    event.preventDefault();
    (document.activeElement === input ? close : input).focus();
  });
  // Back to this page from the next one (the back/forward cache): start over.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    state = "idle";
    if (sheet.open) sheet.close();
  });

  draw();
  if (input.getAttribute("aria-invalid") === "true") open(null);
}
