/* The query page: YASGUI on this service's /sparql endpoint, with the named queries as examples.
   Without JavaScript (or if YASGUI fails) the plain form below it keeps working. */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") { return; }
  var examples = JSON.parse(document.getElementById("named-queries").textContent || "[]");
  var plain = document.getElementById("query-text");
  var endpoint = new URL(root.getAttribute("data-endpoint"), window.location.href).href;
  document.documentElement.classList.add("js");

  // Nothing leaves this service: no prefix.cc or LOV autocompletion, no remembered tabs.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autofocus: false,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: plain ? plain.value : "" },
  });
  window.plenipotYasgui = yasgui;

  function load(name, run) {
    var example = examples.find(function (e) { return e.name === name; });
    if (!example) { return false; }
    var tab = yasgui.getTab();
    tab.setName(example.title.slice(0, 40));
    tab.setQuery(example.text);
    if (run) { tab.query(); }
    return true;
  }

  document.querySelectorAll("[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (load(link.getAttribute("data-example"), true)) {
        event.preventDefault();
        root.scrollIntoView({ behavior: "smooth" });
      }
    });
  });
  var chosen = new URLSearchParams(window.location.search).get("example");
  if (chosen) { load(chosen, false); }
})();
