/* The public map: municipalities coloured by their latest published score and initiatives
 * as markers, from /api/map/; the theme and kind filters redraw it in place; a click on a
 * municipality or a marker opens its card. The page's lists say the same without it. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("carte-config").textContent);
  var element = document.getElementById("carte");
  var state = document.getElementById("etat-carte");
  var card = document.getElementById("fiche");
  var query = Object.assign({}, config.query);
  var layer = null;
  var request = 0;

  var map = L.map(element, { zoomSnap: 0.25, minZoom: 3, maxZoom: 16 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  if (config.bounds) {
    map.fitBounds([[config.bounds[1], config.bounds[0]], [config.bounds[3], config.bounds[2]]]);
  } else {
    map.setView([46.6, 2.4], 5);
  }

  function scoreClass(score) {
    if (score === null || score === undefined) return null;
    var found = null;
    config.classes.forEach(function (row, index) {
      if (row.low !== null && score >= row.low) found = index;
    });
    return found;
  }

  function colourOf(score) {
    var index = scoreClass(score);
    return index === null ? config.classes[config.classes.length - 1].colour : config.classes[index].colour;
  }

  function number(value) {
    return value.toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function municipalityUrl(code) {
    return config.municipality_url.replace("00000", encodeURIComponent(code));
  }

  function text(id, value) {
    var node = document.getElementById(id);
    node.textContent = value || "";
    node.hidden = !value;
  }

  function openCard(properties) {
    var municipality = properties.layer === "municipality";
    text("fiche-nom", properties.name);
    if (municipality) {
      text("fiche-type", "Commune, code INSEE " + properties.insee_code);
      text("fiche-score", properties.score === null ? "Pas de bilan publié" : "Score : " + number(properties.score) + " sur 10");
      text("fiche-cycle", properties.cycle ? properties.cycle.name : "");
      text("fiche-texte", properties.pledge ? "Pacte signé par la liste « " + properties.pledge.list_name + " »" : "");
    } else {
      text("fiche-type", properties.kind_display + " — " + properties.municipality_name);
      text("fiche-score", "");
      text("fiche-cycle", "");
      text("fiche-texte", properties.description);
    }
    var link = document.getElementById("fiche-lien");
    link.href = municipalityUrl(municipality ? properties.insee_code : properties.municipality);
    link.textContent = municipality ? "Voir la fiche de la commune" : "Voir la fiche de " + properties.municipality_name;
    card.hidden = false;
    card.focus();
  }

  document.getElementById("fiche-fermer").addEventListener("click", function () {
    card.hidden = true;
    element.focus();
  });

  function styleOf(feature) {
    var index = scoreClass(feature.properties.score);
    return {
      color: "#3d3d3d",
      weight: 0.7,
      fillColor: colourOf(feature.properties.score),
      fillOpacity: 0.85,
      className: "commune " + (index === null ? "sans-score" : "classe-" + index),
    };
  }

  function pointOf(feature, latlng) {
    if (feature.properties.layer === "initiative") {
      var marker = L.marker(latlng, {
        title: feature.properties.name,
        alt: feature.properties.name,
        keyboard: true,
        icon: L.divIcon({ className: "initiative initiative-" + feature.properties.kind, html: '<span class="marqueur-initiative"></span>', iconSize: [18, 18] }),
      });
      // Leaflet makes a marker focusable; Enter or Space opens its card, as a click does.
      marker.on("add", function () {
        var icon = marker.getElement();
        icon.setAttribute("role", "button");
        icon.setAttribute("aria-label", "Initiative : " + feature.properties.name + " (" + feature.properties.kind_display + ")");
        icon.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            openCard(feature.properties);
          }
        });
      });
      return marker;
    }
    return L.circleMarker(latlng, Object.assign(styleOf(feature), { radius: 6 }));
  }

  function renderLists(features) {
    var rows = document.getElementById("lignes-communes");
    var items = document.getElementById("lignes-initiatives");
    var municipalities = features.filter(function (f) { return f.properties.layer === "municipality"; });
    var initiatives = features.filter(function (f) { return f.properties.layer === "initiative"; });
    municipalities.sort(function (a, b) {
      var x = a.properties.score, y = b.properties.score;
      if ((x === null) !== (y === null)) return x === null ? 1 : -1;
      if (x !== y) return y - x;
      return a.properties.name.localeCompare(b.properties.name, "fr");
    });
    rows.replaceChildren();
    municipalities.forEach(function (feature) {
      var p = feature.properties;
      var row = document.createElement("tr");
      var head = document.createElement("th");
      head.scope = "row";
      var link = document.createElement("a");
      link.href = municipalityUrl(p.insee_code);
      link.textContent = p.name;
      head.appendChild(link);
      row.appendChild(head);
      [p.score === null ? "—" : number(p.score), p.cycle ? p.cycle.name : "pas de bilan publié", p.pledge ? p.pledge.list_name : "—"]
        .forEach(function (value) {
          var cell = document.createElement("td");
          cell.textContent = value;
          row.appendChild(cell);
        });
      rows.appendChild(row);
    });
    items.replaceChildren();
    initiatives.forEach(function (feature) {
      var p = feature.properties;
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = p.name;
      var link = document.createElement("a");
      link.href = municipalityUrl(p.municipality);
      link.textContent = p.municipality_name;
      item.append(name, " — " + p.kind_display + ", ", link);
      items.appendChild(item);
    });
    if (!initiatives.length) {
      var none = document.createElement("li");
      none.textContent = "Aucune initiative pour ces filtres.";
      items.appendChild(none);
    }
    document.getElementById("nombre-communes").textContent = municipalities.length;
    document.getElementById("nombre-initiatives").textContent = initiatives.length;
    return [municipalities.length, initiatives.length];
  }

  function draw(collection, fit) {
    if (layer) map.removeLayer(layer);
    layer = L.geoJSON(collection, {
      style: styleOf,
      pointToLayer: pointOf,
      onEachFeature: function (feature, item) {
        item.on("click", function () { openCard(feature.properties); });
      },
    }).addTo(map);
    if (fit && layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    var counts = renderLists(collection.features);
    state.textContent = counts[0] + " commune" + (counts[0] > 1 ? "s" : "") + " et " + counts[1] +
      " initiative" + (counts[1] > 1 ? "s" : "") + " sur la carte.";
    element.setAttribute("data-state", "ready");
  }

  function load(fit) {
    var mine = ++request;
    element.setAttribute("data-state", "loading");
    state.textContent = "La carte se charge…";
    var parameters = new URLSearchParams();
    Object.keys(query).forEach(function (key) {
      if (query[key] !== "" && query[key] !== null && query[key] !== undefined) parameters.set(key, query[key]);
    });
    fetch(config.api + "?" + parameters.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(Object.values(body).flat().join(" "));
          return body;
        });
      })
      .then(function (body) { if (mine === request) draw(body, fit); })
      .catch(function (error) {
        if (mine !== request) return;
        state.textContent = "La carte n'a pas pu être chargée : " + error.message;
        element.setAttribute("data-state", "error");
      });
  }

  // Theme and kind redraw the map in place (no new page); the address follows, so that it
  // can be shared. The département changes with the form's button (a new page).
  [["theme", "theme"], ["type", "kind"]].forEach(function (pair) {
    document.getElementById(pair[0]).addEventListener("change", function (event) {
      query[pair[1]] = event.target.value;
      var address = new URL(window.location.href);
      if (event.target.value) address.searchParams.set(pair[0], event.target.value);
      else address.searchParams.delete(pair[0]);
      window.history.replaceState(null, "", address);
      card.hidden = true;
      load(false);
    });
  });

  load(!config.bounds);
})();
