/* Swagger UI for /docs, served locally (npm swagger-ui-dist): no CDN, no inline script. */
(function () {
  "use strict";
  if (typeof window.SwaggerUIBundle !== "function") {
    return; // assets missing: the page keeps its plain-text hint and the /openapi.json link
  }
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
})();
