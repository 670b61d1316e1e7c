/* The console's shared bits: open and close the confirmation dialogs. No framework, no network. */
"use strict";

document.addEventListener("click", function (event) {
  var opener = event.target.closest("[data-open]");
  if (opener) {
    var dialog = document.getElementById(opener.getAttribute("data-open"));
    if (dialog && typeof dialog.showModal === "function") {
      dialog.showModal();
      var first = dialog.querySelector("input:checked, input, button");
      if (first) first.focus();
    }
    return;
  }
  var closer = event.target.closest("[data-close]");
  if (closer) {
    var open = closer.closest("dialog");
    if (open) open.close();
  }
});

/* «Other» as a pause reason needs its text: ask for it in the form itself. */
document.addEventListener("change", function (event) {
  if (event.target.name !== "reason") return;
  var other = document.getElementById("pause-other");
  if (other) other.required = event.target.value === "other";
});
