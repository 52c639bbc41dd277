// Curator pages: every contributor's consent at a glance, the export builder, and the recorded exports.

import { api, getOrNull, Me } from "./api";
import { h, replace, notice, fmtTime, fmtNum } from "./ui";
import { SOURCES, USES } from "./myDataPage";

export async function curatorPage(root: HTMLElement, me: Me): Promise<void> {
  if (me.role === "contributor") {
    replace(root, h("h1", null, "Curator"), notice("Only curators and admins see every contributor and build exports.", "error"));
    return;
  }
  const contributors = (await api<any>("GET", "/api/contributors")).contributors;
  const documents = (await api<any>("GET", "/api/documents")).documents;
  const exports = await getOrNull<any>("/api/exports");
  replace(root,
    h("h1", null, "Curator"),
    h("p", { class: "lead" }, `${contributors.length} contributors · ${documents.length} documents you may see under current consent`),
    consentTable(contributors),
    exportBuilder(),
    pastExports(exports));
}

function consentTable(contributors: any[]): HTMLElement {
  return h("div", { class: "card", "data-testid": "contributors" },
    h("h2", null, "Contributors and their consent"),
    h("table", { class: "consent-grid" },
      h("thead", null, h("tr", null, h("th", null, "Contributor"), SOURCES.map(s => h("th", null, s)), h("th", null, "Uses"), h("th", null, "Embargo"), h("th", null, "Status"))),
      h("tbody", null, contributors.map(c => {
        const consent = c.consent;
        return h("tr", { "data-contributor": c.name },
          h("td", null, h("a", { href: `/app/me/${encodeURIComponent(c.name)}` }, h("b", null, c.name)), h("div", { class: "small muted" }, consent ? `consent v${consent.version}, ${fmtTime(consent.recorded_at)}` : "no consent")),
          SOURCES.map(s => h("td", null, consent?.sources.includes(s) ? h("span", { class: "pill ok" }, "✓") : h("span", { class: "muted" }, "—"))),
          h("td", null, USES.map(u => h("span", { class: consent?.uses.includes(u) ? "pill ok" : "pill off" }, u))),
          h("td", null, consent?.embargo ?? h("span", { class: "muted" }, "none")),
          h("td", null, c.paused ? h("span", { class: "pill warn" }, "paused") : consent ? h("span", { class: "pill ok" }, "recording") : h("span", { class: "pill off" }, "not recording")));
      }))));
}

function exportBuilder(): HTMLElement {
  const use = h("select", { "data-testid": "export-use" }, USES.map(u => h("option", { value: u }, u))) as HTMLSelectElement;
  const sourceBoxes = SOURCES.map(s => h("input", { type: "checkbox", value: s, checked: true }) as HTMLInputElement);
  const from = h("input", { type: "date" }) as HTMLInputElement;
  const to = h("input", { type: "date" }) as HTMLInputElement;
  const result = h("div", { "data-testid": "export-result" });
  const button = h("button", { class: "primary", "data-testid": "export-run" }, "Build export") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const r = await api<any>("POST", "/api/exports/traces", { use: use.value });
      const wanted = new Set(sourceBoxes.filter(b => b.checked).map(b => b.value));
      const fromMs = from.value ? Date.parse(from.value) : -Infinity;
      const toMs = to.value ? Date.parse(to.value) + 86400000 : Infinity;
      const lines = (r.jsonl as string).split("\n").filter(l => l.trim().length > 0).map(l => JSON.parse(l));
      const kept = lines.filter((d: any) => wanted.has(d.source) && d.txns.some((t: any) => { const ms = Date.parse(t.time); return ms >= fromMs && ms < toMs; }));
      const jsonl = kept.map((d: any) => JSON.stringify(d)).join("\n") + (kept.length ? "\n" : "");
      const url = URL.createObjectURL(new Blob([jsonl], { type: "application/x-ndjson" }));
      replace(result,
        notice(`${kept.length} of ${r.documents} released documents match (${fmtNum(kept.reduce((n: number, d: any) => n + d.txns.length, 0))} transactions); ${r.comments_withheld} comments withheld.`, "ok"),
        kept.length ? h("a", { class: "button", href: url, download: `traces-${use.value}.jsonl` }, "Download JSONL") : null,
        h("table", { style: "margin-top:.8rem" },
          h("thead", null, h("tr", null, h("th", null, "Document"), h("th", null, "Source"), h("th", { class: "num" }, "Transactions"))),
          h("tbody", { "data-testid": "export-documents" }, kept.map((d: any) => h("tr", null, h("td", null, d.document), h("td", null, d.source), h("td", { class: "num" }, fmtNum(d.txns.length)))))),
        r.excluded.length ? h("div", null, h("h3", null, "Held back by consent"),
          h("table", null, h("tbody", null, r.excluded.map((e: any) => h("tr", null, h("td", null, e.document), h("td", { class: "small muted" }, e.reasons.join("; "))))))) : null);
    } catch (e) {
      replace(result, notice((e as Error).message, "error"));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "card" },
    h("h2", null, "Export builder"),
    h("p", { class: "small muted" }, "Released only where every author's current consent covers the use and the source, and the embargo has passed."),
    h("div", { class: "grid3" },
      h("label", { class: "field" }, h("span", null, "Use"), use),
      h("div", { class: "field" }, h("span", { class: "small muted" }, "Sources"), h("div", { class: "row small" }, SOURCES.map((s, i) => h("label", null, sourceBoxes[i], " ", s)))),
      h("div", { class: "row" }, h("label", { class: "field" }, h("span", null, "Active from"), from), h("label", { class: "field" }, h("span", null, "to"), to))),
    button, result);
}

function pastExports(exports: any): HTMLElement {
  const card = h("div", { class: "card", "data-testid": "exports" }, h("h2", null, "Past exports (dataset builds)"));
  if (!exports) { card.append(notice("This server does not list recorded exports.", "")); return card; }
  if (exports.exports.length === 0) { card.append(h("p", { class: "muted" }, "No dataset has been built from this store yet (plumb dataset build).")); return card; }
  card.append(h("table", null,
    h("thead", null, h("tr", null, h("th", null, "#"), h("th", null, "Built"), h("th", null, "Kind"), h("th", null, "Use"), h("th", { class: "num" }, "Examples"), h("th", null, "Contributors"), h("th", null, "Manifest"))),
    h("tbody", null, exports.exports.map((e: any) => h("tr", null,
      h("td", null, e.id), h("td", { class: "small" }, fmtTime(e.created_at)), h("td", null, e.kind), h("td", null, h("span", { class: "pill" }, e.use)),
      h("td", { class: "num" }, fmtNum(e.examples)), h("td", null, e.contributors.join(", ")),
      h("td", null, h("details", null, h("summary", { class: "small" }, `sha256 ${e.manifest_sha256.slice(0, 12)}…`),
        h("div", { class: "small muted" }, e.path),
        h("pre", { class: "manifest" }, JSON.stringify(e.manifest ?? e.parameters, null, 2)))))))));
  return card;
}
