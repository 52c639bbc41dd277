// The API client: same-origin fetch with the sign-in cookie; every request that changes anything carries
// X-Plumbline: 1 (the server refuses cookie-signed writes without it, so a cross-site form cannot post).

export class ApiError extends Error {
  constructor(public status: number, public detail: string, public body: any) {
    super(detail);
  }
}

export interface Me { token_id: number; role: string; contributor: string | null; }

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { "X-Plumbline": "1", Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    throw new ApiError(response.status, json?.detail ?? `${response.status} ${response.statusText}`, json);
  }
  return json as T;
}

export const enc = (name: string) => encodeURIComponent(name).replace(/%2F/gi, "%2F");

/** GET that answers null on 404 (an endpoint this server does not have, or data that is not there). */
export async function getOrNull<T = any>(path: string): Promise<T | null> {
  try {
    return await api<T>("GET", path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

// --- Sharing (document owner: share with a reviewer or editor; grantees see it as ~OWNER/NAME) ---

export interface Share {
  contributor: string; role: "reviewer" | "editor"; owner: string; granted_by: string; granted_at: string;
  revoked_by: string | null; revoked_at: string | null; withheld_by: string[];
}
export interface ShareList { document: string; owner: string; shares: Share[]; }
export interface DocumentInfo {
  name: string; source: string; revisions: number; patches: number; length: number; created_at: string; last_time: string | null;
  shared: { owner: string; role: "reviewer" | "editor" } | null;
}

/** The document's metadata (null when the caller may not see it or it does not exist yet). */
export const getDocument = (name: string) => getOrNull<DocumentInfo>(`/api/documents/${enc(name)}`);

/** The document's shares; null when the caller is not its owner (403) or cannot see it (404). */
export async function listShares(name: string): Promise<ShareList | null> {
  try {
    return await api<ShareList>("GET", `/api/documents/${enc(name)}/shares`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return null;
    throw e;
  }
}

export const shareDocument = (name: string, contributor: string, role: string) =>
  api<Share>("POST", `/api/documents/${enc(name)}/shares`, { contributor, role });

export const revokeShare = (name: string, contributor: string) =>
  api<Share>("DELETE", `/api/documents/${enc(name)}/shares/${enc(contributor)}`);

/** GET that a newer request can cancel (history windows fetched around a moving slider thumb). */
export async function apiGet<T = any>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { method: "GET", headers: { Accept: "application/json" }, credentials: "same-origin", signal });
  const text = await response.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json?.detail ?? `${response.status} ${response.statusText}`, json);
  return json as T;
}
