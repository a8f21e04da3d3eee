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
  // The histogram's counts: shown above every bar whose width has room for its number.
  const fitCounts = () => {
    for (const svg of document.querySelectorAll("svg.histogram")) {
      const labels = svg.querySelectorAll("text.count");
      const slot = svg.getBoundingClientRect().width / Math.max(labels.length, 1);
      for (const label of labels) {
        label.classList.toggle("fits", label.getComputedTextLength() + 4 <= slot);
      }
    }
  };
  fitCounts();
  let resizing = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(fitCounts);
  });
  // The campaign names are fetched when the box is first used (the browser keeps them a
  // minute), not carried by every page.
  if (box && box.dataset.suggest) {
    box.addEventListener("focus", async () => {
      try {
        const response = await fetch(box.dataset.suggest, {headers: {"Accept": "application/json"}});
        if (!response.ok) return;
        suggestCampaigns(box, await response.json());
        if (document.activeElement === box && box.value) box.dispatchEvent(new Event("input"));
      } catch (error) { /* the box works without suggestions */ }
    }, {once: true});
  }
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


// Campaign names under the search box as the reader types, in English, pinyin or Chinese of
// either script ("淨網" finds 净网2021); choosing one searches that campaign.
// `campaigns`: [{c: canonical, z: Chinese name, n: other names, k: announcements}].
function suggestCampaigns(box, campaigns) {
  const fold = (text) => text.normalize("NFKC").toLowerCase()
    .replace(/[\s\-‐–—·・_"'“”‘’]+/g, " ").trim();
  const entries = campaigns.map((c) => ({
    ...c, folded: [c.c, c.z, ...c.n].filter(Boolean).map((name) => [name, fold(name)]),
  }));
  const list = document.createElement("ul");
  list.id = "campaign-suggestions";
  list.className = "suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Campaigns");
  list.hidden = true;
  box.after(list);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");
  let shown = [];
  let active = -1;

  const rank = (query) => {
    const tight = query.replaceAll(" ", "");
    const found = [];
    for (const entry of entries) {
      let best = null;
      for (const [name, folded] of entry.folded) {
        const score = folded.startsWith(query) ? 0
          : (" " + folded).includes(" " + query) ? 1
          : folded.includes(query) ? 2
          : folded.replaceAll(" ", "").includes(tight) ? 3 : null;
        if (score !== null && (best === null || score < best.score)) best = {score, name};
      }
      if (best) found.push({entry, ...best});
    }
    found.sort((a, b) => a.score - b.score || b.entry.k - a.entry.k
      || a.entry.c.length - b.entry.c.length);
    return found.slice(0, 8);
  };
  const close = () => {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    shown = [];
    active = -1;
  };
  const mark = (i) => {
    active = i;
    if (i < 0) box.removeAttribute("aria-activedescendant");
    list.querySelectorAll("[role=option]").forEach((option, j) => {
      option.setAttribute("aria-selected", String(j === i));
      if (j === i) {
        box.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({block: "nearest"});
      }
    });
  };
  const choose = (entry) => {
    box.value = `campaign:"${entry.c}"`;
    close();
    box.form.requestSubmit ? box.form.requestSubmit() : box.form.submit();
  };
  box.addEventListener("input", () => {
    const query = fold(box.value.replace(/^\s*campaign:\s*/i, ""));
    // one Chinese character is a name's start; one Latin letter is not yet
    if (!query || (query.length < 2 && /^[\x00-\x7f]*$/.test(query))) return close();
    shown = rank(query);
    if (!shown.length) return close();
    list.replaceChildren(...shown.map(({entry, name}, i) => {
      const option = document.createElement("li");
      option.id = `campaign-suggestion-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const title = document.createElement("b");
      title.textContent = entry.c;
      option.append(title);
      const also = [entry.z, name].filter((n, j, all) => n && n !== entry.c && all.indexOf(n) === j);
      if (also.length) {
        const names = document.createElement("span");
        names.className = "also";
        names.textContent = also.join(" · ");
        if (/[\u3400-\u9fff]/.test(names.textContent)) names.lang = "zh-CN";
        option.append(" ", names);
      }
      if (entry.k) {
        const count = document.createElement("span");
        count.className = "n";
        count.textContent = `${entry.k.toLocaleString("en")} announcement${entry.k === 1 ? "" : "s"}`;
        option.append(" ", count);
      }
      // mousedown, not click: the box must not lose the choice to its blur
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(entry);
      });
      return option;
    }));
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    active = -1;
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      let next = active + step;  // past either end: back to what the reader typed
      if (next >= shown.length) next = -1;
      else if (next < -1) next = shown.length - 1;
      mark(next);
    } else if (event.key === "Enter" && active >= 0 && active < shown.length) {
      event.preventDefault();
      choose(shown[active].entry);
    } else if (event.key === "Escape") {
      close();
    }
  });
  box.addEventListener("blur", close);
}
