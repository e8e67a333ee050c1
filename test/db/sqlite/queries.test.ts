import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, StoredQuery } from '../../../src/db/types.js';
import type { AudienceInsight } from '../../../src/linkedin/types.js';
import { makeTempDir, manualClock, openTestDb, sampleSpec, type TempDir } from '../helpers.js';

const owner = { teamId: 'T0001', userId: 'U0001' };

const insight: AudienceInsight = {
  groupedBy: 'urn:li:adTargetingFacet:industries',
  totalAudienceCount: 1_234_567,
  segments: [
    { value: 'urn:li:industry:4', entityCount: 400_000, entityPercentage: 32.4 },
    { value: 'urn:li:industry:96', entityCount: 200_000, entityPercentage: 16.2 },
  ],
};

function newQuery(overrides: Partial<StoredQuery> = {}): Omit<StoredQuery, 'createdAt' | 'updatedAt'> {
  return { id: 'q-1', ...owner, spec: sampleSpec(), status: 'pending', ...overrides };
}

describe('queries repository', () => {
  let dir: TempDir;
  let db: Database;
  const clock = manualClock();

  beforeEach(() => {
    dir = makeTempDir();
    clock.set(1_750_000_000_000);
    db = openTestDb(dir, { now: clock.now });
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('creates a query and reads it back with only the fields it has', () => {
    const created = db.repos.queries.create(newQuery());
    expect(created).toEqual({ ...newQuery(), createdAt: clock.now(), updatedAt: clock.now() });
    expect(Object.keys(created).sort()).toEqual(
      ['createdAt', 'id', 'spec', 'status', 'teamId', 'updatedAt', 'userId'].sort(),
    );
    expect(db.repos.queries.get('q-1')).toEqual(created);
    expect(db.repos.queries.get('missing')).toBeUndefined();
  });

  it('round-trips every JSON document exactly', () => {
    db.repos.queries.create(newQuery({ id: 'parent' }));
    const full = newQuery({
      id: 'q-full',
      compareSpec: sampleSpec({ groupBy: 'urn:li:adTargetingFacet:seniorities', orderBy: 'HIERARCHICAL' }),
      parentId: 'parent',
      status: 'done',
      result: insight,
      compareResult: { ...insight, totalAudienceCount: 9 },
      names: { 'urn:li:industry:4': 'Software Development', 'urn:li:industry:96': 'IT Services — “quoted” ü' },
      error: { code: 'rate_limited', message: 'Try again later.', status: 429 },
      chartStyle: 'native',
      channelId: 'C0001',
      sharedChannelId: 'C0002',
      sharedTs: '1750000000.000100',
    });
    const created = db.repos.queries.create(full);
    expect(created).toEqual({ ...full, createdAt: clock.now(), updatedAt: clock.now() });
    expect(db.repos.queries.get('q-full')).toEqual(created);
  });

  it('updates the fields in a patch, clears those given as undefined, and leaves the rest', () => {
    db.repos.queries.create(
      newQuery({ channelId: 'C0001', error: { code: 'x', message: 'failed' }, status: 'failed' }),
    );
    clock.advance(5_000);
    const updated = db.repos.queries.update('q-1', { status: 'done', result: insight, error: undefined });
    expect(updated).toEqual({
      ...newQuery({ channelId: 'C0001', status: 'done', result: insight }),
      createdAt: clock.now() - 5_000,
      updatedAt: clock.now(),
    });
    expect(db.repos.queries.get('q-1')).toEqual(updated);

    const respec = db.repos.queries.update('q-1', { spec: sampleSpec({ maxReturnCount: 25 }), sharedTs: '1.2' });
    expect(respec?.spec.maxReturnCount).toBe(25);
    expect(respec?.sharedTs).toBe('1.2');
    expect(respec?.result).toEqual(insight);
    expect(db.repos.queries.update('missing', { status: 'done' })).toBeUndefined();
  });

  it('lists the newest queries of one person first, up to the limit', () => {
    for (const [i, userId] of ['U0001', 'U0002', 'U0001', 'U0001', 'U0001'].entries()) {
      clock.advance(1_000);
      db.repos.queries.create(newQuery({ id: `q-${i}`, userId }));
    }
    db.repos.queries.create(newQuery({ id: 'other-team', teamId: 'T0002' }));
    expect(db.repos.queries.listRecent(owner, 10).map((q) => q.id)).toEqual(['q-4', 'q-3', 'q-2', 'q-0']);
    expect(db.repos.queries.listRecent(owner, 2).map((q) => q.id)).toEqual(['q-4', 'q-3']);
    expect(db.repos.queries.listRecent(owner, 0)).toEqual([]);
    expect(db.repos.queries.listRecent({ teamId: 'T0001', userId: 'U0002' }, 10).map((q) => q.id)).toEqual(['q-1']);
    expect(db.repos.queries.listRecent({ teamId: 'T0009', userId: 'U0001' }, 10)).toEqual([]);
  });

  it('orders queries created in the same millisecond by insertion, newest first', () => {
    for (const id of ['a', 'b', 'c']) db.repos.queries.create(newQuery({ id }));
    expect(db.repos.queries.listRecent(owner, 3).map((q) => q.id)).toEqual(['c', 'b', 'a']);
  });

  it('orders by creation time, not by update time', () => {
    db.repos.queries.create(newQuery({ id: 'older' }));
    clock.advance(1_000);
    db.repos.queries.create(newQuery({ id: 'newer' }));
    clock.advance(1_000);
    db.repos.queries.update('older', { status: 'done' });
    expect(db.repos.queries.listRecent(owner, 2).map((q) => q.id)).toEqual(['newer', 'older']);
  });

  it('requires the parent of a derived query to exist', () => {
    expect(() => db.repos.queries.create(newQuery({ id: 'child', parentId: 'no-such-query' }))).toThrow(/FOREIGN KEY/);
    expect(db.repos.queries.get('child')).toBeUndefined();
  });
});
