/**
 * The modal's private_metadata: what the submission handler needs and the view cannot hold (≤3000 characters,
 * sent back with every block_actions and view_submission). Kept as short-keyed JSON.
 */

export type ModalMode = 'new' | 'edit' | 'compare';

export interface AudienceModalMetadata {
  mode: ModalMode;
  /** Where /audience was run: view_submission payloads carry no channel. */
  channelId?: string;
  /** The query being edited or compared with. */
  baseQueryId?: string;
  /** Rows (facets) in each include group; its length is the group count. */
  includeRows: number[];
  excludeRows: number;
  /** In compare mode the breakdown facet is the base query's and is not asked again. */
  fixedGroupBy?: string;
  /** Anything else a handler wants back (e.g. a response_url); counted against the 3000 characters. */
  extra?: Record<string, string>;
}

interface Wire {
  v: 1;
  m: ModalMode;
  c?: string;
  q?: string;
  g: number[];
  x: number;
  b?: string;
  e?: Record<string, string>;
}

export const PRIVATE_METADATA_MAX = 3000;

export class ModalMetadataError extends Error {
  readonly code = 'modal_metadata_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ModalMetadataError';
  }
}

export function encodeModalMetadata(meta: AudienceModalMetadata): string {
  const wire: Wire = {
    v: 1,
    m: meta.mode,
    ...(meta.channelId ? { c: meta.channelId } : {}),
    ...(meta.baseQueryId ? { q: meta.baseQueryId } : {}),
    g: meta.includeRows,
    x: meta.excludeRows,
    ...(meta.fixedGroupBy ? { b: meta.fixedGroupBy } : {}),
    ...(meta.extra && Object.keys(meta.extra).length > 0 ? { e: meta.extra } : {}),
  };
  const text = JSON.stringify(wire);
  if (text.length > PRIVATE_METADATA_MAX) {
    throw new ModalMetadataError(`private_metadata would be ${text.length} characters; Slack allows 3000`);
  }
  return text;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 100;

/** Reads private_metadata back; anything malformed (or not ours) is an error, not a guess. */
export function decodeModalMetadata(text: string | undefined): AudienceModalMetadata {
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(text ?? '') as Partial<Wire>;
  } catch {
    throw new ModalMetadataError('private_metadata is not the audience modal’s');
  }
  if (wire?.v !== 1 || !['new', 'edit', 'compare'].includes(wire.m as string)) {
    throw new ModalMetadataError('private_metadata is not the audience modal’s');
  }
  if (!Array.isArray(wire.g) || !wire.g.every(isCount) || !isCount(wire.x)) {
    throw new ModalMetadataError('private_metadata has no valid layout');
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const extra =
    wire.e && typeof wire.e === 'object'
      ? Object.fromEntries(Object.entries(wire.e).filter(([, v]) => typeof v === 'string'))
      : undefined;
  const channelId = str(wire.c);
  const baseQueryId = str(wire.q);
  const fixedGroupBy = str(wire.b);
  return {
    mode: wire.m as ModalMode,
    ...(channelId ? { channelId } : {}),
    ...(baseQueryId ? { baseQueryId } : {}),
    includeRows: wire.g,
    excludeRows: wire.x,
    ...(fixedGroupBy ? { fixedGroupBy } : {}),
    ...(extra && Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
