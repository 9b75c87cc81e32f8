/* patentpool web portal: the one script of our own (htmx does the rest). After a page loads or
   htmx swaps one in (a form's answer), the page's message (an error summary, role="alert", or
   a confirmation, role="status") is brought into view and given the keyboard focus, so it is
   seen and read out, not left above or below the fold. A file input with `data-max-bytes`
   refuses a file over the upload limit as soon as it is chosen (its `data-too-large` words),
   so a large file is not sent only to be refused. Pages work without it. */
(function () {
  "use strict";
  var SELECTOR = "main .alert[role='alert'], main .alert[role='status']";

  function inView(el) {
    var box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }

  function showMessage() {
    var message = document.querySelector(SELECTOR);
    if (!message) { return; }
    if (!message.hasAttribute("tabindex")) { message.setAttribute("tabindex", "-1"); }
    if (!inView(message)) { message.scrollIntoView({ block: "center" }); }
    message.focus({ preventScroll: true });
  }

  function checkSize(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type='file'][data-max-bytes]")) { return; }
    var limit = Number(input.getAttribute("data-max-bytes"));
    var tooLarge = limit > 0 && Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
    input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") || "" : "");
    if (tooLarge) { input.reportValidity(); }
  }

  document.addEventListener("change", checkSize);
  document.addEventListener("DOMContentLoaded", showMessage);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target === document.body) { window.setTimeout(showMessage, 0); }
  });
})();
