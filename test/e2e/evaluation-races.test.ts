import { beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../../shared/domain/clock.ts';
import { dayOf, monthOf } from '../../shared/domain/time.ts';
import { applyChange } from '../../shared/services/ledger.ts';
import { allItems } from '../support/inspect.ts';
import { seedRecord } from '../support/records.ts';
import { useE2e, type Member } from '../support/e2e.ts';

/**
 * The ledger fed by the table's stream itself (the local poller, as Lambda's event source mapping
 * in the cloud), while the same facts are delivered again by hand, all at once: two members'
 * records written concurrently, each posted exactly once, the member totals, the team's and the
 * rankings exact.
 */
const e2e = useE2e({ identity: true });
const { api } = e2e;
let a: Member;
let b: Member;
const ids = { community: '', street: '', team: '' };

beforeAll(async () => {
  const place = await e2e.place();
  ids.community = place.communityId;
  ids.street = place.streetId;
  a = await e2e.checkedInMember({ communityId: place.communityId, name: '李小龙' });
  b = await e2e.checkedInMember({ communityId: place.communityId, name: '王芳' });
  ids.team = (await e2e.team({ communityId: place.communityId })).teamId;
});

describe('the ledger under concurrent deliveries', () => {
  it('20 records at once, through the stream and delivered again by hand: every point posted once', async () => {
    const at = { team: { teamId: ids.team, leaderName: '队长' }, communityId: ids.community, streetId: ids.street };
    const records = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        seedRecord({ ...at, memberId: i % 2 ? b.memberId : a.memberId, hours: 1 + (i % 4) / 2, date: dayOf(nowIso()) }),
      ),
    );
    // The same images delivered twice by hand, four at a time (as four shards would), while the
    // stream delivers them too.
    const queue = records.flatMap((r) => [r, r]);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let r = queue.shift(); r; r = queue.shift())
          await applyChange({ eventName: 'INSERT', newImage: { ...r, type: 'service-record' } });
      }),
    );
    await e2e.identity.streams.settle();
    expect(e2e.identity.streams.failures).toEqual([]);
    const hoursOf = (m: Member) => records.filter((r) => r.memberId === m.memberId).reduce((n, r) => n + r.hours, 0);
    for (const m of [a, b]) {
      const points = await api.get('/members/me/points', m.token);
      expect(points.body.totalPoints).toBe(hoursOf(m));
      expect(points.body.items).toHaveLength(10);
    }
    const entries = (await allItems()).filter((i) => i.type === 'ledger-entry');
    expect(entries).toHaveLength(20);
    const year = monthOf(nowIso()).slice(0, 4);
    const teams = await api.get(`/rankings/teams?period=${year}`, a.token);
    expect(teams.body.items[0]).toMatchObject({ teamId: ids.team, points: hoursOf(a) + hoursOf(b) });
    const ranking = await api.get(`/rankings/members?scope=community&id=${ids.community}&period=${year}`, a.token);
    expect(ranking.body.items.map((r: { points: number }) => r.points)).toEqual(
      [hoursOf(a), hoursOf(b)].sort((x, y) => y - x),
    );
  }, 180_000);
});
