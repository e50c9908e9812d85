// The API reference page's script (served at /docs/assets/docs.js, no inline script: the page's
// content security policy allows scripts from the API itself only). Renders the document the page
// names (data-spec-url) with Redoc's standalone build, loaded before this file.
(() => {
  const root = document.getElementById('reference');
  const url = root?.dataset.specUrl;
  if (!root || !url || !window.Redoc) return;
  window.Redoc.init(
    url,
    { hideDownloadButton: false, expandResponses: '200,201', pathInMiddlePanel: true, scrollYOffset: 48 },
    root,
    (err) => {
      if (err) root.textContent = `The document at ${url} could not be loaded: ${err.message ?? err}`;
    },
  );
})();
