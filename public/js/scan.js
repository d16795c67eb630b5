// The Scan page: find a QR code in the camera picture or in a chosen image,
// then hand its text to the server (POST /scan), which verifies it. Uses
// BarcodeDetector where the browser has one, else the vendored jsQR.

const root = document.querySelector("[data-scanner]");
if (root) {
  const form = root.querySelector("[data-scan-form]");
  const message = root.querySelector("[data-scan-message]");
  const texts = root.querySelector("[data-scan-text]").dataset;
  const video = root.querySelector("[data-scan-video]");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });

  const say = (text) => {
    message.textContent = text;
    message.hidden = false;
  };
  const open = (code) => {
    form.elements.code.value = code;
    form.requestSubmit();
  };

  // detector: BarcodeDetector when it reads QR codes, else jsQR on pixels.
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

  const decode = async (source, width, height) => {
    const native = await detector;
    if (native) {
      const found = await native.detect(source);
      return found.length ? found[0].rawValue : null;
    }
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
    try {
      const bitmap = await createImageBitmap(file);
      const code = await decode(bitmap, bitmap.width, bitmap.height);
      if (code) open(code);
      else say(texts.notFound);
    } catch (_) {
      say(texts.notFound);
    }
    event.target.value = "";
  });

  root.dataset.ready = ""; // listeners bound (tests wait for this)

  root.querySelector("[data-scan-camera]").addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (_) {
      say(texts.noCamera);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = async () => {
      if (video.readyState >= 2) {
        const code = await decode(video, video.videoWidth, video.videoHeight).catch(() => null);
        if (code) {
          stream.getTracks().forEach((t) => t.stop());
          open(code);
          return;
        }
      }
      setTimeout(tick, 250);
    };
    tick();
  });
}
