// The recording editor: CodeMirror 6, every change recorded through the Recorder; a recording indicator with
// one-click pause; comments on a selected range, resolved by the author.

import { EditorState, StateEffect, StateField, Annotation, RangeSetBuilder, Transaction } from "@codemirror/state";
import { EditorView, Decoration, DecorationSet, keymap, lineNumbers, drawSelection, highlightActiveLine } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { api, ApiError, enc, Me, getDocument, listShares, shareDocument, revokeShare, ShareList } from "./api";
import { Recorder, RecorderState, utf16At, codePointsIn, hasAstral } from "./recorder";
import { h, replace, notice, fmtTime } from "./ui";

const remote = Annotation.define<boolean>();
const setComments = StateEffect.define<{ from: number; to: number }[]>();
const commentField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setComments)) {
        const builder = new RangeSetBuilder<Decoration>();
        for (const r of [...e.value].sort((a, b) => a.from - b.from)) {
          if (r.to > r.from) builder.add(r.from, r.to, Decoration.mark({ class: "cm-comment-mark" }));
        }
        value = builder.finish();
      }
    }
    return value;
  },
  provide: f => EditorView.decorations.from(f),
});

declare global {
  interface Window { plumbline?: any; }
}

export async function editorPage(root: HTMLElement, me: Me, name: string): Promise<void> {
  let text = "";
  let revision = 0;
  let exists = true;
  try {
    const replay = await api<any>("GET", `/api/documents/${enc(name)}/text`);
    text = replay.text;
    revision = replay.revision;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    exists = false;
  }

  // Shared with me? A reviewer reads and comments; an editor also writes.
  const shared = exists && me.contributor ? (await getDocument(name))?.shared ?? null : null;
  const reviewer = shared?.role === "reviewer";

  // CodeMirror keeps "\n" line breaks only: a text with CR would be changed by opening it, so it is shown read-only.
  const crlf = text.includes("\r");
  if (crlf) text = text.replace(/\r\n?/g, "\n");
  const writer = me.contributor !== null && !crlf && !reviewer;

  // ~OWNER/NAME names a document shared with the caller; there is no creating one.
  if (!exists && (!me.contributor || /^~[^/]+\//.test(name))) {
    replace(root, notice(`There is no document named '${name}' that you may see.`, "error"));
    return;
  }

  const recIndicator = h("button", { class: "rec", title: "Pause or resume recording", "data-testid": "recording" });
  const syncLabel = h("span", { class: "sync", "data-testid": "sync" }, "saved");
  const redactedLabel = h("span", { class: "pill warn", hidden: true, "data-testid": "redacted" });
  const host = h("div", { class: "cm-host" });
  const commentList = h("div", { "data-testid": "comments" });
  const commentText = h("textarea", { placeholder: "Select text in the editor, then write a comment…", "data-testid": "comment-text" }) as HTMLTextAreaElement;
  const commentButton = h("button", { class: "primary", disabled: true, "data-testid": "comment-add" }, "Comment on selection");
  const commentHint = h("div", { class: "small muted" }, "No text selected.");
  const errorBox = h("div");
  const shareCard = h("div", { class: "card share", hidden: true, "data-testid": "share-card" });

  replace(root,
    h("div", { class: "row" },
      h("div", null, h("h1", null, name), h("p", { class: "lead" }, reviewer ? `Shared with you by ${shared!.owner} for review: read-only. Select text to comment; ${shared!.owner} sees your comments and resolves them.`
        : shared ? `Shared with you by ${shared.owner}: you edit it too, and every change is recorded under your consent.`
        : me.contributor ? (exists ? "Every change is recorded with its time, under your consent." : "A new document: it is created with the first character you type.") : "Read-only: only contributors write.")),
      h("div", { class: "spacer" }),
      h("a", { class: "button", href: `/app/history/${enc(name)}` }, "History ▸")),
    errorBox,
    crlf ? notice("This document has CR line breaks, which this editor would change: it is shown read-only (record it with plumb watch).", "") : null,
    h("div", { class: "editor-layout" },
      h("div", null,
        h("div", { class: "toolbar" }, writer ? recIndicator : h("span", { class: "pill", "data-testid": "read-only" }, reviewer ? "reviewing · read-only" : `read-only: ${me.role}`), writer ? syncLabel : null, redactedLabel),
        host),
      h("aside", null,
        h("div", { class: "card" },
          h("h2", null, "Comments"),
          me.contributor ? [commentHint, commentText, h("div", { class: "row", style: "margin-top:.5rem" }, commentButton)] : null,
          h("h3", null, "On this document"),
          commentList),
        shareCard)));

  // Paused state of the signed-in contributor (pauses are the contributor's, across all their sources).
  let paused = false;
  const renderRec = () => {
    recIndicator.className = paused ? "rec paused" : "rec";
    replace(recIndicator, h("span", { class: "dot" }), paused ? "Paused — click to resume" : "Recording — click to pause");
  };
  if (me.contributor) {
    const status = await api<any>("GET", `/api/contributors/${enc(me.contributor)}`);
    paused = status.paused;
    renderRec();
    recIndicator.addEventListener("click", async () => {
      recIndicator.setAttribute("disabled", "");
      try {
        const status = await api<any>("POST", `/api/contributors/${enc(me.contributor!)}/${paused ? "resume" : "pause"}`);
        paused = status.paused;
        recorder?.hold(paused);
        renderRec();
      } catch (e) {
        replace(errorBox, notice(`Could not ${paused ? "resume" : "pause"}: ${(e as Error).message}`, "error"));
      } finally {
        recIndicator.removeAttribute("disabled");
      }
    });
  }

  const renderState = (s: RecorderState) => {
    syncLabel.className = s.offline ? "sync offline" : "sync";
    syncLabel.textContent = s.error ? "not saved" : s.held ? `paused — ${s.unsent} change${s.unsent === 1 ? "" : "s"} held; only their length is stored` : s.offline ? `server unreachable — ${s.unsent} unsent, retrying` : s.unsent > 0 ? `${s.unsent} unsent…` : `saved · revision ${s.revision}`;
    syncLabel.setAttribute("data-unsent", String(s.unsent));
    if (s.error) replace(errorBox, notice(`The server refused the last changes: ${s.error}`, "error"));
    if (s.redacted > 0) {
      redactedLabel.hidden = false;
      redactedLabel.textContent = `${s.redacted} secret${s.redacted === 1 ? "" : "s"} replaced before storing`;
    }
  };

  let view: EditorView;
  const latencies: number[] = [];
  const recorder = writer ? new Recorder({
    document: name,
    startText: text,
    revision,
    applyRemote: changes => view.dispatch({ changes, annotations: [remote.of(true), Transaction.addToHistory.of(false)] }),
    onState: renderState,
    onStored: l => latencies.push(...l),
  }) : null;

  view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), EditorView.lineWrapping,
        keymap.of([...defaultKeymap, ...historyKeymap]),
        commentField,
        EditorState.readOnly.of(!writer),
        EditorView.updateListener.of(update => {
          for (const tr of update.transactions) {
            if (tr.docChanged && !tr.annotation(remote)) recorder?.record(tr.changes);
          }
          if (update.selectionSet || update.docChanged) {
            const sel = update.state.selection.main;
            commentButton.disabled = sel.empty;
            commentHint.textContent = sel.empty ? "No text selected." : `Selected: “${clip(update.state.sliceDoc(sel.from, sel.to))}”`;
          }
        }),
      ],
    }),
  });

  const astralNow = () => hasAstral(view.state.doc.toString());

  async function loadComments(): Promise<void> {
    const list = await api<any>("GET", `/api/documents/${enc(name)}/comments`).catch(e => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
    if (!list) { replace(commentList, h("p", { class: "muted small" }, "No comments yet.")); return; }
    const doc = view.state.doc.toString();
    const ranges = list.comments.filter((c: any) => !c.orphaned && !c.resolved).map((c: any) => ({ from: utf16At(doc, c.start), to: utf16At(doc, c.end) }));
    view.dispatch({ effects: setComments.of(ranges) });
    replace(commentList, list.comments.length === 0 ? h("p", { class: "muted small" }, "No comments yet.") :
      list.comments.map((c: any) => h("div", { class: `comment${c.resolved ? " resolved" : ""}`, "data-testid": "comment" },
        h("div", { class: "meta" }, h("b", null, c.author ?? "someone"), `at revision ${c.created_revision}`, c.resolved ? h("span", { class: "pill ok" }, `resolved by ${c.resolved_by ?? "?"}`) : null),
        h("div", { class: "quote" }, clip(c.quote || "(deleted text)", 120)),
        h("div", null, c.text),
        !c.resolved && me.contributor && !reviewer ? h("button", { class: "small", style: "margin-top:.4rem", "data-testid": "comment-resolve", onclick: async () => {
          await api("POST", `/api/comments/${c.id}/resolve`);
          await loadComments();
        } }, "Resolve") : null)));
  }

  commentButton.addEventListener("click", async () => {
    const sel = view.state.selection.main;
    if (sel.empty || !commentText.value.trim() || !me.contributor) return;
    commentButton.disabled = true;
    try {
      await recorder?.flush(); // the range is given at the revision the server has: send everything first
      const astral = astralNow();
      const start = codePointsIn(view.state.doc, 0, sel.from, astral);
      const end = start + codePointsIn(view.state.doc, sel.from, sel.to, astral);
      await api("POST", `/api/documents/${enc(name)}/comments`, { start, end, text: commentText.value.trim() });
      commentText.value = "";
      await loadComments();
    } catch (e) {
      replace(errorBox, notice(`The comment was not saved: ${(e as Error).message}`, "error"));
    } finally {
      commentButton.disabled = view.state.selection.main.empty;
    }
  });

  if (exists) await loadComments(); else replace(commentList, h("p", { class: "muted small" }, "No comments yet."));
  if (exists && me.contributor && !shared) await shareControl(shareCard, name);
  if (recorder) renderState({ unsent: 0, sending: false, offline: false, error: null, revision, redacted: 0, stored: 0, held: false });
  if (recorder && paused) recorder.hold(true);
  view.focus();

  // For tests and the latency benchmark: the editor, the recorder and the measured latencies.
  window.plumbline = { view, recorder, latencies, text: () => view.state.doc.toString(), flush: () => recorder?.flush() };
  window.addEventListener("beforeunload", e => { if (recorder && recorder.unsent > 0) e.preventDefault(); });
  void fmtTime;
}

/**
 * The owner's Share control: grantee and role, the active shares with their role, and revoke. Hidden for anyone
 * who does not own the document (the server answers 403 or 404 to them).
 */
async function shareControl(card: HTMLElement, name: string): Promise<void> {
  const list = await listShares(name);
  if (!list) return;
  card.hidden = false;
  const who = h("input", { type: "text", placeholder: "contributor name", autocomplete: "off", "data-testid": "share-with" }) as HTMLInputElement;
  const role = h("select", { "data-testid": "share-role" },
    h("option", { value: "reviewer" }, "Reviewer — reads, comments"),
    h("option", { value: "editor" }, "Editor — also edits")) as HTMLSelectElement;
  const add = h("button", { class: "primary", type: "submit", "data-testid": "share-add" }, "Share");
  const status = h("div");
  const rows = h("div", { "data-testid": "shares" });
  const render = (l: ShareList) => {
    const active = l.shares.filter(s => !s.revoked_at);
    replace(rows, active.length === 0 ? h("p", { class: "muted small" }, "Only you can see this document.") :
      active.map(s => h("div", { class: "share-row", "data-testid": "share" },
        h("div", { class: "share-who" }, h("b", null, s.contributor), h("span", { class: `pill ${s.role === "editor" ? "warn" : ""}` }, s.role),
          s.withheld_by.length > 0 ? h("div", { class: "small muted" }, `Closed to them for now: the document has text by ${s.withheld_by.join(", ")}, who is not part of this share.`) : null),
        h("button", { class: "small", "data-testid": "share-revoke", onclick: async () => {
          try {
            await revokeShare(name, s.contributor);
            replace(status, notice(`${s.contributor} no longer has access.`, "ok"));
            render((await listShares(name))!);
          } catch (e) {
            replace(status, notice(`Could not revoke: ${(e as Error).message}`, "error"));
          }
        } }, "Revoke"))));
  };
  const form = h("form", { class: "share-form" }, who, role, add);
  form.addEventListener("submit", async e => {
    e.preventDefault();
    if (!who.value.trim()) return;
    add.disabled = true;
    try {
      const s = await shareDocument(name, who.value.trim(), role.value);
      replace(status, notice(`Shared with ${s.contributor} as ${s.role}. They find it in their documents as ~${s.owner}/${list.document}.`, "ok"));
      who.value = "";
      render((await listShares(name))!);
    } catch (err) {
      replace(status, notice((err as Error).message, "error"));
    } finally {
      add.disabled = false;
    }
  });
  replace(card, h("h2", null, "Sharing"), h("p", { class: "small muted" }, "Reviewers read and comment; editors also edit. Every read is in your audit log."), form, status, rows);
  render(list);
}

function clip(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}
