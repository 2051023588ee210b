// /api/docs: Swagger UI over the schema, from this server's own files (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: root.dataset.schema,
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
