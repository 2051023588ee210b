// Progressive enhancement only: every page works without this file.
// 1. Changing a filter re-runs the search.
// 2. In an article, pointing at a statement in the list lights up its text, and
//    clicking a highlighted passage jumps to its entry in the list.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  if (form) {
    form.querySelectorAll("select, input[type=checkbox], input[type=date]").forEach((el) =>
      el.addEventListener("change", () => form.submit())
    );
  }
  const marksFor = (id) => document.querySelectorAll(`mark[data-statement="${CSS.escape(id)}"]`);
  document.querySelectorAll(".article aside li[id]").forEach((li) => {
    li.addEventListener("mouseenter", () => marksFor(li.id).forEach((m) => m.classList.add("active")));
    li.addEventListener("mouseleave", () => marksFor(li.id).forEach((m) => m.classList.remove("active")));
  });
  document.querySelectorAll(".article mark[data-statement]").forEach((m) => {
    m.addEventListener("click", () => {
      const id = m.dataset.statement;
      if (id && document.getElementById(id)) location.hash = id;
    });
  });
});
