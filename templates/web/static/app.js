// The page of `fichegen serve`: commune search, the profile form, the live preview,
// downloads and upload. No logic of the fiche lives here: the server checks the profile
// (same French messages as the CLI) and renders it. Nothing is stored anywhere.
"use strict";

(function () {
  const form = document.getElementById("formulaire");
  const search = document.getElementById("recherche");
  const list = document.getElementById("suggestions");
  const none = document.getElementById("aucune-commune");
  const codeInput = document.getElementById("f-commune-code_insee");
  const status = document.getElementById("etat");
  const frame = document.getElementById("apercu");
  const summary = document.getElementById("resume-erreurs");
  const summaryList = document.getElementById("liste-erreurs");
  const leversBox = document.getElementById("leviers");
  const leversList = document.getElementById("leviers-liste");
  const fmt = new Intl.NumberFormat("fr-FR");
  const ATTRS = ["id", "for", "aria-describedby", "data-path"];
  let previewTimer = null;
  let previewController = null;
  let searchTimer = null;
  let searchController = null;
  let suggestions = [];
  let active = -1;

  // ---- field paths and element ids (same rule as fichegen/web/form.py) -----------------
  function fieldId(path) {
    return "f-" + path.replace(/\[(\d+|__i__)\]/g, "-$1").replace(/\./g, "-");
  }

  function parsePath(path) {
    const keys = [];
    path.split(".").forEach(function (part) {
      const match = part.match(/^([^[]+)((?:\[\d+\])*)$/);
      if (!match) { keys.push(part); return; }
      keys.push(match[1]);
      (match[2].match(/\d+/g) || []).forEach(function (n) { keys.push(Number(n)); });
    });
    return keys;
  }

  function setIn(target, keys, value) {
    let node = target;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i];
      if (node[key] === undefined) node[key] = typeof keys[i + 1] === "number" ? [] : {};
      node = node[key];
    }
    node[keys[keys.length - 1]] = value;
  }

  function getIn(source, keys) {
    let node = source;
    for (const key of keys) {
      if (node === null || node === undefined) return undefined;
      node = node[key];
    }
    return node;
  }

  // ---- reading the form into a profile ------------------------------------------------
  function valueOf(el) {
    const raw = el.value;
    if (raw.trim() === "") return undefined;
    switch (el.dataset.kind) {
      case "integer":
        return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
      case "number": {
        const text = raw.trim().replace(/\s/g, "").replace(",", ".");
        return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : raw;
      }
      case "boolean":
        return raw === "true";
      default:
        return raw;
    }
  }

  function collect() {
    const profile = { version: 1 };
    form.querySelectorAll("[data-items]").forEach(function (box) {
      const count = box.querySelectorAll(":scope > [data-item]").length;
      if (count) setIn(profile, parsePath(box.dataset.items), []);
      for (let i = 0; i < count; i++) setIn(profile, parsePath(box.dataset.items + "[" + i + "]"), {});
    });
    form.querySelectorAll("[data-path]").forEach(function (el) {
      const value = valueOf(el);
      if (value !== undefined) setIn(profile, parsePath(el.dataset.path), value);
    });
    const ranked = [];
    const excluded = [];
    form.querySelectorAll("[data-lever]").forEach(function (el, order) {
      if (el.value === "exclure") excluded.push(el.dataset.lever);
      else if (el.value) ranked.push([Number(el.value), order, el.dataset.lever]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    if (ranked.length) profile.priorites = ranked.map(function (r) { return r[2]; });
    if (excluded.length) profile.exclure = excluded;
    return profile;
  }

  // ---- repeatable groups ----------------------------------------------------------------
  function reindex(box) {
    box.querySelectorAll(":scope > [data-item]").forEach(function (item, index) {
      item.querySelectorAll("*").forEach(function (el) {
        ATTRS.forEach(function (attr) {
          const tpl = el.getAttribute("data-tpl-" + attr);
          if (tpl !== null) el.setAttribute(attr, tpl.replace(/__i__/g, String(index)));
        });
      });
      const title = item.querySelector("legend");
      title.textContent = title.dataset.itemTitle + " n°\u00a0" + (index + 1);
    });
  }

  function addItem(path) {
    const box = form.querySelector('[data-items="' + path + '"]');
    const template = document.getElementById("t-" + fieldId(path));
    const item = template.content.firstElementChild.cloneNode(true);
    item.querySelectorAll("*").forEach(function (el) {
      ATTRS.forEach(function (attr) {
        const value = el.getAttribute(attr);
        if (value !== null && value.indexOf("__i__") >= 0) el.setAttribute("data-tpl-" + attr, value);
      });
    });
    box.appendChild(item);
    reindex(box);
    return item;
  }

  form.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add]");
    if (add) {
      const item = addItem(add.dataset.add);
      const first = item.querySelector("input, select, textarea");
      if (first) first.focus();
      schedulePreview();
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) {
      const item = remove.closest("[data-item]");
      const box = item.parentElement;
      const group = box.closest("[data-group]");
      item.remove();
      reindex(box);
      group.querySelector("[data-add]").focus();
      schedulePreview();
    }
  });

  // ---- errors beside their fields -------------------------------------------------------
  function clearErrors() {
    form.querySelectorAll(".error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    summary.hidden = true;
    summaryList.textContent = "";
  }

  function errorTarget(champ) {
    let path = champ || "";
    while (path) {
      const box = document.getElementById("e-" + fieldId(path));
      if (box) return { box: box, field: document.getElementById(fieldId(path)) };
      const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
      path = cut > 0 ? path.slice(0, cut) : "";
    }
    return null;
  }

  // The French label of a field, never its path: « Acteur de l’ESS n° 2 — Nom ».
  const labels = JSON.parse(form.dataset.libelles || "{}");
  function labelOf(champ) {
    let path = (champ || "").replace(/\[\d+\]/g, "");
    while (path && !Object.prototype.hasOwnProperty.call(labels, path)) {
      const cut = path.lastIndexOf(".");
      path = cut > 0 ? path.slice(0, cut) : "";
    }
    if (!path) return "";
    const item = (champ || "").match(/^([^[]+)\[(\d+)\]/);
    const group = item ? item[1] + "[]" : "";
    if (item && Object.prototype.hasOwnProperty.call(labels, group) && path !== item[1]) {
      return labels[group] + " n\u00b0\u00a0" + (Number(item[2]) + 1) + " — " + labels[path];
    }
    return labels[path];
  }

  function where(err) {
    const parts = [];
    if (err.ligne) parts.push("ligne " + err.ligne);
    if (err.colonne) parts.push("colonne " + err.colonne);
    return parts.length ? parts.join(", ") + " : " : "";
  }

  function showErrors(errors, fromFile) {
    clearErrors();
    errors.forEach(function (err) {
      const target = fromFile ? null : errorTarget(err.champ);
      const label = labelOf(err.champ);
      const text = (label ? "« " + label + " » : " : "") + err.message;
      const li = document.createElement("li");
      if (target) {
        const line = document.createElement("span");
        line.textContent = err.message;
        if (target.box.textContent) target.box.appendChild(document.createElement("br"));
        target.box.appendChild(line);
        if (target.field) target.field.setAttribute("aria-invalid", "true");
        const link = document.createElement("a");
        link.href = "#" + (target.field ? target.field.id : target.box.id);
        link.textContent = text;
        li.appendChild(link);
      } else {
        li.textContent = where(err) + text;
      }
      summaryList.appendChild(li);
    });
    summary.hidden = errors.length === 0;
  }

  // Plausibility warnings: beside their field, in the warning colour, never blocking.
  function showWarnings(warnings) {
    (warnings || []).forEach(function (warning) {
      const target = errorTarget(warning.champ);
      if (!target) return;
      const line = document.createElement("span");
      line.className = "avertissement";
      line.textContent = "À vérifier : " + warning.message;
      if (target.box.textContent) target.box.appendChild(document.createElement("br"));
      target.box.appendChild(line);
    });
  }

  summaryList.addEventListener("click", function (event) {
    const link = event.target.closest("a");
    if (!link) return;
    const el = document.getElementById(link.getAttribute("href").slice(1));
    if (el) { event.preventDefault(); (el.type === "hidden" ? search : el).focus(); }
  });

  // ---- the server ---------------------------------------------------------------------
  const attachedInput = document.getElementById("donnees-ouvertes");
  let attached = [];
  attachedInput.addEventListener("change", function () {
    attached = Array.from(attachedInput.files);
    schedulePreview();
  });

  async function post(url, body, signal, type) {
    if (!type && attached.length) {  // the profile and the open-data files, in one upload
      const data = new FormData();
      data.append("profil", new Blob([JSON.stringify(body)], { type: "application/json" }), "profil.json");
      attached.forEach(function (file) { data.append("donnees", file, file.name); });
      return fetch(url, { method: "POST", body: data, signal: signal });
    }
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": type || "application/json" },
      body: type ? body : JSON.stringify(body),
      signal: signal,
    });
  }

  async function failure(response) {
    let errors = [{ message: "réponse inattendue du serveur (" + response.status + ")" }];
    try { errors = (await response.json()).erreurs || errors; } catch (e) { /* keep */ }
    return errors;
  }

  function setDownloads(enabled) {
    ["telecharger-pdf", "telecharger-docx", "telecharger-yaml"].forEach(function (id) {
      document.getElementById(id).disabled = !enabled;
    });
  }

  function showLevers(explication) {
    leversList.textContent = "";
    explication.levers.forEach(function (lever) {
      const li = document.createElement("li");
      const title = document.createElement("strong");
      title.textContent = lever.titre;
      li.appendChild(title);
      if (lever.reasons.length) {
        const reasons = document.createElement("ul");
        lever.reasons.forEach(function (reason) {
          const item = document.createElement("li");
          item.textContent = reason;
          reasons.appendChild(item);
        });
        li.appendChild(reasons);
      }
      leversList.appendChild(li);
    });
    leversBox.hidden = false;
  }

  async function refreshPreview() {
    if (!codeInput.value) {
      status.textContent = "Choisissez une commune pour voir sa fiche.";
      setDownloads(false);
      return;
    }
    if (previewController) previewController.abort();
    previewController = new AbortController();
    status.textContent = "Mise à jour de l’aperçu…";
    let response;
    try {
      response = await post("/api/apercu", collect(), previewController.signal);
    } catch (e) {
      if (e.name !== "AbortError") status.textContent = "Le serveur ne répond pas ; réessayez.";
      return;
    }
    if (response.ok) {
      const data = await response.json();
      clearErrors();
      frame.srcdoc = data.html;
      showLevers(data.explication);
      showWarnings(data.explication.avertissements);
      setDownloads(true);
      status.textContent = "Aperçu à jour : " + data.explication.commune.nom + ".";
    } else if (response.status === 503) {
      const wait = Number(response.headers.get("Retry-After") || "5");
      status.textContent = "Le serveur est occupé ; nouvel essai dans " + wait + " s.";
      previewTimer = setTimeout(refreshPreview, wait * 1000);
    } else {
      showErrors(await failure(response), false);
      setDownloads(false);
      status.textContent = "L’aperçu n’est pas à jour : corrigez les erreurs signalées.";
    }
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 600);
  }

  form.addEventListener("input", function (event) {
    if (event.target !== search) schedulePreview();
  });
  form.addEventListener("change", function (event) {
    if (event.target !== search) schedulePreview();
  });

  function fileName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const match = header.match(/filename="([^"]+)"/);
    return match ? match[1] : fallback;
  }

  async function download(url, fallback) {
    status.textContent = "Préparation du fichier…";
    const response = await post(url, collect());
    if (!response.ok) {
      showErrors(await failure(response), false);
      status.textContent = "Le fichier n’a pas pu être produit.";
      summary.focus();
      return;
    }
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName(response, fallback);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    status.textContent = "Fichier prêt : " + link.download + ".";
  }

  document.querySelectorAll("[data-format]").forEach(function (button) {
    button.addEventListener("click", function () {
      download("/api/fiche?format=" + button.dataset.format, "fiche15." + button.dataset.format);
    });
  });
  document.getElementById("telecharger-yaml").addEventListener("click", function () {
    download("/api/profil?format=yaml", "profil.yaml");
  });

  // ---- commune search (combobox) ---------------------------------------------------------
  function closeList() {
    list.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (opt, i) { opt.setAttribute("aria-selected", String(i === active)); });
    search.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function population(value) {
    return value === null || value === undefined ? "population inconnue" : fmt.format(value) + " hab.";
  }

  function showReference(commune) {
    const box = document.getElementById("reference");
    const dl = document.getElementById("reference-liste");
    dl.textContent = "";
    [
      ["Commune", commune.nom + " (" + commune.code_insee + ")"],
      ["Département", commune.departement_nom + " (" + commune.departement + ")"],
      ["Intercommunalité", commune.epci || "aucune connue"],
      ["Population municipale", population(commune.population_municipale)],
      ["Population totale", population(commune.population_totale)],
    ].forEach(function (pair) {
      const dt = document.createElement("dt");
      dt.textContent = pair[0];
      const dd = document.createElement("dd");
      dd.textContent = pair[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    box.hidden = false;
    [["commune.population_municipale", commune.population_municipale],
     ["commune.population_totale", commune.population_totale]].forEach(function (pair) {
      const ref = document.getElementById("r-" + fieldId(pair[0]));
      ref.textContent = "Selon la référence : " + population(pair[1]) + " (laisser vide pour la garder).";
      ref.hidden = false;
    });
  }

  function pick(commune) {
    codeInput.value = commune.code_insee;
    search.value = commune.nom + " (" + commune.code_insee + ")";
    closeList();
    showReference(commune);
    schedulePreview();
  }

  async function lookup() {
    const query = search.value.trim();
    if (query.length < 2) { closeList(); none.textContent = ""; return; }
    if (searchController) searchController.abort();
    searchController = new AbortController();
    let response;
    try {
      response = await fetch("/api/communes?q=" + encodeURIComponent(query), { signal: searchController.signal });
    } catch (e) { return; }
    if (!response.ok) { closeList(); return; }
    suggestions = await response.json();
    list.textContent = "";
    suggestions.forEach(function (commune, index) {
      const li = document.createElement("li");
      li.id = "suggestion-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = commune.nom + " (" + commune.code_insee + ")";
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = commune.departement_nom + " (" + commune.departement + ") · " + population(commune.population_municipale);
      li.appendChild(name);
      li.appendChild(meta);
      if (commune.correspondance) {  // found by another name: say which
        const why = document.createElement("span");
        why.className = "meta";
        why.textContent = "Correspondance\u202f: " + commune.correspondance;
        li.appendChild(why);
      }
      if (commune.note) {
        const note = document.createElement("span");
        note.className = "meta";
        note.textContent = commune.note;
        li.appendChild(note);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(commune); });
      list.appendChild(li);
    });
    none.textContent = suggestions.length ? "" : "Aucune commune trouvée pour «\u202f" + query + "\u202f».";
    if (!suggestions.length) { closeList(); return; }
    list.hidden = false;
    search.setAttribute("aria-expanded", "true");
    active = -1;
  }

  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(lookup, 200);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) lookup(); else highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && suggestions.length) pick(suggestions[Math.max(active, 0)]);
    } else if (event.key === "Escape") { closeList(); }
  });
  search.addEventListener("blur", function () { setTimeout(closeList, 150); });

  // ---- upload: fill the form from a YAML profile ------------------------------------------
  function fill(data) {
    form.reset();
    form.querySelectorAll("[data-items]").forEach(function (box) { box.textContent = ""; });
    form.querySelectorAll(".ref").forEach(function (p) { p.hidden = true; });
    form.querySelectorAll("[data-items]").forEach(function (box) {
      const items = getIn(data, parsePath(box.dataset.items)) || [];
      items.forEach(function () { addItem(box.dataset.items); });
    });
    form.querySelectorAll("[data-path]").forEach(function (el) {
      const value = getIn(data, parsePath(el.dataset.path));
      el.value = value === undefined || value === null ? "" : String(value);
    });
    (data.priorites || []).forEach(function (lever, index) {
      const el = document.getElementById("lv-" + lever);
      if (el) el.value = String(index + 1);
    });
    (data.exclure || []).forEach(function (lever) {
      const el = document.getElementById("lv-" + lever);
      if (el) el.value = "exclure";
    });
  }

  document.getElementById("charger").addEventListener("change", async function (event) {
    const file = event.target.files[0];
    if (!file) return;
    status.textContent = "Lecture du profil " + file.name + "…";
    const text = await file.text();
    event.target.value = "";
    const response = await post("/api/profil?format=json", text, undefined, "application/yaml");
    if (!response.ok) {
      showErrors(await failure(response), true);
      status.textContent = "Le profil " + file.name + " n’a pas pu être repris.";
      summary.focus();
      return;
    }
    const data = await response.json();
    fill(data);
    clearErrors();
    const found = await fetch("/api/communes?q=" + encodeURIComponent(data.commune.code_insee));
    const communes = found.ok ? await found.json() : [];
    const commune = communes.find(function (c) { return c.code_insee === data.commune.code_insee; });
    if (commune) pick(commune); else { codeInput.value = data.commune.code_insee; schedulePreview(); }
    status.textContent = "Profil " + file.name + " repris.";
  });
})();
