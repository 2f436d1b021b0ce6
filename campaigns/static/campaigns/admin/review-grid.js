"use strict";
// A button under each list of addresses adds an empty input of the same name: the page
// works without it (each list always ends with an empty input).
document.addEventListener("DOMContentLoaded", () => {
  for (const list of document.querySelectorAll("ul.url-list")) {
    const first = list.querySelector("input");
    if (!first || first.disabled) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button url-list-add";
    button.textContent = "Ajouter une source";
    button.addEventListener("click", () => {
      const item = document.createElement("li");
      const input = document.createElement("input");
      input.type = "url";
      input.name = list.dataset.name;
      input.id = `${list.id}_${list.querySelectorAll("input").length}`;
      item.appendChild(input);
      list.appendChild(item);
      input.focus();
    });
    list.after(button);
  }
});
