// The web UI's entry: sign-in, the layout and the router (/app/…; every page is a full page load).

import { api, ApiError, enc, Me } from "./api";
import { h, replace, notice, fmtTime, fmtNum } from "./ui";
import { editorPage } from "./editorPage";
import { historyPage } from "./historyPage";
import { myDataPage } from "./myDataPage";
import { curatorPage } from "./curatorPage";

const LOGO = `<svg viewBox="0 0 16 16"><path d="M8 1v9" stroke="#cfd4dc" stroke-width="1.5"/><path d="M5 10h6l-3 5z" fill="#f97316"/></svg>`;

async function start(): Promise<void> {
  const root = document.getElementById("root")!;
  let me: Me | null = null;
  try {
    me = await api<Me>("GET", "/api/me");
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      replace(root, h("main", null, notice(`The server did not answer: ${(e as Error).message}`, "error")));
      return;
    }
  }
  if (!me) { signIn(root); return; }

  const path = decodeURIComponent(location.pathname.replace(/^\/app\/?/, "").replace(/^\/$/, ""));
  const [page, ...rest] = path.split("/");
  const arg = rest.join("/");
  const main = h("main");
  replace(root, header(me, page || "home"), main);
  try {
    switch (page) {
      case "doc": await editorPage(main, me, arg); break;
      case "history": await historyPage(main, me, arg); break;
      case "me": await myDataPage(main, me, arg || undefined); break;
      case "curator": await curatorPage(main, me); break;
      default: await home(main, me);
    }
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 0;
    replace(main, h("h1", null, status === 404 ? "Not found" : "Something went wrong"),
      notice(status === 404 ? "There is nothing here that you may see." : (e as Error).message, "error"));
  }
}

function header(me: Me, active: string): HTMLElement {
  const link = (href: string, label: string, key: string) => h("a", { href, class: active === key ? "active" : "" }, label);
  const brand = h("a", { class: "brand", href: "/app/" });
  brand.innerHTML = `${LOGO}<span>Plumbline</span>`;
  return h("header", { class: "top" }, brand,
    h("nav", null, link("/app/", "Documents", "home"), me.contributor ? link("/app/me", "My data", "me") : null,
      me.role !== "contributor" ? link("/app/curator", "Curator", "curator") : null),
    h("div", { class: "who" }, h("span", null, "Signed in as ", h("b", { "data-testid": "who" }, me.contributor ?? me.role)), h("span", { class: "pill" }, me.role),
      h("button", { class: "small", "data-testid": "signout", onclick: async () => { await api("DELETE", "/api/session"); location.href = "/app/"; } }, "Sign out")));
}

function signIn(root: HTMLElement): void {
  const token = h("input", { type: "password", placeholder: "plb_…", autocomplete: "off", "data-testid": "token" }) as HTMLInputElement;
  const error = h("div");
  const form = h("form", { class: "card signin" },
    h("h1", null, "Plumbline"),
    h("p", { class: "lead" }, "Write with every edit recorded under your consent, and govern everything recorded about you."),
    h("label", { class: "field" }, h("span", null, "Your API token (plumb token create, or printed by plumb serve --sample)"), token),
    error,
    h("button", { class: "primary", type: "submit", "data-testid": "signin" }, "Sign in"),
    h("p", { class: "small muted" }, "The token is kept in an HttpOnly cookie for this site only; sign out removes it."));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    try {
      await api("POST", "/api/session", { token: token.value });
      location.reload();
    } catch (err) {
      replace(error, notice((err as Error).message, "error"));
    }
  });
  replace(root, h("main", null, form));
  token.focus();
}

async function home(main: HTMLElement, me: Me): Promise<void> {
  const documents = (await api<any>("GET", "/api/documents")).documents;
  const nameInput = h("input", { type: "text", placeholder: "notes/ideas.md", "data-testid": "new-name" }) as HTMLInputElement;
  const create = h("form", { class: "row" }, nameInput, h("button", { class: "primary", type: "submit", "data-testid": "new-open" }, "Create or open"));
  create.addEventListener("submit", e => { e.preventDefault(); if (nameInput.value.trim()) location.href = `/app/doc/${enc(nameInput.value.trim())}`; });
  replace(main,
    h("h1", null, "Documents"),
    h("p", { class: "lead" }, me.contributor ? "Write in the recording editor: every change is stored with its time, under your consent." : "Every document your role may see."),
    me.contributor ? h("div", { class: "card" }, h("h2", null, "New document"), create) : null,
    h("div", { class: "card doclist" },
      documents.length === 0 ? h("p", { class: "muted" }, "No documents yet.") :
        documents.map((d: any) => h("a", { class: "doc", href: d.source === "documents" ? `/app/doc/${enc(d.name)}` : `/app/history/${enc(d.name)}` },
          h("span", null, h("b", null, d.name), " ", h("span", { class: "pill" }, d.source), d.shared ? h("span", { class: "pill ok", "data-testid": "shared-pill" }, `shared by ${d.shared.owner} · ${d.shared.role}`) : null),
          h("span", { class: "muted small" }, `${fmtNum(d.revisions)} revisions · ${fmtNum(d.length)} characters · ${fmtTime(d.last_time)}`)))));
}

void start();
