// The saved-search forms send the monitor's token as a header, which a plain form cannot;
// without a token they are plain forms and need no script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.saved-form[data-token]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".saved-status");
      const data = new URLSearchParams(new FormData(form));
      const token = data.get("token") || "";
      data.delete("token");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          headers: {"Content-Type": "application/x-www-form-urlencoded", "X-Monitor-Token": token},
          body: data,
        });
        if (response.ok) {
          // fetch leaves out the fragment of the page it was sent on to: the id in its query
          // says which search to show
          const next = new URL(response.url);
          const id = next.searchParams.get("id");
          if (id) next.hash = `saved-${id}`;
          window.location.assign(next.href);
          return;
        }
        const text = await response.text();
        let detail = text;
        try { detail = JSON.parse(text).detail || text; } catch (error) { /* an HTML page */ }
        if (text.startsWith("<")) {
          const page = new DOMParser().parseFromString(text, "text/html");
          const message = page.querySelector(".notice p");
          detail = message ? message.textContent : `Refused (${response.status}).`;
        }
        status.textContent = detail;
      } catch (error) {
        status.textContent = `Could not reach the monitor: ${error}`;
      }
    });
  }
});
