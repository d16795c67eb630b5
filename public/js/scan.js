// Reading QR codes in the browser: from the camera picture or from a chosen
// image, with BarcodeDetector where the browser has one, else the vendored
// jsQR. The Scan page (views/contacts ScanPage, [data-scanner]) hands what
// it reads to the server (POST /scan), which verifies it; a mini program's
// scan sheet (views/mp, public/js/mphost.js) imports scanner() and hands the
// text to the app.

/**
 * scanner wires a block that holds [data-scan-message], [data-scan-text]
 * (its data-not-found and data-no-camera messages), [data-scan-video],
 * [data-scan-file] and [data-scan-camera]: found(text) is called with the
 * first code read. When window.jsQR is missing it is loaded from the
 * block's data-scan-jsqr. Returns stop(), which turns the camera off and
 * ends the reading.
 */
export function scanner(root, found) {
  const message = root.querySelector("[data-scan-message]");
  const texts = root.querySelector("[data-scan-text]").dataset;
  const video = root.querySelector("[data-scan-video]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stream = null;
  let stopped = false;

  const say = (text) => {
    message.textContent = text;
    message.hidden = false;
  };
  const stop = () => {
    stopped = true;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
  };
  const done = (code) => {
    stop();
    found(code);
  };

  const decode = async (source, width, height) => {
    const native = await detector;
    if (native) {
      const codes = await native.detect(source);
      return codes.length ? codes[0].rawValue : null;
    }
    await loadJsQR(root.dataset.scanJsqr);
    const scale = Math.min(1, 1024 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const result = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    return result ? result.data : null;
  };

  root.querySelector("[data-scan-file]").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    stopped = false;
    try {
      const bitmap = await createImageBitmap(file);
      const code = await decode(bitmap, bitmap.width, bitmap.height);
      if (code) done(code);
      else say(texts.notFound);
    } catch (_) {
      say(texts.notFound);
    }
    event.target.value = "";
  });

  root.querySelector("[data-scan-camera]").addEventListener("click", async () => {
    if (stream) return;
    stopped = false;
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (_) {
      say(texts.noCamera);
      return;
    }
    if (stopped) {
      media.getTracks().forEach((t) => t.stop());
      return;
    }
    stream = media;
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => {});
    const tick = async () => {
      if (stopped) return;
      if (video.readyState >= 2) {
        const code = await decode(video, video.videoWidth, video.videoHeight).catch(() => null);
        if (stopped) return;
        if (code) {
          done(code);
          return;
        }
      }
      setTimeout(tick, 250);
    };
    tick();
  });

  return stop;
}

// detector: BarcodeDetector when it reads QR codes, else null (jsQR).
const detector = (async () => {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (_) {
      /* fall back to jsQR */
    }
  }
  return null;
})();

// loadJsQR adds the vendored jsQR (a classic script) once, when a page did
// not load it itself.
let jsQRLoading = null;
function loadJsQR(url) {
  if (window.jsQR || !url) return Promise.resolve();
  jsQRLoading ||= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = () => {
      jsQRLoading = null;
      reject(new Error("jsQR"));
    };
    document.head.append(script);
  });
  return jsQRLoading;
}

// The Scan page: what is read goes to the server in the page's form.
const page = document.querySelector("[data-scanner]");
if (page) {
  const form = page.querySelector("[data-scan-form]");
  scanner(page, (code) => {
    form.elements.code.value = code;
    form.requestSubmit();
  });
  page.dataset.ready = ""; // listeners bound (tests wait for this)
}
