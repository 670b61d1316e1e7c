// Swagger UI for /openapi.json (the page /docs; no inline script, so the CSP stays strict).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
