// My data: what has been recorded about the signed-in contributor, consent, pause, review-before-release,
// withdrawal and the audit entries. Endpoints of other branches (summary, redactions, withdraw, audit) may be
// missing on a server: each section then says so instead of failing the page.

import { api, ApiError, enc, getOrNull, Me } from "./api";
import { h, replace, notice, fmtTime, fmtNum, svg } from "./ui";

export const SOURCES = ["documents", "code", "meetings", "commentary", "keystrokes"];
export const USES = ["research", "training", "public"];
const SOURCE_COLOURS: Record<string, string> = { documents: "#2563eb", code: "#15803d", meetings: "#c2410c", commentary: "#7c3aed", keystrokes: "#0e7490" };

export async function myDataPage(root: HTMLElement, me: Me, who?: string): Promise<void> {
  const name = who ?? me.contributor;
  if (!name) {
    replace(root, h("h1", null, "My data"), notice("This token speaks for no contributor (it is a curator or admin token). The curator pages show every contributor.", ""));
    return;
  }
  const status = await getOrNull<any>(`/api/contributors/${enc(name)}`);
  if (!status) {
    replace(root, h("h1", null, "My data"), notice(`There is no contributor named '${name}' that you may see.`, "error"));
    return;
  }
  const summary = await api<any>("GET", `/api/contributors/${enc(name)}/summary`);
  const documents = (await api<any>("GET", "/api/documents")).documents;

  const totalEvents = summary.sources.reduce((n: number, s: any) => n + s.events, 0);
  replace(root,
    h("h1", null, who && who !== me.contributor ? `Data of ${name}` : "My data"),
    h("p", { class: "lead" }, `Everything recorded about ${name}, and your control over it.`),
    h("div", { class: "grid3" },
      stat(fmtNum(totalEvents), "events recorded", "stat-events"),
      stat(fmtNum(documents.length), "documents", "stat-documents"),
      stat(status.paused ? "Paused" : "Recording", status.paused ? "nothing new is stored" : "new work is stored under your consent", "stat-paused")),
    h("div", { class: "card", "data-testid": "summary" },
      h("h2", null, "What has been recorded"),
      summary.sources.length === 0 ? h("p", { class: "muted" }, "Nothing has been recorded about you.") :
        h("table", null,
          h("thead", null, h("tr", null, h("th", null, "Source"), h("th", { class: "num" }, "Events"), h("th", { class: "num" }, "Documents"), h("th", null, "First"), h("th", null, "Last"))),
          h("tbody", null, summary.sources.map((s: any) => h("tr", null,
            h("td", null, h("span", { class: "pill", style: `background:${SOURCE_COLOURS[s.source] ?? "#888"}22;color:${SOURCE_COLOURS[s.source] ?? "#444"}` }, s.source)),
            h("td", { class: "num" }, fmtNum(s.events)), h("td", { class: "num" }, fmtNum(s.documents ?? 0)),
            h("td", null, fmtTime(s.first)), h("td", null, fmtTime(s.last)))))),
      h("h3", null, "Timeline"),
      timeline(summary.days)),
    h("div", { class: "grid2" }, consentCard(name, status), pauseCard(name, status)),
    documentsCard(documents),
    await redactionCard(name, documents),
    await auditCard(name),
    withdrawCard(name, summary, documents));
}

function stat(value: string, label: string, id: string): HTMLElement {
  return h("div", { class: "card", "data-testid": id }, h("div", { class: "stat" }, value), h("div", { class: "stat-label" }, label));
}

/** Events per active day (per month when there are many days), stacked by source, as inline SVG. */
function timeline(days: { day: string; source: string; events: number }[]): Node {
  if (days.length === 0) return h("p", { class: "muted small" }, "No activity yet.");
  const distinctDays = new Set(days.map(d => d.day)).size;
  const key = (day: string) => (distinctDays > 60 ? day.slice(0, 7) : day);
  const byBucket = new Map<string, Map<string, number>>();
  for (const d of days) {
    const m = byBucket.get(key(d.day)) ?? new Map<string, number>();
    m.set(d.source, (m.get(d.source) ?? 0) + d.events);
    byBucket.set(key(d.day), m);
  }
  const sorted = [...byBucket.keys()].sort();
  const max = Math.max(...[...byBucket.values()].map(m => [...m.values()].reduce((a, b) => a + b, 0)));
  const W = 900, H = 160, left = 64, right = 16;
  const slot = (W - left - right) / sorted.length;
  const bw = Math.max(2, Math.min(48, slot * 0.7));
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H + 30}`, width: "100%", role: "img", "aria-label": `events per ${distinctDays > 60 ? "month" : "day"} by source`, "data-testid": "timeline" });
  chart.append(svg("line", { x1: left, y1: H, x2: W - right, y2: H, stroke: "#d0d5dd" }));
  chart.append(svg("line", { x1: left, y1: 20, x2: W - right, y2: 20, stroke: "#f0f1f3" }));
  chart.append(svg("text", { x: left - 6, y: 24, "text-anchor": "end", "font-size": 11, fill: "#667085" }, fmtNum(max)));
  chart.append(svg("text", { x: left - 6, y: H, "text-anchor": "end", "font-size": 11, fill: "#667085" }, "0"));
  sorted.forEach((bucket, i) => {
    const x = left + i * slot + (slot - bw) / 2;
    let y = H;
    for (const [source, n] of byBucket.get(bucket)!) {
      const bh = Math.max(1, (n / max) * (H - 20));
      y -= bh;
      const rect = svg("rect", { x, y, width: bw, height: bh, fill: SOURCE_COLOURS[source] ?? "#888", rx: 2 });
      rect.append(svg("title", {}, `${bucket}: ${fmtNum(n)} ${source} events`));
      chart.append(rect);
    }
    if (i === 0 || i === sorted.length - 1 || sorted.length <= 12) {
      chart.append(svg("text", { x: x + bw / 2, y: H + 18, "text-anchor": "middle", "font-size": 11, fill: "#667085" }, bucket));
    }
  });
  const legend = h("div", { class: "legend" }, [...new Set(days.map(d => d.source))].map(s => h("span", null, h("i", { style: `background:${SOURCE_COLOURS[s] ?? "#888"}` }), s)),
    h("span", { class: "muted" }, `one bar per active ${distinctDays > 60 ? "month" : "day"}`));
  return h("div", null, chart, legend);
}

function consentCard(name: string, status: any): HTMLElement {
  const current = status.consent;
  const sources = new Set<string>(current?.sources ?? []);
  const uses = new Set<string>(current?.uses ?? []);
  const sourceBoxes = SOURCES.map(s => h("input", { type: "checkbox", name: "source", value: s, checked: sources.has(s) }) as HTMLInputElement);
  const useBoxes = USES.map(u => h("input", { type: "checkbox", name: "use", value: u, checked: uses.has(u) }) as HTMLInputElement);
  const embargo = h("input", { type: "date", value: current?.embargo ?? "", "data-testid": "embargo" }) as HTMLInputElement;
  const result = h("div");
  const matrix = h("table", { class: "consent-grid" });
  const renderMatrix = () => replace(matrix,
    h("thead", null, h("tr", null, h("th", null, "Released for"), USES.map(u => h("th", null, u)))),
    h("tbody", null, SOURCES.map((s, i) => h("tr", null, h("td", null, h("label", null, sourceBoxes[i], " ", s)),
      USES.map((_u, j) => h("td", null, sourceBoxes[i].checked && useBoxes[j].checked ? h("span", { class: "pill ok" }, "yes") : h("span", { class: "muted" }, "—")))))));
  [...sourceBoxes, ...useBoxes].forEach(b => b.addEventListener("change", renderMatrix));
  renderMatrix();
  const save = h("button", { class: "primary", "data-testid": "consent-save" }, "Record new consent") as HTMLButtonElement;
  save.addEventListener("click", async () => {
    try {
      const body = { sources: sourceBoxes.filter(b => b.checked).map(b => b.value), uses: useBoxes.filter(b => b.checked).map(b => b.value), embargo: embargo.value || null };
      const updated = await api<any>("PUT", `/api/contributors/${enc(name)}/consent`, body);
      replace(result, notice(`Consent version ${updated.consent.version} recorded.`, "ok"));
    } catch (e) {
      replace(result, notice((e as Error).message, "error"));
    }
  });
  return h("div", { class: "card", "data-testid": "consent" },
    h("h2", null, "Consent"),
    h("p", { class: "small muted" }, current ? `Version ${current.version}, recorded ${fmtTime(current.recorded_at)} by ${current.recorded_by}.` : "No consent recorded: nothing of yours is stored."),
    h("div", { class: "row small" }, h("span", null, "Uses:"), USES.map((u, j) => h("label", null, useBoxes[j], " ", u))),
    matrix,
    h("label", { class: "field" }, h("span", null, "Embargo: nothing released before"), embargo),
    save, result);
}

function pauseCard(name: string, status: any): HTMLElement {
  const result = h("div");
  const button = h("button", { class: status.paused ? "primary" : "", "data-testid": "pause-toggle" }, status.paused ? "Resume recording" : "Pause recording") as HTMLButtonElement;
  button.addEventListener("click", async () => {
    try {
      const updated = await api<any>("POST", `/api/contributors/${enc(name)}/${status.paused ? "resume" : "pause"}`);
      location.reload();
      void updated;
    } catch (e) {
      replace(result, notice((e as Error).message, "error"));
    }
  });
  const pauses = [...status.pauses].reverse().slice(0, 6);
  return h("div", { class: "card" },
    h("h2", null, "Pause"),
    h("p", { class: "small muted" }, "While paused, what you type is not stored: only that a gap happened, and its length."),
    button, result,
    h("h3", null, "Recent pauses"),
    pauses.length === 0 ? h("p", { class: "muted small" }, "None.") :
      h("table", null, h("tbody", null, pauses.map((p: any) => h("tr", null, h("td", null, fmtTime(p.start)), h("td", null, p.end ? fmtTime(p.end) : h("span", { class: "pill warn" }, "now")))))));
}

function documentsCard(documents: any[]): HTMLElement {
  return h("div", { class: "card" },
    h("h2", null, "Documents"),
    documents.length === 0 ? h("p", { class: "muted" }, "No documents.") :
      h("table", null,
        h("thead", null, h("tr", null, h("th", null, "Document"), h("th", null, "Source"), h("th", { class: "num" }, "Revisions"), h("th", null, "Last change"), h("th", null, ""))),
        h("tbody", null, documents.map(d => h("tr", null,
          h("td", null, h("a", { href: d.source === "documents" ? `/app/doc/${enc(d.name)}` : `/app/history/${enc(d.name)}` }, d.name)),
          h("td", null, h("span", { class: "pill" }, d.source)), h("td", { class: "num" }, fmtNum(d.revisions)), h("td", null, fmtTime(d.last_time)),
          h("td", null, h("a", { href: `/app/history/${enc(d.name)}` }, "history")))))));
}

async function redactionCard(name: string, documents: any[]): Promise<HTMLElement> {
  const card = h("div", { class: "card", "data-testid": "redactions" }, h("h2", null, "Review before release"),
    h("p", { class: "small muted" }, "Mark text or a time span to redact: the redaction reaches every revision, before anything is released."));
  let listed: any;
  try {
    listed = await getOrNull<any>(`/api/contributors/${enc(name)}/redactions`);
  } catch (e) {
    listed = null;
  }
  if (!listed) {
    card.append(notice("This server does not offer redactions yet (the endpoint is not there).", ""));
    return card;
  }
  const docSelect = h("select", { "data-testid": "redact-document" }, documents.filter(d => d.source === "documents" || d.source === "code").map(d => h("option", { value: d.name }, d.name))) as HTMLSelectElement;
  const preview = h("div", { class: "redact-text", "data-testid": "redact-preview" });
  const result = h("div");
  let previewText = "";
  const load = async () => {
    if (!docSelect.value) return;
    previewText = (await api<any>("GET", `/api/documents/${enc(docSelect.value)}/text`)).text;
    preview.textContent = previewText;
  };
  docSelect.addEventListener("change", load);
  const markButton = h("button", { class: "primary", "data-testid": "redact-selection" }, "Redact the selected text") as HTMLButtonElement;
  markButton.addEventListener("click", async () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !preview.contains(sel.anchorNode)) {
      replace(result, notice("Select text in the preview first.", "error"));
      return;
    }
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.setStart(preview, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Array.from(before.toString()).length;
    const end = start + Array.from(range.toString()).length;
    try {
      const r = await api<any>("POST", `/api/contributors/${enc(name)}/redactions`, { document: docSelect.value, start, end });
      replace(result, notice(`Redacted: ${r.events_rewritten} events rewritten across ${r.revisions_affected} revisions.`, "ok"));
      await load();
      await refreshList();
    } catch (e) {
      replace(result, notice((e as Error).message, "error"));
    }
  });
  const from = h("input", { type: "datetime-local" }) as HTMLInputElement;
  const to = h("input", { type: "datetime-local" }) as HTMLInputElement;
  const timeButton = h("button", null, "Redact this time span") as HTMLButtonElement;
  timeButton.addEventListener("click", async () => {
    if (!from.value || !to.value) { replace(result, notice("Give both times.", "error")); return; }
    try {
      const r = await api<any>("POST", `/api/contributors/${enc(name)}/redactions`, { from: new Date(from.value).toISOString(), to: new Date(to.value).toISOString() });
      replace(result, notice(`Redacted: ${r.events_rewritten} events rewritten across ${r.revisions_affected} revisions.`, "ok"));
      await load();
      await refreshList();
    } catch (e) {
      replace(result, notice((e as Error).message, "error"));
    }
  });
  const listBox = h("div");
  const renderList = (items: any[]) => replace(listBox, items.length === 0 ? h("p", { class: "muted small" }, "None.") :
      h("table", null,
        h("thead", null, h("tr", null, h("th", null, "When"), h("th", null, "What"), h("th", { class: "num" }, "Events rewritten"), h("th", { class: "num" }, "Revisions"))),
        h("tbody", { "data-testid": "redaction-list" }, items.map(i => h("tr", null, h("td", { class: "small" }, fmtTime(i.recorded_at)),
          h("td", null, i.kind === "span" ? `${i.document}: code points ${i.start}–${i.end} at revision ${i.revision}` : `${fmtTime(i.from)} – ${fmtTime(i.to)}${i.source ? ` (${i.source})` : ""}`),
          h("td", { class: "num" }, fmtNum(i.events_rewritten)), h("td", { class: "num" }, fmtNum(i.revisions_affected)))))));
  const refreshList = async () => renderList(((await getOrNull<any>(`/api/contributors/${enc(name)}/redactions`)) ?? { redactions: [] }).redactions);
  renderList(listed.redactions ?? []);
  card.append(
    h("div", { class: "grid2" },
      h("div", null, h("h3", null, "Text"), h("div", { class: "row" }, docSelect), h("div", { style: "margin:.5rem 0" }, preview), markButton),
      h("div", null, h("h3", null, "Time span"), h("label", { class: "field" }, h("span", null, "From"), from), h("label", { class: "field" }, h("span", null, "To"), to), timeButton)),
    result,
    h("h3", null, "Redactions so far"),
    listBox);
  await load();
  return card;
}

async function auditCard(name: string): Promise<HTMLElement> {
  const card = h("div", { class: "card", "data-testid": "audit" }, h("h2", null, "Who did what with your data"));
  let audit: any = null;
  try { audit = await getOrNull<any>(`/api/contributors/${enc(name)}/audit`); } catch (e) { audit = null; }
  if (!audit) {
    card.append(notice("This server does not keep an audit log yet (the endpoint is not there).", ""));
    return card;
  }
  const entries = [...audit.entries].reverse().slice(0, 100);
  card.append(
    h("p", { class: "small muted" }, `${fmtNum(audit.head?.count ?? entries.length)} entries in the chained log; head ${String(audit.head?.hash ?? "").slice(0, 16)}…`),
    entries.length === 0 ? h("p", { class: "muted" }, "No entries about you.") :
      h("table", null,
        h("thead", null, h("tr", null, h("th", null, "When"), h("th", null, "Who"), h("th", null, "What"), h("th", null, "Subject"))),
        h("tbody", null, entries.map((e: any) => h("tr", null, h("td", { class: "small" }, fmtTime(e.time)), h("td", null, e.actor), h("td", null, h("span", { class: "pill" }, e.action)),
          h("td", { class: "small" }, e.subject ?? "", e.detail ? h("div", { class: "muted" }, typeof e.detail === "string" ? e.detail : JSON.stringify(e.detail)) : null))))));
  return card;
}

function withdrawCard(name: string, summary: any, documents: any[]): HTMLElement {
  const source = h("select", { "data-testid": "withdraw-source" }, h("option", { value: "" }, "everything, every source"), SOURCES.map(s => h("option", { value: s }, `only ${s}`))) as HTMLSelectElement;
  const confirm = h("input", { type: "text", placeholder: name, autocomplete: "off", "data-testid": "withdraw-confirm" }) as HTMLInputElement;
  const button = h("button", { class: "danger", disabled: true, "data-testid": "withdraw" }, "Withdraw and destroy") as HTMLButtonElement;
  const what = h("div");
  const result = h("div", { "data-testid": "withdraw-result" });
  const describe = () => {
    const chosen = source.value;
    const srcs = summary.sources.filter((s: any) => !chosen || s.source === chosen);
    const events = srcs.reduce((n: number, s: any) => n + s.events, 0);
    const docs = documents.filter(d => !chosen || d.source === chosen);
    replace(what, h("p", null, "This will permanently destroy ", h("b", null, `${fmtNum(events)} events`), " recorded about you",
      chosen ? ` from ${chosen}` : "", ", across ", h("b", null, `${docs.length} document${docs.length === 1 ? "" : "s"}`),
      ". Documents only you wrote are deleted; in shared documents your text is masked. Exports and datasets that used your data are listed afterwards so their holders can be told. This cannot be undone."));
  };
  source.addEventListener("change", describe);
  confirm.addEventListener("input", () => { button.disabled = confirm.value !== name; });
  describe();
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const r = await api<any>("POST", `/api/contributors/${enc(name)}/withdraw`, { source: source.value || null, confirm: confirm.value });
      const names = (xs: any[]) => xs.map(x => (typeof x === "string" ? x : x.path ?? `#${x.id}`)).join(", ");
      replace(result,
        notice(`Withdrawn: ${fmtNum(r.events)} events destroyed; ${r.documents_deleted.length} document${r.documents_deleted.length === 1 ? "" : "s"} deleted` +
          (r.documents_deleted.length ? ` (${names(r.documents_deleted)})` : "") +
          `, ${r.documents_masked.length} masked` + (r.documents_masked.length ? ` (${names(r.documents_masked)})` : "") + ".", "ok"),
        r.affected_datasets.length || r.affected_exports.length
          ? notice(`Built before the withdrawal and holding your data: ${names([...r.affected_datasets, ...r.affected_exports])}. Their holders are told to prune them.`, "")
          : null);
    } catch (e) {
      replace(result, notice(e instanceof ApiError && e.status === 404 ? "This server does not offer withdrawal yet (the endpoint is not there)." : (e as Error).message, "error"));
    }
  });
  return h("div", { class: "card danger-zone", "data-testid": "withdraw-card" },
    h("h2", null, "Withdraw"),
    h("label", { class: "field" }, h("span", null, "What to withdraw"), source),
    what,
    h("label", { class: "field" }, h("span", null, `To confirm, type your name: ${name}`), confirm),
    button, result);
}
