// "Show results" closes the filters, so the results it asked for come into view. (Without JavaScript the form
// loads a new page, where the filters start closed anyway.)
(function () {
  "use strict";
  var form = document.querySelector('form[role="search"]');
  if (!form) return;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-close-filters")) return;
    var filters = button.closest("details");
    filters.open = false;
    filters.querySelector("summary").focus(); // the button is hidden now: focus stays next to where it was
  });
})();
