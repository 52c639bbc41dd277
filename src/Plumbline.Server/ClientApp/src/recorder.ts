// The recording core: turns CodeMirror transactions into the ingest API's batches and sends them.
// CodeMirror counts UTF-16 units, the store counts code points: positions are converted here, at the edge.
// Changes wait in a queue until the server has them; a failed send (server down) is retried with the same
// batch id (the server makes a retry a no-op), so no keystroke is lost and none is stored twice.

import { ChangeSet, Text } from "@codemirror/state";
import { api, ApiError, enc } from "./api";

export interface Patch { position: number; delete: number; insert: string; }

interface Pending { changes: ChangeSet; time: string; }

const HIGH = /[\uD800-\uDBFF]/g;

/** Code points in the UTF-16 range [from, to) of a document. */
export function codePointsIn(doc: Text, from: number, to: number, astral: boolean): number {
  if (!astral || from === to) return to - from;
  let surrogates = 0;
  const iter = doc.iterRange(from, to);
  while (!iter.next().done) {
    const m = iter.value.match(HIGH);
    if (m) surrogates += m.length;
  }
  return to - from - surrogates;
}

/** The UTF-16 offset of code point position <cp> in a string. */
export function utf16At(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

export function hasAstral(s: string): boolean {
  return /[\uD800-\uDBFF]/.test(s);
}

/** The patches (in code points, each applied after the previous) of one change set on <doc>, and the doc after it. */
export function toPatches(doc: Text, changes: ChangeSet, astral: boolean): { patches: Patch[]; after: Text } {
  const after = changes.apply(doc);
  const patches: Patch[] = [];
  // In ascending order, the text before a change's start in the new doc is exactly the text before it once the
  // earlier changes are applied, so fromB is its position in the intermediate text.
  changes.iterChanges((fromA, toA, fromB, _toB, inserted) => {
    patches.push({
      position: codePointsIn(after, 0, fromB, astral),
      delete: codePointsIn(doc, fromA, toA, astral),
      insert: inserted.toString(),
    });
  });
  return { patches, after };
}

/** The change from one text to another as one replacement of the differing middle (for resyncing with the server). */
export function diffChange(from: string, to: string): ChangeSet {
  let prefix = 0;
  const max = Math.min(from.length, to.length);
  while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && prefix < max && isLow(from.charCodeAt(prefix))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLow(from.charCodeAt(from.length - suffix))) suffix--;
  return ChangeSet.of(prefix === from.length && suffix === 0 && from.length === to.length ? [] :
    [{ from: prefix, to: from.length - suffix, insert: to.slice(prefix, to.length - suffix) }], from.length);
}

function isLow(c: number): boolean { return c >= 0xdc00 && c <= 0xdfff; }

export interface RecorderState {
  unsent: number;        // transactions not yet acknowledged by the server
  sending: boolean;
  offline: boolean;      // the last send failed for a network or server reason; retrying
  error: string | null;  // a refusal that retrying will not fix
  revision: number;
  redacted: number;      // secrets the server replaced with placeholders so far
  stored: number;        // transactions acknowledged
  held: boolean;         // recording is paused: changes wait, and go as one batch (one gap) on resume
}

export interface RecorderOptions {
  document: string;
  startText: string;
  revision: number;
  /** Applies a change the server made (a redaction, another writer) to the editor without recording it. */
  applyRemote: (changes: ChangeSet) => void;
  onState: (state: RecorderState) => void;
  /** Called with the ms from a transaction's time to its acknowledgement (for the latency benchmark). */
  onStored?: (latencies: number[]) => void;
  maxBatch?: number;
}

export class Recorder {
  private confirmed: Text;
  private revision: number;
  private pending: Pending[] = [];
  private inflight: { id: string; count: number; body: unknown; after: Text } | null = null;
  private astral: boolean;
  private readonly session = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  private batchNo = 0;
  private timer: number | null = null;
  private retryDelay = 250;
  private state: RecorderState;
  private stopped = false;
  private requesting = false;
  private held = false;
  private releaseAll = false;
  private created: boolean;

  constructor(private readonly options: RecorderOptions) {
    this.confirmed = Text.of(options.startText.split("\n"));
    this.revision = options.revision;
    this.astral = hasAstral(options.startText);
    this.created = options.revision > 0;
    this.state = { unsent: 0, sending: false, offline: false, error: null, revision: options.revision, redacted: 0, stored: 0, held: false };
  }

  /** Records one editor transaction's changes (made at <time>). */
  record(changes: ChangeSet, time = new Date()): void {
    if (changes.empty) return;
    changes.iterChanges((_a, _b, _c, _d, inserted) => {
      if (!this.astral && hasAstral(inserted.toString())) this.astral = true;
    });
    this.pending.push({ changes, time: time.toISOString() });
    this.update({});
    this.schedule(0);
  }

  get unsent(): number { return this.pending.length; }

  /**
   * While recording is paused the changes are held and sent together on resume: the server stores the run
   * as one gap (its length only), instead of one gap per batch.
   */
  hold(on: boolean): void {
    this.held = on;
    if (!on) this.releaseAll = true;
    this.update({ held: on });
    if (!on) this.schedule(0);
  }

  /** Resolves once everything recorded so far is stored (or rejects on a refusal). */
  async flush(timeoutMs = 30000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.pending.length > 0 && !this.held) {
      if (this.state.error) throw new Error(this.state.error);
      if (Date.now() > until) throw new Error(`${this.pending.length} changes are still unsent`);
      this.schedule(0);
      await new Promise(r => setTimeout(r, 40));
    }
  }

  stop(): void { this.stopped = true; if (this.timer !== null) clearTimeout(this.timer); }

  private update(patch: Partial<RecorderState>): void {
    this.state = { ...this.state, ...patch, unsent: this.pending.length, revision: this.revision };
    this.options.onState(this.state);
  }

  private schedule(delay: number): void {
    if (this.stopped || this.requesting || this.timer !== null) return;
    this.timer = window.setTimeout(() => { this.timer = null; void this.send(); }, delay);
  }

  private buildBatch(): void {
    const count = this.releaseAll ? this.pending.length : Math.min(this.pending.length, this.options.maxBatch ?? 200);
    this.releaseAll = false;
    let doc = this.confirmed;
    const transactions = [];
    for (let i = 0; i < count; i++) {
      const { patches, after } = toPatches(doc, this.pending[i].changes, this.astral);
      transactions.push({ patches, time: this.pending[i].time });
      doc = after;
    }
    const id = `web:${this.session}:${++this.batchNo}`;
    const body: Record<string, unknown> = { batch_id: id, base_revision: this.revision, transactions };
    if (!this.created) body.start_content = this.confirmed.toString();
    this.inflight = { id, count, body, after: doc };
  }

  private async send(): Promise<void> {
    if (this.stopped || this.requesting || this.held || this.pending.length === 0 || this.state.error) return;
    if (!this.inflight) this.buildBatch(); // else: the batch that failed, again, exactly as it was
    const batch = this.inflight!;
    this.requesting = true;
    this.update({ sending: true });
    try {
      const response = await api<any>("POST", `/api/documents/${enc(this.options.document)}/batches`, batch.body);
      const sent = this.pending.splice(0, batch.count);
      this.confirmed = batch.after;
      this.revision = response.revision;
      this.created = true;
      this.inflight = null;
      this.retryDelay = 250;
      const now = Date.now();
      this.options.onStored?.(sent.map(p => now - Date.parse(p.time)));
      this.update({ sending: false, offline: false, stored: this.state.stored + sent.length, redacted: this.state.redacted + (response.redacted ?? 0) });
      // Nothing is sent while the text is resynced: a batch built meanwhile would be based on the old text.
      if ((response.redacted ?? 0) > 0) await this.resync();
      this.requesting = false;
    } catch (e) {
      const transient = !(e instanceof ApiError) || e.status >= 500 || e.status === 408 || e.status === 429;
      if (!transient) this.inflight = null;
      if (e instanceof ApiError && e.status === 409) {
        // Someone else wrote to the document: take the server's text, carry the unsent changes over it.
        await this.resync();
        this.requesting = false;
      } else if (!transient) {
        this.requesting = false;
        this.update({ sending: false, error: (e as ApiError).detail });
        return;
      } else {
        // Network failure or a server error: the same batch again later (its id makes a repeat a no-op).
        this.requesting = false;
        this.update({ sending: false, offline: true });
        this.retryDelay = Math.min(this.retryDelay * 2, 2000);
        this.schedule(this.retryDelay);
        return;
      }
    }
    this.schedule(0);
  }

  /** Replaces the confirmed text with the server's and maps the unsent changes and the editor over the difference. */
  private async resync(): Promise<void> {
    let text: any;
    try {
      text = await api<any>("GET", `/api/documents/${enc(this.options.document)}/text`);
    } catch (e) {
      this.update({ error: `could not reload the document after the server changed it: ${(e as Error).message}` });
      return;
    }
    const server: string = text.text;
    let remote = diffChange(this.confirmed.toString(), server);
    for (const p of this.pending) {
      const mapped = p.changes.map(remote);
      remote = remote.map(p.changes, true);
      p.changes = mapped;
    }
    this.confirmed = Text.of(server.split("\n"));
    this.revision = text.revision;
    if (hasAstral(server)) this.astral = true;
    if (!remote.empty) this.options.applyRemote(remote);
    this.update({});
  }
}
