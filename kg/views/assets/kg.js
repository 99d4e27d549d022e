// kg explorer: search, the graph and its filters. Every string from the data is put in the page
// with textContent or as a vis-network plain-text title, never as HTML.
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  var TYPE_COLOURS = JSON.parse(document.body.getAttribute("data-type-colours") || "{}");  // kg/views/style.py

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // ---- search -------------------------------------------------------------------------------
  var MAX_RESULTS = 20;

  // Rank: exact name or alias first, then prefix, then substring; the index is sorted by mentions.
  function find(query) {
    var entries = window.KG_SEARCH || [];
    var q = fold(query);
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var keys = entries[i].k;
      var best = 3;
      for (var j = 0; j < keys.length && best > 0; j++) {
        var at = keys[j].indexOf(q);
        if (at < 0) continue;
        var rank = keys[j].length === q.length ? 0 : at === 0 ? 1 : 2;
        if (rank < best) best = rank;
      }
      if (best < 3) hits.push([best, i]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.slice(0, MAX_RESULTS).map(function (h) { return entries[h[1]]; });
  }

  function showResults(list, results) {
    list.textContent = "";
    results.forEach(function (entry) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + entry.u;
      var dot = document.createElement("span");
      dot.className = "dot";
      dot.style.background = TYPE_COLOURS[entry.t] || "#888";
      a.appendChild(dot);
      a.appendChild(document.createTextNode(entry.n));
      var meta = document.createElement("span");
      meta.className = "meta";
      var alias = entry.a && entry.a.length ? " · " + entry.a.slice(0, 3).join(", ") : "";
      meta.textContent = entry.t + " · " + entry.m + (entry.t === "Digest" ? " items" : " mentions") + alias;
      a.appendChild(meta);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No entity has that name or alias.";
      list.appendChild(none);
    }
    list.hidden = false;
  }

  function startSearch() {
    var input = document.getElementById("kg-search");
    var list = document.getElementById("kg-search-results");
    if (!input || !list) return;
    input.addEventListener("input", function () {
      if (!fold(input.value)) { list.hidden = true; return; }
      showResults(list, find(input.value));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = list.querySelector("a");
        if (first) window.location.href = first.href;
      } else if (event.key === "Escape") {
        list.hidden = true;
        input.blur();
      }
    });
    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) list.hidden = true;
    });
  }

  // ---- graph --------------------------------------------------------------------------------
  // A node names its entity's page; its tooltip and size come from the search index. So a page
  // stays the same when only a neighbour's counts or dates change (kg/views/graphs.py _node).
  var MAX_ALIASES = 8;

  function nodeSize(mentions) {  // area grows with mentions, but a hub never swallows the view
    return Math.round(Math.min(10 + 5 * Math.log2(1 + mentions), 48) * 10) / 10;
  }

  function tooltip(entry) {  // vis-network shows a string title as plain text, never as HTML
    var lines = [entry.n, "Type: " + entry.t];
    if (entry.a && entry.a.length) {
      var more = entry.a.length - MAX_ALIASES;
      lines.push("Aliases: " + entry.a.slice(0, MAX_ALIASES).join(", ") + (more > 0 ? " (+" + more + " more)" : ""));
    }
    lines.push("Mentions: " + entry.m);
    if (entry.f) lines.push("Seen: " + entry.f + " – " + entry.l);
    return lines.join("\n");
  }

  function completeNodes(nodes) {
    var byPage = {};
    (window.KG_SEARCH || []).forEach(function (entry) { byPage[entry.u] = entry; });
    nodes.forEach(function (node) {
      var entry = byPage[node.page];
      node.url = root + node.page;
      node.title = entry ? tooltip(entry) : node.label;
      if (entry) node.size = nodeSize(entry.m);
    });
    return nodes;
  }

  function startGraph() {
    var holder = document.getElementById("kg-graph");
    var container = document.getElementById("kg-network");
    if (!holder || !container || !window.vis) return null;
    var data = JSON.parse(holder.textContent);
    completeNodes(data.nodes);
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
    network.fit({ animation: false });
    network.once("afterDrawing", function () {
      document.body.setAttribute("data-drawn-ms", String(Math.round(performance.now())));
      document.body.setAttribute("data-drawn", String(nodes.length));
    });
    network.on("click", function (params) {
      if (params.nodes.length) {
        var node = nodes.get(params.nodes[0]);
        if (node && node.url) window.location.href = node.url;
      }
    });
    network.on("hoverNode", function () { container.style.cursor = "pointer"; });
    network.on("blurNode", function () { container.style.cursor = "default"; });
    var physics = document.getElementById("kg-physics");
    if (physics) {
      physics.addEventListener("change", function () {
        network.setOptions({ physics: { enabled: physics.checked } });
      });
    }
    window.kgView = { network: network, nodes: nodes, edges: edges };
    return window.kgView;
  }

  // ---- overview filters (index page) ---------------------------------------------------------
  function checked(listId) {
    var set = {};
    document.querySelectorAll("#" + listId + " input[type=checkbox]").forEach(function (box) {
      if (box.checked) set[box.value] = true;
    });
    return set;
  }

  function startFilters(view) {
    var from = document.getElementById("kg-date-from");
    var to = document.getElementById("kg-date-to");
    var shown = document.getElementById("kg-shown");
    if (!view || !from || !to) return;
    function apply() {
      var types = checked("kg-type-filter");
      var kinds = checked("kg-relation-filter");
      var lo = from.value || "0000-00-00";
      var hi = to.value || "9999-99-99";
      var visible = 0;
      var nodeUpdates = view.nodes.get().map(function (n) {
        var inRange = !n.first || (n.first <= hi && (n.last || n.first) >= lo);
        var show = !!types[n.type] && inRange;
        if (show) visible++;
        return { id: n.id, hidden: !show };
      });
      view.nodes.update(nodeUpdates);
      view.edges.update(view.edges.get().map(function (e) { return { id: e.id, hidden: !kinds[e.kind] }; }));
      if (shown) shown.textContent = String(visible);
      document.body.setAttribute("data-visible", String(visible));
    }
    document.querySelectorAll("#kg-type-filter input, #kg-relation-filter input").forEach(function (box) {
      box.addEventListener("change", apply);
    });
    from.addEventListener("change", apply);
    to.addEventListener("change", apply);
  }

  startSearch();
  var view = startGraph();
  startFilters(view);
})();
