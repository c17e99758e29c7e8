// The people-and-roles form: a box that narrows the person list as a name is typed,
// and only the scope field the chosen role needs. Without JavaScript every field
// shows, each saying which role it is for, and the server ignores the others.
(() => {
  const fold = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u064B-\u065F\u0670\u0640\u0300-\u036f]/g, "")
      .replace(/[أإآٱ]/g, "ا")
      .replace(/ة/g, "ه")
      .replace(/ى/g, "ي")
      .toLowerCase();

  document.querySelectorAll("input[data-filters]").forEach((box) => {
    const select = document.getElementById(box.dataset.filters);
    if (!select) return;
    box.closest("label").hidden = false;
    box.addEventListener("input", () => {
      const words = fold(box.value).split(/\s+/).filter(Boolean);
      let first = null;
      for (const option of select.options) {
        if (!option.value) continue;
        const shown = words.every((w) => fold(option.text).includes(w));
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && !first) first = option;
      }
      const current = select.selectedOptions[0];
      if (words.length && first && (!current || !current.value || current.hidden)) {
        first.selected = true;
      }
    });
  });

  const role = document.getElementById("id_role");
  if (!role) return;
  const needs = { institute_admin: "institute", trainer: "hospital", supervisor: "ward" };
  const show = () => {
    const wanted = needs[role.value];
    document.querySelectorAll("[data-scope-for]").forEach((block) => {
      block.hidden = block.dataset.scopeFor !== wanted;
    });
    const none = document.querySelector("[data-scope-none]");
    if (none) none.hidden = Boolean(wanted);
  };
  role.addEventListener("change", show);
  show();
})();
