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

/** GET that a newer request can cancel (history windows fetched around a moving slider thumb). */
export async function apiGet<T = any>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { method: "GET", headers: { Accept: "application/json" }, credentials: "same-origin", signal });
  const text = await response.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json?.detail ?? `${response.status} ${response.statusText}`, json);
  return json as T;
}
