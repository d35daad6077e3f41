// Format CSL-JSON items with citeproc-js: node oracle.js STYLE.csl LOCALES_DIR < items.json
// Prints a JSON list of plain-text bibliography entries, in the style's order.
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [styleFile, localesDir] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale: (lang) => {
    const file = path.join(localesDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, fs.readFileSync(styleFile, "utf8"), "en-US");
engine.setOutputFormat("text");
engine.updateItems(Object.keys(byId));
const [meta, entries] = engine.makeBibliography() || [{}, []];
const ids = meta.entry_ids ? meta.entry_ids.map((e) => e[0]) : [];
process.stdout.write(JSON.stringify(entries.map((e, i) => ({ id: ids[i], text: e.trim() }))));
