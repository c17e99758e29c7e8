// "Select all" for the supervisor's hours awaiting approval (one save approves them).
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("approve-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document
      .querySelectorAll('input[form="approve-many"][name="entry"]')
      .forEach(function (box) { box.checked = all.checked; });
  });
});
