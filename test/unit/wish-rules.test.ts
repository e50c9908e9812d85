import { describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/domain/policy.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { factDeltas } from '../../shared/domain/counters.ts';
import {
  EVENT_OF,
  eventFact,
  PUBLIC_WALL_STATES,
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
  WISH_EVENT_TYPES,
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

describe('free text as each caller may read it', () => {
  // Every free-text field carries a phone number: masked for all but its author and the admins of the community.
  const PHONE = '13812345678';
  const MASKED = '138****5678';
  const texts = {
    title: `修水管 ${PHONE}`,
    description: `打${PHONE}`,
    comment: `谢谢 ${PHONE}`,
    completionNote: `已修好，有事打${PHONE}`,
    rejectReason: `重复，请打${PHONE}`,
  };
  const read = (caller: Caller, w: Wish) => {
    const v = viewWish(caller, w) as unknown as Record<string, string>;
    return Object.fromEntries(
      Object.keys(texts).map((k) => [k, v[k] === undefined ? 'absent' : v[k]!.includes(PHONE) ? 'full' : 'masked']),
    );
  };
  const memberClaim = wish({ ...texts, status: 'completed', claimant: { kind: 'member', memberId: 'm-9' } });
  const teamClaim = wish({
    ...texts,
    status: 'completed',
    claimant: { kind: 'team', teamId: 'tm-1', teamName: '红星志愿队', leaderMemberId: 'm-7' },
  });

  it('the poster reads what they wrote; the claimant’s note and an admin’s reason masked', () => {
    expect(read(who('resident', { sub: 'res-1' }), memberClaim)).toEqual({
      title: 'full',
      description: 'full',
      comment: 'full',
      completionNote: 'masked',
      rejectReason: 'masked',
    });
    expect(viewWish(who('member'), memberClaim).title).toBe(`修水管 ${MASKED}`);
  });

  it('admins of the community read everything, in lists too; others’ admins nothing', () => {
    const all = { title: 'full', description: 'full', comment: 'full', completionNote: 'full', rejectReason: 'full' };
    const admin = who('community_admin', { communityId: 'co-1' });
    expect(read(admin, memberClaim)).toEqual(all);
    expect(viewWish(admin, memberClaim, { list: true }).completionNote).toContain(PHONE);
    expect(read(who('street_admin', { streetId: 'st-1' }), teamClaim)).toEqual(all);
    expect(Object.values(read(who('community_admin', { communityId: 'co-2' }), memberClaim))).toEqual(
      Array(5).fill('masked'),
    );
  });

  it('the member who claimed it reads their completion note, and only that', () => {
    const only = {
      title: 'masked',
      description: 'masked',
      comment: 'masked',
      completionNote: 'full',
      rejectReason: 'masked',
    };
    expect(read(who('member', { memberId: 'm-9' }), memberClaim)).toEqual(only);
    expect(read(who('team_leader', { memberId: 'm-9' }), memberClaim)).toEqual(only);
    // The same member id without a member's role (a resident account), or another member: masked.
    expect(read(who('resident', { memberId: 'm-9' }), memberClaim).completionNote).toBe('masked');
    expect(read(who('member', { memberId: 'm-8' }), memberClaim).completionNote).toBe('masked');
    // A member claim is never the team's, whatever team the caller leads.
    expect(read(who('team_leader', { memberId: 'm-1', teamId: 'tm-1' }), memberClaim).completionNote).toBe('masked');
  });

  it('a team’s claim: its leader reads the note; its members, other leaders and the member claim’s rules do not', () => {
    expect(read(who('team_leader', { memberId: 'm-7', teamId: 'tm-1' }), teamClaim)).toEqual({
      title: 'masked',
      description: 'masked',
      comment: 'masked',
      completionNote: 'full',
      rejectReason: 'masked',
    });
    expect(read(who('member', { memberId: 'm-7', teamId: 'tm-1' }), teamClaim).completionNote).toBe('masked');
    expect(read(who('team_leader', { memberId: 'm-7', teamId: 'tm-2' }), teamClaim).completionNote).toBe('masked');
    expect(read(who('team_leader', { memberId: 'm-7' }), wish({ ...texts })).completionNote).toBe('masked');
  });

  it('fields the wish does not have stay absent, not undefined', () => {
    const v = viewWish(who('member'), wish());
    for (const k of ['comment', 'completionNote', 'rejectReason']) expect(Object.keys(v)).not.toContain(k);
    expect(v.title).toBe('帮忙修水龙头');
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

describe('suggestions: which wishes are ranked', () => {
  const member = { skills: ['急救'], categories: ['health' as const], communityId: 'co-1', gridId: 'gr-1' };
  it('only open wishes (published or escalated), each once even when both reads return it', () => {
    const open = wish({ wishId: 'wi-open' });
    const escalated = wish({ wishId: 'wi-esc', status: 'escalated' });
    const claimed = wish({ wishId: 'wi-claimed', status: 'claimed' });
    const completed = wish({ wishId: 'wi-done', status: 'completed' });
    const ranked = rankSuggestions(member, [open, claimed, escalated, completed, open, escalated], NOW, 10);
    expect(ranked.map((s) => s.wish.wishId).sort()).toEqual(['wi-esc', 'wi-open']);
  });
});

describe('suggestion scoring, factor by factor', () => {
  const member = { skills: ['急救', '水电维修'], categories: ['health' as const], communityId: 'co-1', gridId: 'gr-1' };
  const plain = { gridId: 'gr-9', communityId: 'co-9', category: 'legal-aid' as const };

  it('only the skills the member has count, and no reason is given without one', () => {
    const none = scoreWish(member, wish({ ...plain, skillsWanted: ['钢琴', '法律'] }), NOW);
    expect(none.reasons).toEqual(['waiting 1 day']);
    expect(none.score).toBe(1);
    const some = scoreWish(member, wish({ ...plain, skillsWanted: ['钢琴', '急救'] }), NOW);
    expect(some.reasons[0]).toBe('skills: 急救');
    expect(some.score).toBe(SCORE.skill + 1);
  });
  it('counts at most three matched skills', () => {
    const many = { ...member, skills: ['a', 'b', 'c', 'd'] };
    expect(scoreWish(many, wish({ ...plain, skillsWanted: ['a', 'b', 'c', 'd'] }), NOW).score).toBe(
      SCORE.maxSkills * SCORE.skill + 1,
    );
  });
  it('same grid and same community only when the member has one and it is the wish’s', () => {
    expect(scoreWish(member, wish(plain), NOW).reasons).toEqual(['waiting 1 day']);
    const placeless = { skills: [], categories: [] };
    // A member checked in nowhere is never "same grid" as a wish without a grid.
    expect(scoreWish(placeless, wish({ ...plain, gridId: undefined }), NOW).reasons).toEqual(['waiting 1 day']);
    expect(
      scoreWish(
        { ...placeless, communityId: undefined },
        wish({ ...plain, communityId: undefined as unknown as string }),
        NOW,
      ).reasons,
    ).toEqual(['waiting 1 day']);
    expect(scoreWish(member, wish({ ...plain, communityId: 'co-1' }), NOW).score).toBe(SCORE.community + 1);
    expect(scoreWish(member, wish({ ...plain, gridId: 'gr-1' }), NOW).score).toBe(SCORE.grid + 1);
  });
  it('an escalated wish gets a little more, and says it needs help', () => {
    const s = scoreWish(member, wish({ ...plain, status: 'escalated' }), NOW);
    expect(s.reasons).toEqual(['waiting 1 day', 'escalated: needs help']);
    expect(s.score).toBe(1 + SCORE.escalated);
  });
  it('waiting: days since publication (else creation), one day singular', () => {
    expect(scoreWish(member, wish({ ...plain, publishedAt: '2025-06-20T01:00:00Z' }), NOW).reasons).toEqual([
      'waiting 0 days',
    ]);
    expect(scoreWish(member, wish({ ...plain, publishedAt: '2025-06-17T01:00:00Z' }), NOW).reasons).toEqual([
      'waiting 3 days',
    ]);
    expect(
      scoreWish(member, wish({ ...plain, publishedAt: undefined, createdAt: '2025-06-18T01:00:00Z' }), NOW).reasons,
    ).toEqual(['waiting 2 days']);
  });
  it('ties: the longest waiting first (publication, else creation), then the smaller id', () => {
    const newer = wish({ ...plain, wishId: 'wi-0', publishedAt: '2025-06-19T03:00:00Z' });
    const older = wish({ ...plain, wishId: 'wi-9', publishedAt: '2025-06-19T02:00:00Z' });
    expect(rankSuggestions(member, [newer, older], NOW, 5).map((s) => s.wish.wishId)).toEqual(['wi-9', 'wi-0']);
    expect(rankSuggestions(member, [older, newer], NOW, 5).map((s) => s.wish.wishId)).toEqual(['wi-9', 'wi-0']);
    const unpublished = wish({
      ...plain,
      wishId: 'wi-5',
      publishedAt: undefined,
      createdAt: '2025-06-19T02:30:00Z',
    });
    expect(rankSuggestions(member, [newer, unpublished, older], NOW, 5).map((s) => s.wish.wishId)).toEqual([
      'wi-9',
      'wi-5',
      'wi-0',
    ]);
    const b = wish({ ...plain, wishId: 'wi-b' });
    const a = wish({ ...plain, wishId: 'wi-a' });
    expect(rankSuggestions(member, [b, a], NOW, 5).map((s) => s.wish.wishId)).toEqual(['wi-a', 'wi-b']);
    expect(rankSuggestions(member, [a, b], NOW, 5).map((s) => s.wish.wishId)).toEqual(['wi-a', 'wi-b']);
  });
});

describe('event payloads', () => {
  const at = '2025-06-20T02:00:00Z';
  const member = { kind: 'member' as const, memberId: 'm-1' };
  const team = { kind: 'team' as const, teamId: 'tm-1', teamName: '队', leaderMemberId: 'm-2' };
  const actor = { kind: 'member' as const, memberId: 'm-1' };
  it('an event names the wish’s grid when it has one', () => {
    expect(eventOf(wish({ gridId: 'gr-7' }), undefined, 'WishPosted', actor, at).gridId).toBe('gr-7');
    expect(eventOf(wish(), undefined, 'WishPosted', actor, at)).not.toHaveProperty('gridId');
  });
  it('a completion carries the hours; other events do not, even when the wish has them', () => {
    const done = wish({ status: 'completed', hours: 2.5, claimant: member });
    expect(eventOf(done, undefined, 'WishCompleted', actor, at).hours).toBe(2.5);
    expect(eventOf(done, undefined, 'WishConfirmed', actor, at)).not.toHaveProperty('hours');
    expect(eventOf(wish({ status: 'completed' }), undefined, 'WishCompleted', actor, at)).not.toHaveProperty('hours');
  });
  it('a confirmation carries the rating when there is one; other events never', () => {
    const rated = wish({ status: 'confirmed', rating: 4, hours: 1 });
    expect(eventOf(rated, undefined, 'WishConfirmed', actor, at).rating).toBe(4);
    expect(eventOf(rated, undefined, 'WishCompleted', actor, at)).not.toHaveProperty('rating');
    expect(eventOf(wish({ status: 'confirmed' }), undefined, 'WishConfirmed', actor, at)).not.toHaveProperty('rating');
  });
  it('claims, take-ons and completions name the claimant after; a release the one before; nothing else does', () => {
    const claimed = wish({ status: 'claimed', claimant: member });
    expect(eventOf(claimed, undefined, 'WishClaimed', actor, at).claimant).toEqual(member);
    expect(eventOf(wish({ claimant: team }), undefined, 'WishTakenOn', actor, at).claimant).toEqual(team);
    expect(eventOf(claimed, undefined, 'WishCompleted', actor, at).claimant).toEqual(member);
    expect(eventOf(wish(), claimed, 'WishReleased', actor, at).claimant).toEqual(member);
    expect(eventOf(wish(), undefined, 'WishReleased', actor, at)).not.toHaveProperty('claimant');
    for (const other of ['WishPublished', 'WishConfirmed', 'WishEscalated', 'WishWithdrawn'] as const)
      expect(eventOf(claimed, claimed, other, actor, at), other).not.toHaveProperty('claimant');
  });
  it('the counted fact adds the street, and the team only for a team claimant', () => {
    const e = eventOf(wish({ claimant: team }), undefined, 'WishTakenOn', actor, at);
    expect(eventFact(e, { streetId: 'st-1', claimant: team }).fact).toEqual({ streetId: 'st-1', teamId: 'tm-1' });
    expect(eventFact(e, { streetId: 'st-1', claimant: member }).fact).toEqual({ streetId: 'st-1' });
    expect(eventFact(e, { streetId: 'st-2' })).toEqual({ ...e, fact: { streetId: 'st-2' } });
  });
  it('each action has its event; the event types and the public wall states are fixed', () => {
    expect(EVENT_OF).toEqual({
      publish: 'WishPublished',
      reject: 'WishRejected',
      withdraw: 'WishWithdrawn',
      claim: 'WishClaimed',
      release: 'WishReleased',
      escalate: 'WishEscalated',
      take_on: 'WishTakenOn',
      complete: 'WishCompleted',
      confirm: 'WishConfirmed',
      auto_confirm: 'WishConfirmed',
    });
    expect(WISH_EVENT_TYPES).toEqual([
      'WishPosted',
      'WishPublished',
      'WishRejected',
      'WishClaimed',
      'WishReleased',
      'WishEscalated',
      'WishTakenOn',
      'WishCompleted',
      'WishConfirmed',
      'WishWithdrawn',
    ]);
    expect(PUBLIC_WALL_STATES).toEqual(['published', 'escalated', 'claimed', 'taken_on', 'completed', 'confirmed']);
  });
  it('a wish is public once published, whatever its state after; a published one without a date too', () => {
    expect(isPublic({ status: 'published' })).toBe(true);
    expect(isPublic({ status: 'claimed' })).toBe(true);
    expect(isPublic({ status: 'withdrawn' })).toBe(false);
    expect(isPublic({ status: 'withdrawn', publishedAt: '2025-06-01T00:00:00Z' })).toBe(true);
  });
  it('the organising unit: a name ending in 社区 or 村 is kept, anything else gets 社区', () => {
    expect(communityUnit('村口')).toBe('村口社区');
    expect(communityUnit('社区花园')).toBe('社区花园社区');
  });
});
