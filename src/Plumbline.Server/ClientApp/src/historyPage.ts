// History: a timeline slider that replays the document at any revision, each character coloured by the
// contributor who typed it, withheld text (gaps) shaded, comments shown from the revision they were made at.

import { api, enc, Me } from "./api";
import { h, replace, fmtTime, colourIndex } from "./ui";

interface Rev { revision: number; time: string; contributor: string | null; kind: string; patches: { position: number; delete: number; insert: string }[]; }

const FILL = "\u2591";
const SNAPSHOT_EVERY = 200;

/** The text as code points with the author of each, replayable to any revision (snapshots every 200 revisions). */
class Replayer {
  private snapshots = new Map<number, { chars: string[]; authors: number[] }>();
  constructor(private start: string, private revs: Rev[], private names: string[]) {
    this.snapshots.set(0, { chars: Array.from(start), authors: Array.from(start, () => -1) });
  }

  at(revision: number): { chars: string[]; authors: number[]; changed: [number, number] | null } {
    const base = Math.floor(revision / SNAPSHOT_EVERY) * SNAPSHOT_EVERY;
    let from = base;
    while (!this.snapshots.has(from)) from -= SNAPSHOT_EVERY;
    const snap = this.snapshots.get(from)!;
    const chars = snap.chars.slice();
    const authors = snap.authors.slice();
    let changed: [number, number] | null = null;
    for (let r = from + 1; r <= revision; r++) {
      const rev = this.revs[r - 1];
      const who = rev.kind === "gap" ? -2 : this.names.indexOf(rev.contributor ?? "");
      for (const p of rev.patches) {
        const ins = Array.from(p.insert);
        chars.splice(p.position, p.delete, ...ins);
        authors.splice(p.position, p.delete, ...ins.map(() => who));
        if (r === revision) changed = [p.position, p.position + ins.length];
      }
      if (r % SNAPSHOT_EVERY === 0 && !this.snapshots.has(r)) this.snapshots.set(r, { chars: chars.slice(), authors: authors.slice() });
    }
    return { chars, authors, changed };
  }
}

export async function historyPage(root: HTMLElement, _me: Me, name: string): Promise<void> {
  const data = await api<any>("GET", `/api/documents/${enc(name)}/history`);
  const revs: Rev[] = data.history;
  const names: string[] = data.contributors;
  const replayer = new Replayer(data.start_content, revs, names);
  const last = data.revisions;

  const slider = h("input", { type: "range", class: "slider", min: 0, max: last, value: last, "data-testid": "slider" }) as HTMLInputElement;
  const label = h("div", { class: "row", "data-testid": "revision-label" });
  const textBox = h("div", { class: "card history-text", "data-testid": "history-text" });
  const commentBox = h("div", { "data-testid": "history-comments" });
  const ticks = h("div", { class: "ticks" },
    ...data.comments.map((c: any) => h("span", { style: `left:${last ? (100 * c.created_revision) / last : 0}%`, title: `comment by ${c.author}: ${c.text}` })),
    ...data.gaps.map((g: any) => h("span", { class: "gap", style: `left:${last ? (100 * g.revision) / last : 0}%`, title: `gap: ${g.reason}` })));
  const prev = h("button", { title: "Previous revision", onclick: () => step(-1) }, "◀");
  const next = h("button", { title: "Next revision", onclick: () => step(1) }, "▶");
  const play = h("button", { class: "primary", onclick: () => toggle() }, "▶ Play");

  let timer: number | null = null;
  function step(d: number) { slider.value = String(Math.min(last, Math.max(0, Number(slider.value) + d))); render(); }
  function toggle() {
    if (timer !== null) { clearInterval(timer); timer = null; play.textContent = "▶ Play"; return; }
    if (Number(slider.value) >= last) slider.value = "0";
    const stepSize = Math.max(1, Math.round(last / 300));
    play.textContent = "❚❚ Pause";
    timer = window.setInterval(() => { step(stepSize); if (Number(slider.value) >= last) toggle(); }, 30);
  }

  function render() {
    const r = Number(slider.value);
    const { chars, authors, changed } = replayer.at(r);
    const rev = r > 0 ? revs[r - 1] : null;
    replace(label,
      h("b", null, `Revision ${r} of ${last}`),
      h("span", { class: "muted" }, rev ? fmtTime(rev.time) : `start · created ${fmtTime(revs[0]?.time)}`),
      rev ? h("span", { class: `pill` }, rev.kind === "gap" ? "gap: withheld" : h("span", { class: `a${colourIndex(names, rev.contributor)}` }, rev.contributor ?? "unknown")) : null,
      h("span", { class: "muted small" }, `${chars.length} characters`));
    // Runs of one author become one span.
    const nodes: Node[] = [];
    let i = 0;
    while (i < chars.length) {
      let j = i + 1;
      const inChange = (k: number) => changed !== null && k >= changed[0] && k < changed[1];
      while (j < chars.length && authors[j] === authors[i] && inChange(j) === inChange(i)) j++;
      const a = authors[i];
      const cls = (a === -2 || chars[i] === FILL ? "withheld" : a >= 0 ? `a${a % 6}` : "") + (inChange(i) ? " changed" : "");
      nodes.push(h("span", { class: cls }, chars.slice(i, j).join("")));
      i = j;
    }
    replace(textBox, ...nodes);
    const visible = data.comments.filter((c: any) => c.created_revision <= r);
    replace(commentBox, visible.length === 0 ? h("p", { class: "muted small" }, "No comments at this revision.") :
      visible.map((c: any) => {
        const resolved = c.resolved_at_revision !== null && c.resolved_at_revision <= r;
        return h("div", { class: `comment${resolved ? " resolved" : ""}`, "data-testid": "history-comment", "data-revision": c.created_revision },
          h("div", { class: "meta" }, h("b", { class: `a${colourIndex(names, c.author)}` }, c.author ?? "someone"), `revision ${c.created_revision} · ${fmtTime(c.time)}`,
            resolved ? h("span", { class: "pill ok" }, "resolved") : null),
          h("div", { class: "quote" }, c.quote || "(text since deleted)"),
          h("div", null, c.text),
          h("button", { class: "small", style: "margin-top:.3rem", onclick: () => { slider.value = String(c.created_revision); render(); } }, "Go to revision"));
      }));
  }
  slider.addEventListener("input", render);

  replace(root,
    h("div", { class: "row" },
      h("div", null, h("h1", null, `History of ${name}`),
        h("p", { class: "lead" }, `${last} revisions · ${data.source} · ${data.comments.length} comments · ${data.gaps.length} gaps`)),
      h("div", { class: "spacer" }),
      data.source === "documents" ? h("a", { class: "button", href: `/app/doc/${enc(name)}` }, "Open in editor") : null),
    h("div", { class: "card" },
      h("div", { class: "row" }, prev, play, next, h("div", { class: "spacer" }),
        h("div", { class: "legend" }, names.map((n, k) => h("span", null, h("i", { class: `bg${k % 6}` }), n)),
          h("span", null, h("i", { class: "withheld", style: "background:#dde1e7" }), "withheld (paused)"))),
      h("div", { style: "margin-top:.8rem" }, slider, ticks),
      label),
    h("div", { class: "editor-layout" }, textBox, h("aside", null, h("div", { class: "card" }, h("h2", null, "Comments"), commentBox))));
  render();
}
