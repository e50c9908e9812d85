import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { factDeltas } from '../../shared/domain/counters.ts';
import {
  EVENT_OF,
  SCORE,
  communityUnit,
  daysBetween,
  dueBefore,
  eventOf,
  isCompletionHours,
  isPublic,
  rankSuggestions,
  scoreWish,
  viewWish,
  type Wish,
  type WishEventFact,
} from '../../shared/domain/wish.ts';

/** Pure rules of micro-wishes: scoring, due dates in Asia/Shanghai, masking, events, counters. */
const NOW = Date.parse('2025-06-20T02:00:00Z'); // 10:00 Shanghai

let n = 0;
function wish(over: Partial<Wish> = {}): Wish {
  return {
    wishId: `wi-${++n}`,
    residentSub: 'res-1',
    contactName: '欧阳娜娜',
    contactPhone: '13912345678',
    title: '帮忙修水龙头',
    description: '厨房水龙头漏水',
    category: 'elderly-care',
    skillsWanted: [],
    streetId: 'st-1',
    communityId: 'co-1',
    communityName: '红星路社区',
    status: 'published',
    version: 2,
    createdAt: '2025-06-10T01:00:00Z',
    updatedAt: '2025-06-10T01:00:00Z',
    publishedAt: '2025-06-19T01:00:00Z',
    ...over,
  };
}
const who = (role: Role, scope: Partial<Caller> = {}): Caller => ({
  sub: `u-${role}`,
  roles: new Set([role]),
  memberId: `u-${role}`,
  communityId: undefined,
  streetId: undefined,
  teamId: undefined,
  district: 'jinjiang',
  ...scope,
});

describe('suggestion scoring', () => {
  const member = { skills: ['急救', '水电维修'], categories: ['health' as const], communityId: 'co-1', gridId: 'gr-1' };

  it('says why, for each factor', () => {
    const w = wish({
      skillsWanted: ['水电维修'],
      gridId: 'gr-1',
      category: 'health',
      publishedAt: '2025-06-15T01:00:00Z',
    });
    const s = scoreWish(member, w, NOW);
    expect(s.reasons).toEqual([
      'skills: 水电维修',
      'same grid',
      'same community',
      'category: health',
      'waiting 5 days',
    ]);
    expect(s.score).toBe(SCORE.skill + SCORE.grid + SCORE.community + SCORE.category + 5);
  });

  it('matches skills case- and space-insensitively, and counts each matched skill', () => {
    const s = scoreWish(
      { ...member, skills: [' First Aid ', '急救'] },
      wish({ skillsWanted: ['first aid', '急救'] }),
      NOW,
    );
    expect(s.reasons[0]).toBe('skills: first aid, 急救');
    expect(s.score).toBeGreaterThanOrEqual(2 * SCORE.skill);
  });

  it('one matching skill outranks everything else together', () => {
    const best = wish({ skillsWanted: ['急救'], communityId: 'co-far', publishedAt: '2025-06-20T01:00:00Z' });
    const rest = wish({ gridId: 'gr-1', category: 'health', status: 'escalated', publishedAt: '2025-01-01T00:00:00Z' });
    const ranked = rankSuggestions(member, [rest, best], NOW, 10);
    expect(ranked.map((r) => r.wish.wishId)).toEqual([best.wishId, rest.wishId]);
    expect(SCORE.grid + SCORE.community + SCORE.category + SCORE.maxDays * SCORE.perDay + SCORE.escalated).toBeLessThan(
      SCORE.skill,
    );
  });

  it('then same grid over same community, then waiting longest, then id', () => {
    const grid = wish({ gridId: 'gr-1' });
    const community = wish({ gridId: 'gr-2' });
    const older = wish({ gridId: 'gr-2', publishedAt: '2025-06-12T01:00:00Z' });
    const sameAge1 = wish({ wishId: 'wi-a', communityId: 'co-x', publishedAt: '2025-06-18T01:00:00Z' });
    const sameAge2 = wish({ wishId: 'wi-b', communityId: 'co-x', publishedAt: '2025-06-18T01:00:00Z' });
    const ranked = rankSuggestions(member, [sameAge2, community, sameAge1, older, grid], NOW, 10).map(
      (r) => r.wish.wishId,
    );
    expect(ranked).toEqual([grid.wishId, older.wishId, community.wishId, 'wi-a', 'wi-b']);
  });

  it('waiting counts Shanghai days and caps at 14 points', () => {
    expect(scoreWish(member, wish({ publishedAt: '2024-01-01T00:00:00Z', communityId: 'x' }), NOW).score).toBe(
      SCORE.maxDays,
    );
    expect(daysBetween('2025-06-19T16:30:00Z', NOW)).toBe(0); // 00:30 on the 20th in Shanghai
    expect(daysBetween('2025-06-19T15:30:00Z', NOW)).toBe(1);
  });

  it('drops wishes that are not open, duplicates, and keeps the limit', () => {
    const a = wish();
    const ranked = rankSuggestions(
      member,
      [a, a, wish({ status: 'claimed' }), wish({ status: 'escalated' }), wish()],
      NOW,
      2,
    );
    expect(ranked).toHaveLength(2);
    expect(new Set(ranked.map((r) => r.wish.wishId)).size).toBe(2);
    expect(ranked.every((r) => r.wish.status === 'published' || r.wish.status === 'escalated')).toBe(true);
  });
});

describe('due dates by the Shanghai calendar', () => {
  it('is Shanghai midnight starting day (today - days + 1)', () => {
    // 2025-06-08 08:00 Shanghai = 00:00Z
    expect(dueBefore(Date.parse('2025-06-08T00:00:00Z'), 7)).toBe('2025-06-01T16:00:00.000Z'); // 2025-06-02 00:00 +08:00
    // 2025-06-07 23:59 UTC is already June 8 in Shanghai
    expect(dueBefore(Date.parse('2025-06-07T23:59:00Z'), 7)).toBe('2025-06-01T16:00:00.000Z');
    expect(dueBefore(Date.parse('2025-06-07T15:59:00Z'), 7)).toBe('2025-05-31T16:00:00.000Z');
  });
  it('a wish published at 00:30 Shanghai on June 1 is due on June 8, not June 7 (as UTC days would say)', () => {
    const published = '2025-05-31T16:30:00Z'; // 2025-06-01 00:30 Shanghai
    expect(published < dueBefore(Date.parse('2025-06-07T00:00:00Z'), 7)).toBe(false);
    expect(published < dueBefore(Date.parse('2025-06-08T00:00:00Z'), 7)).toBe(true);
  });
});

describe('who sees the resident', () => {
  const w = wish({ communityId: 'co-1', streetId: 'st-1' });
  it('the poster and admins of the community see name and phone; others see 欧阳* and no phone', () => {
    const poster = who('resident', { sub: 'res-1' });
    expect(viewWish(poster, w)).toMatchObject({ residentName: '欧阳娜娜', contactPhone: '13912345678', mine: true });
    expect(viewWish(who('community_admin', { communityId: 'co-1' }), w)).toMatchObject({
      residentName: '欧阳娜娜',
      contactPhone: '13912345678',
      mine: false,
    });
    expect(viewWish(who('street_admin', { streetId: 'st-1' }), w).contactPhone).toBe('13912345678');
    for (const c of [
      who('member'),
      who('resident', { sub: 'res-2' }),
      who('community_admin', { communityId: 'co-2' }),
      who('team_leader'),
    ]) {
      const v = viewWish(c, w);
      expect(v.residentName).toBe('欧阳*');
      expect(JSON.stringify(v)).not.toContain('13912345678');
      expect(JSON.stringify(v)).not.toContain('娜娜');
      expect(v).not.toHaveProperty('residentSub');
    }
  });
  it('lists mask even for the poster and admins', () => {
    const v = viewWish(who('community_admin', { communityId: 'co-1' }), w, { list: true });
    expect(v.residentName).toBe('欧阳*');
    expect(v).not.toHaveProperty('contactPhone');
  });
  it('pending and rejected wishes are not public; a withdrawn one only if it was published', () => {
    expect(isPublic(wish({ status: 'pending_review', publishedAt: undefined }))).toBe(false);
    expect(isPublic(wish({ status: 'rejected', publishedAt: undefined }))).toBe(false);
    expect(isPublic(wish({ status: 'withdrawn', publishedAt: undefined }))).toBe(false);
    expect(isPublic(wish({ status: 'withdrawn' }))).toBe(true);
    expect(isPublic(wish({ status: 'claimed' }))).toBe(true);
  });
});

describe('events and counters', () => {
  it('an event holds ids, never the resident', () => {
    const before = wish();
    const after = wish({
      ...before,
      status: 'claimed',
      version: 3,
      claimant: { kind: 'member', memberId: 'm-1' },
      claimantName: '王建国',
    });
    const e = eventOf(after, before, 'WishClaimed', { kind: 'member', memberId: 'm-1' }, '2025-06-20T02:00:00Z');
    expect(e).toEqual({
      wishId: before.wishId,
      seq: 3,
      eventType: 'WishClaimed',
      at: '2025-06-20T02:00:00Z',
      actor: { kind: 'member', memberId: 'm-1' },
      from: 'published',
      to: 'claimed',
      communityId: 'co-1',
      category: 'elderly-care',
      claimant: { kind: 'member', memberId: 'm-1' },
    });
    const text = JSON.stringify(e);
    for (const secret of ['欧阳', '13912345678', 'res-1', '王建国']) expect(text).not.toContain(secret);
  });
  it('a release names the claimant that let go', () => {
    const before = wish({ status: 'claimed', claimant: { kind: 'member', memberId: 'm-9' } });
    const after = wish({ ...before, status: 'published', claimant: undefined, version: 3 });
    expect(eventOf(after, before, 'WishReleased', { kind: 'member', memberId: 'm-9' }, 'x').claimant).toEqual({
      kind: 'member',
      memberId: 'm-9',
    });
  });
  it('counts each change once (the counters table, by event type)', () => {
    const counts = (action: keyof typeof EVENT_OF | 'post', rating?: number) =>
      factDeltas({
        kind: 'wish-event',
        fact: { eventType: action === 'post' ? 'WishPosted' : EVENT_OF[action], rating } as unknown as WishEventFact,
      });
    expect(counts('post')).toEqual({ wishesPosted: 1 });
    expect(counts('publish')).toEqual({ wishesPublished: 1 });
    expect(counts('claim')).toEqual({ wishesClaimed: 1 });
    expect(counts('take_on')).toEqual({ wishesTakenOn: 1 });
    expect(counts('complete')).toEqual({ wishesCompleted: 1 });
    expect(counts('confirm', 4)).toEqual({ wishesConfirmed: 1, ratingSum: 4, ratingCount: 1 });
    expect(counts('auto_confirm')).toEqual({ wishesConfirmed: 1 });
    for (const a of ['reject', 'withdraw', 'release', 'escalate'] as const) expect(counts(a)).toEqual({});
  });
});

describe('input rules', () => {
  it('hours are half-hour steps from 0.5 to 24', () => {
    for (const ok of [0.5, 1, 2.5, 24]) expect(isCompletionHours(ok)).toBe(true);
    for (const bad of [0, -1, 0.25, 24.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(isCompletionHours(bad)).toBe(false);
  });
  it('names the organising unit of a record', () => {
    expect(communityUnit('红星路社区')).toBe('红星路社区');
    expect(communityUnit('和平村')).toBe('和平村');
    expect(communityUnit('和平')).toBe('和平社区');
  });
});
