// History: a timeline slider over the whole history at once (author bands, activity, comments and gaps from
// /history/timeline), the text at the thumb's revision replayed from windows of revisions fetched lazily around
// it (/history/revisions, debounced, stale fetches cancelled), each character coloured by who typed it, withheld
// text (gaps) shaded, comments shown from the revision they were made at, and a timelapse at adjustable speed.

import { ApiError, Me, apiGet, enc } from "./api";
import { h, replace, fmtTime, fmtNum, colourIndex, svg } from "./ui";

interface Patch { position: number; delete: number; insert: string; }
interface Rev { revision: number; time: string; contributor: string | null; kind: string; patches: Patch[]; }
interface Run { contributor: string | null; withheld: boolean; length: number; }
interface WindowData { from: number; to: number; base_revision: number; text: string; authors: Run[]; history: Rev[]; }
interface Activity { from: number; to: number; first_time: string; last_time: string; inserted: number; deleted: number; contributor: string | null; }
interface Band { from: number; to: number; contributor: string | null; }

const FILL = "\u2591";
/** Revisions per window: windows are aligned, window k holds revisions k*W+1..(k+1)*W after the text at k*W. */
const WINDOW = 1000;
/** Inside a window, a copy of the text is kept every this many revisions, so that any seek replays at most this many. */
const STEP = 100;
const KEEP_WINDOWS = 8;
const DEBOUNCE_MS = 120;
const SPEEDS = [10, 50, 250, 1000, 5000, 25000];
const WITHHELD = -2;
const NOBODY = -1;

interface State { chars: string[]; authors: number[]; }

/** One fetched window: the exact text at its base, then its revisions, replayable to any revision inside it. */
class LoadedWindow {
  private marks = new Map<number, State>();
  private cursor: { revision: number; state: State } | null = null;

  constructor(readonly data: WindowData, private who: (name: string | null) => number) {
    const chars = Array.from(data.text);
    const authors: number[] = [];
    for (const run of data.authors) {
      const a = run.withheld ? WITHHELD : run.contributor === null ? NOBODY : who(run.contributor);
      for (let i = 0; i < run.length; i++) authors.push(a);
    }
    this.marks.set(data.base_revision, { chars, authors });
  }

  get base(): number { return this.data.base_revision; }
  get last(): number { return this.data.to; }
  rev(r: number): Rev | null { return r > this.base && r <= this.last ? this.data.history[r - this.base - 1] : null; }

  /** The text and its authors at revision r (base ≤ r ≤ last), and the range the revision r itself inserted. */
  at(r: number): State & { changed: [number, number] | null } {
    let from = this.base;
    for (const k of this.marks.keys()) if (k <= r && k > from) from = k;
    let state: State;
    if (this.cursor && this.cursor.revision <= r && this.cursor.revision >= from) {
      from = this.cursor.revision;
      state = this.cursor.state;
    } else {
      const mark = this.marks.get(from)!;
      state = { chars: mark.chars.slice(), authors: mark.authors.slice() };
    }
    let changed: [number, number] | null = null;
    for (let k = from + 1; k <= r; k++) {
      const rev = this.rev(k)!;
      const a = rev.kind === "gap" ? WITHHELD : this.who(rev.contributor);
      for (const p of rev.patches) {
        const ins = Array.from(p.insert);
        state.chars.splice(p.position, p.delete, ...ins);
        state.authors.splice(p.position, p.delete, ...ins.map(() => a));
        if (k === r) changed = [p.position, p.position + ins.length];
      }
      if ((k - this.base) % STEP === 0 && !this.marks.has(k)) this.marks.set(k, { chars: state.chars.slice(), authors: state.authors.slice() });
    }
    this.cursor = { revision: r, state };
    return { chars: state.chars, authors: state.authors, changed };
  }
}

export async function historyPage(root: HTMLElement, _me: Me, name: string): Promise<void> {
  const base = `/api/documents/${enc(name)}/history`;
  const windowOf = (r: number) => Math.floor(r / WINDOW);
  const windows = new Map<number, LoadedWindow>();
  const pending = new Map<number, { promise: Promise<LoadedWindow>; abort: AbortController }>();
  const timelinePromise = apiGet<any>(`${base}/timeline`);
  // The thumb starts at the end: ask for that window at once, in parallel with the timeline.
  const first = timelinePromise.then((t) => load(windowOf(t.revisions)));
  first.catch(() => undefined); // a failed timeline is reported by the await below; this only keeps the rejection handled
  const timeline = await timelinePromise;
  const last: number = timeline.revisions;
  const names: string[] = [...timeline.contributors];
  const who = (n: string | null) => {
    if (n === null) return NOBODY;
    let i = names.indexOf(n);
    if (i < 0) { names.push(n); i = names.length - 1; }
    return i;
  };
  const activity: Activity[] = timeline.activity;
  const bands: Band[] = timeline.bands;

  function load(k: number): Promise<LoadedWindow> {
    const have = windows.get(k);
    if (have) { windows.delete(k); windows.set(k, have); return Promise.resolve(have); }
    const inFlight = pending.get(k);
    if (inFlight) return inFlight.promise;
    const abort = new AbortController();
    const promise = apiGet<WindowData>(`${base}/revisions?from=${k * WINDOW + 1}&count=${WINDOW}`, abort.signal).then((data) => {
      const w = new LoadedWindow(data, who);
      windows.set(k, w);
      while (windows.size > KEEP_WINDOWS) windows.delete(windows.keys().next().value!);
      return w;
    }).finally(() => pending.delete(k));
    pending.set(k, { promise, abort });
    return promise;
  }

  /** Cancels fetches of windows nobody wants any more (the thumb moved on). */
  function cancelExcept(keep: Set<number>) {
    for (const [k, p] of pending) if (!keep.has(k)) p.abort.abort();
  }

  // ---- the page
  const slider = h("input", { type: "range", class: "slider", min: 0, max: last, value: last, "data-testid": "slider", "aria-label": "Revision" }) as HTMLInputElement;
  const label = h("div", { class: "row", "data-testid": "revision-label" });
  const textBox = h("div", { class: "card history-text", "data-testid": "history-text" });
  const commentBox = h("div", { "data-testid": "history-comments" });
  const status = h("span", { class: "muted small", "data-testid": "history-status" });
  const colour = (n: string | null) => colourIndex(names, n);
  const pct = (r: number) => (last ? (100 * r) / last : 0);

  const chart = activityChart(activity, bands, last, colour);
  chart.addEventListener("click", (e) => {
    const box = chart.getBoundingClientRect();
    seek(Math.round(((e.clientX - box.left) / box.width) * last));
  });
  const ticks = h("div", { class: "ticks" },
    ...timeline.comments.map((c: any) => h("span", { style: `left:${pct(c.created_revision)}%`, title: `comment by ${c.author ?? "someone"} at revision ${c.created_revision}: ${c.text}` })),
    ...timeline.gaps.map((g: any) => h("span", { class: "gap", style: `left:${pct(g.revision)}%`, title: `gap at revision ${g.revision}: ${g.reason}` })));
  const prev = h("button", { title: "Previous revision", onclick: () => seek(value() - 1) }, "◀");
  const next = h("button", { title: "Next revision", onclick: () => seek(value() + 1) }, "▶");
  const play = h("button", { class: "primary", "data-testid": "play", onclick: () => toggle() }, "▶ Play");
  const speed = h("select", { "data-testid": "speed", title: "Timelapse speed (revisions per second)" },
    SPEEDS.map((s) => h("option", { value: s, selected: s === defaultSpeed(last) }, `${fmtNum(s)} rev/s`))) as HTMLSelectElement;

  const value = () => Number(slider.value);
  function seek(r: number) { slider.value = String(Math.min(last, Math.max(0, r))); show(); }

  // ---- showing a revision: at once when its window is here, else after a debounced fetch
  let timer: number | null = null;
  function show() {
    const r = value();
    const k = windowOf(r);
    // A window's last revision is also the next one's base: either window can show it.
    const w = windows.get(k) ?? (k > 0 && r % WINDOW === 0 ? windows.get(k - 1) : undefined);
    prefetchAround(r);
    if (w) { render(r, w); return; }
    labelFor(r, null);
    textBox.setAttribute("data-state", "loading");
    status.textContent = "loading…";
    if (timer !== null) clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = null;
      cancelExcept(new Set([windowOf(value()), windowOf(value()) + 1]));
      load(windowOf(value())).then(() => { if (windowOf(value()) === k) show(); }).catch(failed);
    }, playing === null ? DEBOUNCE_MS : 0);
  }

  /** Near a window's end (or while playing), the next window is fetched ahead. */
  function prefetchAround(r: number) {
    const k = windowOf(r);
    if (!windows.has(k) && !(k > 0 && r % WINDOW === 0 && windows.has(k - 1))) return;
    if ((r % WINDOW > WINDOW / 2 || playing !== null) && (k + 1) * WINDOW <= last && !windows.has(k + 1)) load(k + 1).catch(() => undefined);
  }

  function failed(e: unknown) {
    if (e instanceof DOMException && e.name === "AbortError") return;
    status.textContent = e instanceof ApiError ? `could not load: ${e.detail}` : `could not load: ${String(e)}`;
  }

  function labelFor(r: number, rev: Rev | null) {
    const bucket = activity.find((a) => a.from <= r && r <= a.to);
    const time = rev ? rev.time : bucket ? bucket.first_time : timeline.first_time;
    replace(label,
      h("b", null, `Revision ${fmtNum(r)} of ${fmtNum(last)}`),
      h("span", { class: "muted" }, r === 0 ? `start · created ${fmtTime(timeline.first_time)}` : rev ? fmtTime(time) : `≈ ${fmtTime(time)}`),
      rev ? h("span", { class: "pill" }, rev.kind === "gap" ? "gap: withheld" : h("span", { class: `a${colour(rev.contributor)}` }, rev.contributor ?? "unknown")) : null,
      status);
    label.setAttribute("data-revision", String(r));
  }

  function render(r: number, w: LoadedWindow) {
    const { chars, authors, changed } = w.at(r);
    const rev = w.rev(r);
    status.textContent = `${fmtNum(chars.length)} characters`;
    labelFor(r, rev);
    // Runs of one author become one span; the text the revision itself inserted is outlined.
    const nodes: Node[] = [];
    const inChange = (k: number) => changed !== null && k >= changed[0] && k < changed[1];
    let i = 0;
    while (i < chars.length) {
      let j = i + 1;
      while (j < chars.length && authors[j] === authors[i] && inChange(j) === inChange(i) && (chars[j] === FILL) === (chars[i] === FILL)) j++;
      const a = authors[i];
      const cls = (a === WITHHELD || chars[i] === FILL ? "withheld" : a >= 0 ? `a${a % 6}` : "") + (inChange(i) ? " changed" : "");
      nodes.push(h("span", { class: cls }, chars.slice(i, j).join("")));
      i = j;
    }
    replace(textBox, ...nodes);
    textBox.setAttribute("data-revision", String(r));
    textBox.setAttribute("data-state", "ready");
    const visible = timeline.comments.filter((c: any) => c.created_revision <= r);
    replace(commentBox, visible.length === 0 ? h("p", { class: "muted small" }, "No comments at this revision.") :
      visible.map((c: any) => {
        const resolved = c.resolved_at_revision !== null && c.resolved_at_revision <= r;
        return h("div", { class: `comment${resolved ? " resolved" : ""}`, "data-testid": "history-comment", "data-revision": c.created_revision },
          h("div", { class: "meta" }, h("b", { class: `a${colour(c.author)}` }, c.author ?? "someone"), `revision ${fmtNum(c.created_revision)} · ${fmtTime(c.time)}`,
            resolved ? h("span", { class: "pill ok" }, "resolved") : null),
          h("div", { class: "quote" }, c.quote || "(no text selected)"),
          h("div", null, c.text),
          h("button", { class: "small", style: "margin-top:.3rem", onclick: () => seek(c.created_revision) }, "Go to revision"));
      }));
  }
  slider.addEventListener("input", show);

  // ---- timelapse: advances by speed × elapsed time each frame; waits (buffering) when the next window is not here yet
  let playing: number | null = null;
  let carry = 0;
  let lastFrame = 0;
  function toggle() {
    if (playing !== null) { cancelAnimationFrame(playing); playing = null; play.textContent = "▶ Play"; return; }
    if (value() >= last) seek(0);
    play.textContent = "❚❚ Pause";
    lastFrame = performance.now();
    carry = 0;
    playing = requestAnimationFrame(frame);
  }
  function frame(now: number) {
    if (playing === null) return;
    const r = value();
    const target = Math.min(last, r + Math.floor((carry += ((now - lastFrame) / 1000) * Number(speed.value))));
    lastFrame = now;
    if (target > r) {
      // Never skip past the end of the loaded windows: the text must be replayed from where it is.
      const k = windowOf(r);
      const reachable = windows.has(windowOf(target)) ? target : Math.min(target, windows.has(k) ? (k + 1) * WINDOW : r);
      carry -= reachable - r;
      if (reachable !== target) carry = 0;
      slider.value = String(reachable);
      show();
    }
    if (value() >= last) { toggle(); return; }
    playing = requestAnimationFrame(frame);
  }

  // The page appears with the text at the end in it (both were asked for at once): never an empty text box.
  await first;
  replace(root,
    h("div", { class: "row" },
      h("div", null, h("h1", null, `History of ${name}`),
        h("p", { class: "lead" }, `${count(last, "revision")} · ${timeline.source} · ${count(timeline.comments.length, "comment")} · ${count(timeline.gaps.length, "gap")}` +
          (timeline.first_time ? ` · ${fmtTime(timeline.first_time)} – ${fmtTime(timeline.last_time)}` : ""))),
      h("div", { class: "spacer" }),
      timeline.source === "documents" ? h("a", { class: "button", href: `/app/doc/${enc(name)}` }, "Open in editor") : null),
    h("div", { class: "card" },
      h("div", { class: "row" }, prev, play, next, speed, h("div", { class: "spacer" }),
        h("div", { class: "legend" }, names.map((n, k) => h("span", null, h("i", { class: `bg${k % 6}` }), n)),
          h("span", null, h("i", { class: "withheld", style: "background:#dde1e7" }), "withheld (paused)"))),
      h("div", { style: "margin-top:.8rem" }, chart, slider, ticks),
      label),
    h("div", { class: "editor-layout" }, textBox, h("aside", null, h("div", { class: "card" }, h("h2", null, "Comments"), commentBox))));
  show();
}

/** A timelapse of the whole history takes about a minute at the default speed (at least 10 revisions a second). */
function defaultSpeed(revisions: number): number {
  return SPEEDS.find((s) => revisions / s <= 60) ?? SPEEDS[SPEEDS.length - 1];
}

/** Activity per bucket (code points inserted + deleted, square-root scale) over the author bands, aligned with the slider. */
function activityChart(activity: Activity[], bands: Band[], last: number, colour: (n: string | null) => number): SVGElement {
  const width = 1000;
  const height = 44;
  const max = Math.max(1, ...activity.map((a) => Math.sqrt(a.inserted + a.deleted)));
  const x = (r: number) => (last ? (width * r) / last : 0);
  const bars = activity.map((a) => {
    const hgt = Math.max(1, ((height - 8) * Math.sqrt(a.inserted + a.deleted)) / max);
    return svg("rect", { x: x(a.from - 1), y: height - 8 - hgt, width: Math.max(0.5, x(a.to) - x(a.from - 1)), height: hgt, class: `fill${colour(a.contributor)}` },
      svg("title", {}, `revisions ${a.from}–${a.to}: +${a.inserted} −${a.deleted}${a.contributor ? ` · mostly ${a.contributor}` : ""}`));
  });
  const strips = bands.map((b) => svg("rect", { x: x(b.from - 1), y: height - 5, width: Math.max(0.5, x(b.to) - x(b.from - 1)), height: 5, class: `fill${colour(b.contributor)}` },
    svg("title", {}, `revisions ${b.from}–${b.to}: ${b.contributor ?? "no contributor"}`)));
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", class: "activity", "data-testid": "activity" }, ...bars, ...strips);
}

/** "1 comment", "2 comments", "1,075 revisions". */
function count(n: number, noun: string): string {
  return `${fmtNum(n)} ${noun}${n === 1 ? "" : "s"}`;
}
