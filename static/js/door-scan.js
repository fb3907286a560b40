// "Scan a code" at the door. Where the browser can read QR codes (BarcodeDetector with qr_code) and open a camera,
// the hidden scan button is shown; a code it reads goes into the code box and the form is sent as if typed, so
// htmx, CSRF and the server's checks stay the same. Everywhere else the page is the typing form, as before.
(function () {
  "use strict";
  var stopRunning = null; // stops the camera that is open, if one is
  var focusAnswer = false; // a scan sent the form: when the answer is swapped in, focus goes to it

  function supported() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.resolve(false);
    }
    return Promise.resolve()
      .then(function () {
        return window.BarcodeDetector.getSupportedFormats();
      })
      .then(function (formats) {
        return formats.indexOf("qr_code") !== -1;
      })
      .catch(function () {
        return false;
      });
  }

  function scanner(box) {
    var form = box.closest("form");
    var input = form.elements.code;
    var start = box.querySelector("[data-scan-start]");
    var stop = box.querySelector("[data-scan-stop]");
    var camera = box.querySelector("[data-scan-camera]");
    var video = camera.querySelector("video");
    var status = box.querySelector("[data-scan-status]");
    var stream = null;
    var detector = null;
    var turn = 0; // each press of "Scan a code" and each stop is a new turn; late answers of an old one are dropped

    function say(key) {
      status.textContent = key ? box.dataset[key] : "";
      status.classList.toggle("scan__status--problem", key === "refused" || key === "noCamera" || key === "failed");
    }

    function stopCamera() {
      turn += 1;
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
      }
      stream = null;
      video.srcObject = null;
      camera.hidden = true;
      start.hidden = false;
    }

    function failed(mine, error) {
      if (mine !== turn) return;
      stopCamera();
      var name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError") say("refused");
      else if (name === "NotFoundError" || name === "OverconstrainedError") say("noCamera");
      else say("failed");
      input.focus(); // typing is the way on
    }

    function look(mine) {
      if (mine !== turn) return;
      if (video.readyState < video.HAVE_CURRENT_DATA) {
        window.requestAnimationFrame(function () {
          look(mine);
        });
        return;
      }
      detector
        .detect(video)
        .then(function (codes) {
          if (mine !== turn) return;
          var code = codes.length ? String(codes[0].rawValue || "").trim() : "";
          if (!code) {
            window.requestAnimationFrame(function () {
              look(mine);
            });
            return;
          }
          stopCamera();
          input.value = code;
          say("found");
          focusAnswer = true;
          form.requestSubmit(); // a submit event, so htmx (or, without it, the browser) sends it as if typed
        })
        .catch(function (error) {
          failed(mine, error);
        });
    }

    start.addEventListener("click", function () {
      stopCamera();
      var mine = turn;
      say("starting");
      try {
        detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (error) {
        failed(mine, error);
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (opened) {
          if (mine !== turn) {
            // stopped, sent or pressed again while the camera was opening
            opened.getTracks().forEach(function (track) {
              track.stop();
            });
            return;
          }
          stream = opened;
          video.srcObject = opened;
          start.hidden = true;
          camera.hidden = false;
          stop.focus();
          say("looking");
          return video.play().then(function () {
            look(mine);
          });
        })
        .catch(function (error) {
          failed(mine, error);
        });
    });

    stop.addEventListener("click", function () {
      stopCamera();
      say("stopped");
      start.focus();
    });

    form.addEventListener("submit", stopCamera); // a typed code sent while the camera is open
    stopRunning = function () {
      var wasOpen = stream !== null;
      stopCamera(); // also drops a camera still opening
      if (wasOpen) say("stopped");
    };
    box.hidden = false;
  }

  function setUp(root) {
    if (!root.querySelector) return;
    if (focusAnswer) {
      focusAnswer = false;
      var answer = root.querySelector(".result, [aria-invalid]");
      if (answer) answer.focus();
    }
    var box = root.querySelector("[data-scan]");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    supported().then(function (yes) {
      if (yes) scanner(box);
    });
  }

  // The camera never outlives the page part it was opened for: swapped out, left, or put in the background.
  function stopAny() {
    if (stopRunning) stopRunning();
  }
  document.addEventListener("htmx:beforeSwap", stopAny);
  window.addEventListener("pagehide", stopAny);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stopAny();
  });

  if (window.htmx) window.htmx.onLoad(setUp);
  else setUp(document);
})();
