// The template editor's "Aperçu" button: without this file it opens the preview in another
// tab; with it, the preview of the text being typed is shown beside the editor.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("letter-preview-button");
  const result = document.getElementById("letter-preview-result");
  if (!button || !result) return;
  button.addEventListener("click", async (event) => {
    event.preventDefault();
    const form = button.form;
    button.disabled = true;
    try {
      const response = await fetch(button.formAction, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
      });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const shown = page.getElementById("letter-preview-result");
      result.replaceChildren(...(shown ? shown.childNodes : []));
      if (!shown) result.textContent = "Aperçu impossible (" + response.status + ").";
    } catch (error) {
      result.textContent = "Aperçu impossible : " + error;
    } finally {
      button.disabled = false;
    }
  });
});
