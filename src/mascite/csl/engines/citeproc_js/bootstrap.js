// mascite's side of citeproc-js inside an embedded V8 (run after citeproc_commonjs.js, whose
// module.exports is CSL). Python hands in locales and items (mini-racer's call: JSON both ways);
// engines are kept by number so that a style pays its start once.
var CSL = module.exports;
var MASCITE = (function () {
  var locales = {};
  var missing = [];
  var items = {};
  var engines = {};
  var count = 0;
  var sys = {
    retrieveLocale: function (lang) {
      if (Object.prototype.hasOwnProperty.call(locales, lang)) { return locales[lang]; }
      missing.push(lang);
      return false;
    },
    retrieveItem: function (id) { return items[id]; }
  };
  // Formats citeproc-js lacks or leaves unescaped: Markdown, and LaTeX whose text is escaped
  // (citeproc-js's own "latex" writes data raw, so a title could inject commands).
  function markdownEscape(text) {
    return (text || "").replace(/([\\`*_{}\[\]<>#|~^$@])/g, "\\$1");
  }
  function latexEscape(text) {
    return (text || "").replace(/[\\{}$&#^_%~]/g, function (c) {
      return {"\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "$": "\\$", "&": "\\&",
              "#": "\\#", "^": "\\textasciicircum{}", "_": "\\_", "%": "\\%",
              "~": "\\textasciitilde{}"}[c];
    });
  }
  function derived(base, escape, marks) {
    var format = {};
    var key;
    for (key in base) { if (Object.prototype.hasOwnProperty.call(base, key)) { format[key] = base[key]; } }
    format.text_escape = escape;
    for (key in marks) { if (Object.prototype.hasOwnProperty.call(marks, key)) { format[key] = marks[key]; } }
    return format;
  }
  CSL.Output.Formats.markdown = derived(CSL.Output.Formats.text, markdownEscape, {
    "@font-style/italic": "*%%STRING%%*", "@font-style/oblique": "*%%STRING%%*",
    "@font-weight/bold": "**%%STRING%%**", "@vertical-align/sup": "^%%STRING%%^",
    "@vertical-align/sub": "~%%STRING%%~",
    "@font-variant/small-caps": "[%%STRING%%]{.smallcaps}"
  });
  CSL.Output.Formats["mascite-latex"] = derived(CSL.Output.Formats.text, latexEscape, {
    "@font-style/italic": "\\textit{%%STRING%%}", "@font-style/oblique": "\\textit{%%STRING%%}",
    "@font-weight/bold": "\\textbf{%%STRING%%}", "@vertical-align/sup": "\\textsuperscript{%%STRING%%}",
    "@vertical-align/sub": "\\textsubscript{%%STRING%%}",
    "@font-variant/small-caps": "\\textsc{%%STRING%%}"
  });
  // Items under ids that name their content (Python gives each a digest of its data): an
  // engine keeps the data of an id it has seen, so equal ids must mean equal data, and a warm
  // engine given the same items again registers nothing again.
  function load(list) {
    items = {};
    var loaded = {ids: [], forward: {}, back: {}};
    for (var i = 0; i < list.length; i++) {
      var id = list[i].mascite_digest;
      items[id] = Object.assign({}, list[i], {id: id});
      delete items[id].mascite_digest;
      loaded.ids.push(id);
      loaded.forward[list[i].id] = id;
      loaded.back[id] = list[i].id;
    }
    return loaded;
  }
  function entryIds(result, loaded) {
    return result[0].entry_ids.map(function (e) { return loaded.back[e[0]]; });
  }
  return {
    addLocale: function (lang, xml) { locales[lang] = xml; return true; },
    // A new engine for a style; the locales it asked for and did not get come back as
    // "missing", so that Python can add them and build it again.
    build: function (style, lang, force) {
      missing = [];
      var engine = new CSL.Engine(sys, style, lang, force);
      count += 1;
      engines[count] = engine;
      return {id: count, missing: missing};
    },
    drop: function (id) { delete engines[id]; return true; },
    bibliography: function (id, list, format) {
      var engine = engines[id];
      engine.setOutputFormat(format);
      engine.opt.development_extensions.wrap_url_and_doi = false;  // as citeproc-js prints
      var loaded = load(list);
      engine.updateItems(loaded.ids);
      var result = engine.makeBibliography();
      if (!result) { return {ids: [], entries: [], bibliography: false}; }
      return {ids: entryIds(result, loaded), entries: result[1], bibliography: true};
    },
    // Citations in document order ([citation, ...] as citeproc-js takes them, each with
    // properties.noteIndex), then the bibliography of the items cited and of those uncited.
    document: function (id, list, citations, uncited, format) {
      var engine = engines[id];
      engine.setOutputFormat(format);
      engine.opt.development_extensions.wrap_url_and_doi = true;  // a document links them
      var loaded = load(list);
      citations.forEach(function (citation) {
        citation.citationItems.forEach(function (item) { item.id = loaded.forward[item.id]; });
      });
      var cited = engine.rebuildProcessorState(
        citations, format, uncited.map(function (key) { return loaded.forward[key]; }));
      var result = engine.makeBibliography();
      return {
        citations: cited.map(function (c) { return c[2]; }),
        ids: result ? entryIds(result, loaded) : [],
        entries: result ? result[1] : []};
    }
  };
})();
