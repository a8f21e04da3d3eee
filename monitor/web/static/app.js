// A little progressive enhancement; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Changing the sort order re-runs the search.
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Long facet lists show their first entries until asked for more.
  for (const button of document.querySelectorAll(".more-toggle")) {
    button.addEventListener("click", () => {
      const open = button.closest(".facet").classList.toggle("open");
      button.textContent = open ? "fewer" : "more";
    });
  }
  // "/" jumps to the search box, as on most search sites.
  const box = document.querySelector("header input[type=search]");
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && box && document.activeElement !== box
        && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
    }
  });
  // The dead-letter requeue sends the token as a header, which a plain form cannot.
  for (const form of document.querySelectorAll("form.requeue")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".requeue-status");
      const all = event.submitter && event.submitter.name === "all";
      const refs = [...form.querySelectorAll("input[name=ref]:checked")].map((box) => box.value);
      if (!all && refs.length === 0) {
        status.textContent = "Pick at least one message.";
        return;
      }
      const headers = {"Content-Type": "application/json", "Accept": "application/json"};
      const token = form.querySelector("input[name=token]");
      if (token) headers["X-Monitor-Token"] = token.value;
      status.textContent = "Sending back…";
      try {
        const response = await fetch("/api/ops/dead-letters/requeue", {
          method: "POST", headers, body: JSON.stringify(all ? {all: true} : {refs}),
        });
        const answer = await response.json();
        if (!response.ok) {
          status.textContent = answer.detail || `Refused (${response.status}).`;
          return;
        }
        window.location.assign(`/ops?requeued=${answer.requeued}#dead-letters`);
      } catch (error) {
        status.textContent = `Could not reach the monitor: ${error}`;
      }
    });
  }
});
