/**
 * LinkedIn-Version handling (reference §2): monthly versions `YYYYMM` (optionally `YYYYMM.RR`), each supported for
 * about a year — the migrations page sunsets version YYYYMM around the 15th of the same month a year later.
 * Versions from the future do not exist yet.
 */

const VERSION = /^(\d{4})(\d{2})(?:\.(\d{2}))?$/;

export interface ParsedVersion {
  year: number;
  month: number;
  patch: number;
}

export function parseVersion(v: string): ParsedVersion | undefined {
  const m = VERSION.exec(v.trim());
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return { year: Number(m[1]), month, patch: m[3] ? Number(m[3]) : 1 };
}

/** The 8-digit form LinkedIn echoes in messages: `202404` → `20240401`. Unparseable versions are echoed as sent. */
export function version8(v: string): string {
  const p = parseVersion(v);
  if (!p) return v;
  return `${p.year}${String(p.month).padStart(2, '0')}${String(p.patch).padStart(2, '0')}`;
}

const monthKey = (p: ParsedVersion): string => `${p.year}${String(p.month).padStart(2, '0')}`;

/**
 * Whether a version is served at `nowMs`. With an explicit `activeVersions` list (YYYYMM strings) only those are;
 * otherwise the one-year window applies.
 */
export function isVersionActive(v: string, nowMs: number, activeVersions?: readonly string[]): boolean {
  const p = parseVersion(v);
  if (!p) return false;
  if (activeVersions) return activeVersions.includes(monthKey(p));
  const released = Date.UTC(p.year, p.month - 1, 1);
  const sunset = Date.UTC(p.year + 1, p.month - 1, 15);
  return released <= nowMs && nowMs < sunset;
}

/** The newest version active at `nowMs` (the current month). */
export function latestVersion(nowMs: number): string {
  const d = new Date(nowMs);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
