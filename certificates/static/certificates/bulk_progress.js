// Polls the bulk run's JSON status and updates the progress page (no framework).
(function () {
  const root = document.getElementById("bulk-job");
  if (!root) return;
  const url = root.dataset.statusUrl;
  const set = (name, value) => {
    const el = root.querySelector(`[data-field="${name}"]`);
    if (el) el.textContent = value;
  };
  function show(state) {
    ["status_label", "done", "total", "issued", "skipped"].forEach((k) => set(k, state[k]));
    root.querySelector("progress").value = state.percent;
    const error = root.querySelector('[data-field="error"]');
    error.textContent = state.error || "";
    error.hidden = !state.error;
    const failures = root.querySelector('[data-role="failures"]');
    const list = failures.querySelector("ul");
    list.replaceChildren(...state.failures.map((f) => {
      const li = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = f.name;
      li.append(strong, document.createTextNode(": " + f.error));
      return li;
    }));
    failures.hidden = state.failures.length === 0;
    root.querySelector('[data-role="empty"]').hidden = !state.empty;
    const downloads = root.querySelector('[data-role="downloads"]');
    if (state.downloads.pdf) {
      downloads.querySelector('[data-link="pdf"]').href = state.downloads.pdf;
      downloads.querySelector('[data-link="zip"]').href = state.downloads.zip;
      downloads.hidden = false;
    }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((state) => {
        show(state);
        if (!state.finished) setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 3000));
  }
  poll();
})();
