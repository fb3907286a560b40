// "Use where I am": off until the person presses it; the position is rounded to about 1 km and only sent
// as part of the search URL. Without JavaScript (or geolocation) the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-near-me]");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
  var status = document.getElementById("near-me-status");
  button.hidden = false;

  function setHidden(name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  form.elements.near.addEventListener("input", function () {
    form.querySelectorAll('input[type="hidden"][name="lat"], input[type="hidden"][name="lng"]').forEach(function (el) {
      el.remove();
    });
  });

  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        setHidden("lat", position.coords.latitude.toFixed(2));
        setHidden("lng", position.coords.longitude.toFixed(2));
        form.elements.near.value = "";
        status.textContent = "";
        form.submit(); // a whole page, so the form shows where the search is centred and how to forget it
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();
