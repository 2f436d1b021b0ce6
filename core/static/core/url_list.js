// "Ajouter un lien" of core.widgets.UrlListWidget: one more input, empty, focused.
// Listens on the document, so that it also works in inline rows added later.
"use strict";
document.addEventListener("click", function (event) {
  const button = event.target.closest(".url-list-add");
  if (!button) {
    return;
  }
  event.preventDefault();
  const list = button.parentElement.querySelector(".url-list-lines");
  const last = list.querySelector("li:last-child input");
  const line = document.createElement("li");
  const input = last.cloneNode(false);
  const number = list.children.length + 1;
  input.value = "";
  input.id = last.id.replace(/_\d+$/, "") + "_" + number;
  input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, String(number)));
  line.appendChild(input);
  list.appendChild(line);
  input.focus();
});
