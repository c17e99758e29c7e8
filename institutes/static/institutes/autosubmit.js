// Submits a filter form as soon as one of its <select data-autosubmit> changes.
// Replaces inline onchange="this.form.submit()" handlers, which a Content Security
// Policy without 'unsafe-inline' blocks. Without JavaScript the form keeps its
// <noscript> button.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
