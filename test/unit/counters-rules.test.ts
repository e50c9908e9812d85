import { describe, expect, it } from 'vitest';
import {
  CHILD_SCOPES,
  COUNTED_FACTS,
  type CountedFact,
  counterChanges,
  counterNames,
  FACT_KINDS,
  factDeltas,
  factMonth,
  factScopes,
  placeScopes,
  recordedHours,
  SCOPES,
  scopeTag,
} from '../../shared/domain/counters.ts';
import type { RecordChange, ServiceRecord } from '../../shared/domain/records.ts';
import type { WishEventFact } from '../../shared/domain/wish.ts';

/**
 * The counters table (shared/domain/counters.ts) as data: where each kind of fact counts, in
 * which month, by how much; the scopes of a place; the changes facts written together make.
 */
const D = 'jinjiang';
const tags = (refs: readonly { scope: string; id: string; parent: { scope: string; id: string } }[]) =>
  refs.map((r) => `${scopeTag(r)}<${scopeTag(r.parent)}`);

// 2026-03-31T16:30Z is 2026-04-01 00:30 in Shanghai: every fact below counts in April.
const AT = '2026-03-31T16:30:00Z';
const place = { streetId: 'st-1', communityId: 'co-1' };

const checkIn = (gridId?: string): CountedFact =>
  ({
    kind: 'check-in',
    fact: {
      checkInId: 'ci-1',
      memberId: 'm-1',
      memberName: '李一',
      ...place,
      ...(gridId ? { gridId } : {}),
      status: 'approved',
      createdAt: '2026-03-01T00:00:00Z',
      decidedAt: AT,
    },
  }) as CountedFact;
const close = (peopleServed: number): CountedFact => ({
  kind: 'activity-close',
  fact: { activityId: 'a-1', teamId: 'tm-1', ...place, peopleServed, closedAt: AT },
});
const record = (hours: number, history: RecordChange[] = [], teamId: string | null = 'tm-1'): CountedFact =>
  ({
    kind: 'record',
    fact: { recordId: 'sr_1', ...place, ...(teamId ? { teamId } : {}), hours, history, recordedAt: AT },
  }) as unknown as CountedFact;
const correction = (hoursDelta: number): CountedFact =>
  ({
    kind: 'correction',
    fact: { correctionId: 'c-1', recordId: 'sr_1', ...place, teamId: 'tm-1', decidedAt: AT, hoursDelta },
  }) as unknown as CountedFact;
const wishEvent = (eventType: string, extra: Partial<WishEventFact> = {}): CountedFact => ({
  kind: 'wish-event',
  fact: {
    wishId: 'w-1',
    seq: 1,
    eventType,
    at: AT,
    actor: { kind: 'resident' },
    to: 'published',
    communityId: 'co-1',
    gridId: 'gr-1',
    category: 'health',
    fact: { streetId: 'st-1' },
    ...extra,
  } as WishEventFact,
});

describe('scopes', () => {
  it('the child scopes of each level, from the city down', () => {
    expect(CHILD_SCOPES).toEqual({
      city: ['district'],
      district: ['street', 'team'],
      street: ['community'],
      community: ['grid'],
      grid: [],
      team: [],
    });
    expect(SCOPES).toEqual(['district', 'street', 'community', 'grid', 'team']);
    expect(scopeTag({ scope: 'grid', id: 'gr-1' })).toBe('grid#gr-1');
  });
  it('a place belongs to its district, street and community, and to its grid and team when it names them', () => {
    expect(tags(placeScopes({ districtId: D, ...place }))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
    ]);
    expect(tags(placeScopes({ districtId: D, ...place, gridId: 'gr-1', teamId: 'tm-1' }))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
      'grid#gr-1<community#co-1',
      'team#tm-1<district#jinjiang',
    ]);
    expect(tags(placeScopes({ districtId: D, ...place, gridId: '', teamId: '' }))).toHaveLength(3);
  });
  it('only the levels asked for', () => {
    expect(
      tags(placeScopes({ districtId: D, ...place, gridId: 'gr-1', teamId: 'tm-1' }, ['community', 'team'])),
    ).toEqual(['community#co-1<street#st-1', 'team#tm-1<district#jinjiang']);
    expect(placeScopes({ districtId: D, ...place }, [])).toEqual([]);
  });
});

describe('where and when each kind of fact counts', () => {
  it('an approved check-in: district, street, community and its grid (never a team), in the month of the decision', () => {
    expect(FACT_KINDS['check-in'].scopes).toEqual(['district', 'street', 'community', 'grid']);
    expect(factMonth(checkIn('gr-1'))).toBe('2026-04');
    expect(
      tags(factScopes({ ...checkIn('gr-1'), fact: { ...checkIn('gr-1').fact, teamId: 'tm-9' } } as CountedFact, D)),
    ).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
      'grid#gr-1<community#co-1',
    ]);
    expect(factDeltas(checkIn())).toEqual({ checkIns: 1 });
  });
  it("an activity's close: the place and its team (never a grid), the month of the close, the people served", () => {
    expect(FACT_KINDS['activity-close'].scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(close(12))).toBe('2026-04');
    expect(tags(factScopes(close(12), D)).at(-1)).toBe('team#tm-1<district#jinjiang');
    expect(factScopes(close(12), D)).toHaveLength(4);
    expect(factDeltas(close(12))).toEqual({ activities: 1, peopleServed: 12 });
  });
  it('a service record: one time and its hours as recorded, in the month it was recorded', () => {
    expect(FACT_KINDS.record.scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(record(3))).toBe('2026-04');
    expect(factDeltas(record(3))).toEqual({ volunteerTimes: 1, volunteerHours: 3 });
    // A completed wish's record has no team: it counts in the place only.
    expect(tags(factScopes(record(3, [], null), D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
    ]);
  });
  it('an accepted correction moves the hours by its difference, in the month it was accepted; 0 moves nothing', () => {
    expect(FACT_KINDS.correction.scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(correction(-1.5))).toBe('2026-04');
    expect(factDeltas(correction(-1.5))).toEqual({ volunteerHours: -1.5 });
    expect(factDeltas(correction(2))).toEqual({ volunteerHours: 2 });
    expect(factDeltas(correction(0))).toEqual({});
  });
  it('a wish event: every scope, its place from the event (community, grid) and its fact (street, a team claimant)', () => {
    expect(FACT_KINDS['wish-event'].scopes).toEqual(SCOPES);
    const taken = wishEvent('WishTakenOn', { fact: { streetId: 'st-1', teamId: 'tm-1' } });
    expect(factMonth(taken)).toBe('2026-04');
    expect(tags(factScopes(taken, D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
      'grid#gr-1<community#co-1',
      'team#tm-1<district#jinjiang',
    ]);
    expect(factDeltas(taken)).toEqual({ wishesTakenOn: 1 });
  });
  it('each wish event type moves its own counter', () => {
    expect(factDeltas(wishEvent('WishPosted'))).toEqual({ wishesPosted: 1 });
    expect(factDeltas(wishEvent('WishPublished'))).toEqual({ wishesPublished: 1 });
    expect(factDeltas(wishEvent('WishClaimed'))).toEqual({ wishesClaimed: 1 });
    expect(factDeltas(wishEvent('WishCompleted'))).toEqual({ wishesCompleted: 1 });
    expect(factDeltas(wishEvent('WishConfirmed', { rating: 4 }))).toEqual({
      wishesConfirmed: 1,
      ratingSum: 4,
      ratingCount: 1,
    });
    // Confirmed by the daily job, without the resident's rating: confirmed, no rating counted.
    expect(factDeltas(wishEvent('WishConfirmed'))).toEqual({ wishesConfirmed: 1 });
    for (const none of ['WishRejected', 'WishReleased', 'WishEscalated', 'WishWithdrawn'])
      expect(factDeltas(wishEvent(none))).toEqual({});
  });
  it('the counters, in the order of the figures', () => {
    expect(counterNames()).toEqual([
      'checkIns',
      'activities',
      'volunteerTimes',
      'volunteerHours',
      'peopleServed',
      'wishesPosted',
      'wishesPublished',
      'wishesClaimed',
      'wishesTakenOn',
      'wishesCompleted',
      'wishesConfirmed',
      'ratingSum',
      'ratingCount',
      'trainingsCompleted',
      'trainingHours',
      'stationBookings',
      'stationHours',
      'points',
      'starsGained',
    ]);
    expect(COUNTED_FACTS.facts).toBe(FACT_KINDS);
  });
});

describe('where and when station bookings, training, points and stars count', () => {
  // Each fact below names instants in other months too: only the one it counts by gives April.
  const booking = (communityId?: string): CountedFact =>
    ({
      kind: 'booking',
      fact: {
        bookingId: 'bk-1',
        stationId: 'ms-1',
        stationName: '红色驿站',
        teamId: 'tm-1',
        teamName: '夕阳红',
        streetId: 'st-1',
        ...(communityId ? { communityId } : {}),
        startsAt: '2026-05-04T01:00:00Z',
        endsAt: '2026-05-04T03:30:00Z',
        units: 5,
        hours: 2.5,
        week: '2026-05-04',
        status: 'confirmed',
        bookedBy: 'm-1',
        createdAt: AT,
      },
    }) as CountedFact;
  const cancellation = (communityId?: string): CountedFact => ({
    kind: 'booking-cancellation',
    fact: {
      bookingId: 'bk-1',
      stationId: 'ms-1',
      teamId: 'tm-1',
      streetId: 'st-1',
      ...(communityId ? { communityId } : {}),
      hours: 2.5,
      cancelledAt: AT,
    },
  });
  const training: CountedFact = {
    kind: 'training',
    fact: {
      entryId: 'te-1',
      memberId: 'm-1',
      memberName: '李一',
      courseId: 'cs-1',
      name: '急救培训',
      content: '心肺复苏',
      tier: 'pre-service',
      studyHours: 1.5,
      organiser: '夕阳红',
      teamId: 'tm-1',
      ...place,
      date: '2026-03-31',
      completedAt: AT,
    },
  } as CountedFact;
  const ledgerEntry = (points: number, teamId?: string): CountedFact => ({
    kind: 'ledger-entry',
    fact: {
      memberId: 'm-1',
      kind: 'service-record',
      sourceId: 'sr_1',
      rule: 'hours',
      ruleVersion: 1,
      revision: 0,
      effect: points < 0 ? 'reversal' : 'grant',
      points,
      hours: 2,
      at: '2026-03-10T02:00:00Z',
      postedAt: AT,
      year: '2026',
      month: '2026-03',
      // The entry's place is where the fact happened, not a street or community of its own.
      place: { streetId: 'st-2', communityId: 'co-2', ...(teamId ? { teamId } : {}) },
    },
  });
  const starChange = (from: number, to: number): CountedFact => ({
    kind: 'star-change',
    fact: { memberId: 'm-1', at: AT, from, to, place: { streetId: 'st-2', communityId: 'co-2' } },
  });
  const PLACE_2 = ['district#jinjiang<city#city', 'street#st-2<district#jinjiang', 'community#co-2<street#st-2'];

  it("a booking counts one booking and its hours, when it is made, at the station's place and for the team", () => {
    expect(FACT_KINDS.booking.scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(booking('co-1'))).toBe('2026-04');
    expect(factDeltas(booking('co-1'))).toEqual({ stationBookings: 1, stationHours: 2.5 });
    expect(tags(factScopes(booking('co-1'), D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
      'team#tm-1<district#jinjiang',
    ]);
  });
  it("a booking at a street's own station (no community) counts in the district, the street and the team", () => {
    expect(tags(factScopes(booking(), D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'team#tm-1<district#jinjiang',
    ]);
  });
  it('a cancellation takes its hours back in the month it was cancelled, where the booking counted', () => {
    expect(FACT_KINDS['booking-cancellation'].scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(cancellation('co-1'))).toBe('2026-04');
    expect(factDeltas(cancellation('co-1'))).toEqual({ stationHours: -2.5 });
    expect(tags(factScopes(cancellation('co-1'), D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'community#co-1<street#st-1',
      'team#tm-1<district#jinjiang',
    ]);
    expect(tags(factScopes(cancellation(), D))).toEqual([
      'district#jinjiang<city#city',
      'street#st-1<district#jinjiang',
      'team#tm-1<district#jinjiang',
    ]);
  });
  it('a booking and its cancellation in one month leave no hours and one booking', () => {
    const changes = counterChanges([booking('co-1'), cancellation('co-1')], D);
    expect(changes).toHaveLength(4);
    for (const c of changes) expect(c.increments).toEqual({ stationBookings: 1, stationHours: 0 });
  });
  it('a completed course counts once with its study hours (never as service hours), where its team is', () => {
    expect(FACT_KINDS.training.scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(training)).toBe('2026-04');
    expect(factDeltas(training)).toEqual({ trainingsCompleted: 1, trainingHours: 1.5 });
    expect(tags(factScopes(training, D)).at(-1)).toBe('team#tm-1<district#jinjiang');
    expect(factScopes(training, D)).toHaveLength(4);
  });
  it('a ledger entry counts its points in the month it was posted, at its place; a reversal subtracts; 0 counts nothing', () => {
    expect(FACT_KINDS['ledger-entry'].scopes).toEqual(['district', 'street', 'community', 'team']);
    expect(factMonth(ledgerEntry(4))).toBe('2026-04');
    expect(factDeltas(ledgerEntry(4))).toEqual({ points: 4 });
    expect(factDeltas(ledgerEntry(-4))).toEqual({ points: -4 });
    expect(factDeltas(ledgerEntry(0))).toEqual({});
    expect(tags(factScopes(ledgerEntry(4), D))).toEqual(PLACE_2);
    expect(tags(factScopes(ledgerEntry(4, 'tm-2'), D))).toEqual([...PLACE_2, 'team#tm-2<district#jinjiang']);
  });
  it('a change of star counts the stars gained (a lost one subtracts), at its place, never for a team', () => {
    expect(FACT_KINDS['star-change'].scopes).toEqual(['district', 'street', 'community']);
    expect(factMonth(starChange(2, 3))).toBe('2026-04');
    expect(factDeltas(starChange(2, 3))).toEqual({ starsGained: 1 });
    expect(factDeltas(starChange(0, 2))).toEqual({ starsGained: 2 });
    expect(factDeltas(starChange(3, 2))).toEqual({ starsGained: -1 });
    expect(factDeltas(starChange(3, 3))).toEqual({});
    expect(tags(factScopes(starChange(2, 3), D))).toEqual(PLACE_2);
  });
});

describe('the hours a record counted when it was written', () => {
  const accepted = (hoursBefore: number | undefined): RecordChange => ({
    at: AT,
    by: 'u',
    kind: 'correction-accepted',
    ...(hoursBefore === undefined ? {} : { hoursBefore }),
    hoursAfter: 9,
  });
  it('its hours, unless a correction was accepted since: then the hours before the first one', () => {
    expect(recordedHours({ hours: 4 })).toBe(4);
    expect(recordedHours({ hours: 4, history: [] })).toBe(4);
    expect(recordedHours({ hours: 9, history: [accepted(3), accepted(5)] })).toBe(3);
  });
  it('requests, rejections and entries without hoursBefore are not corrections of the hours', () => {
    const others: RecordChange[] = [
      { at: AT, by: 'u', kind: 'created' },
      { at: AT, by: 'u', kind: 'correction-requested', hoursBefore: 1, requestedHours: 2 },
      { at: AT, by: 'u', kind: 'correction-rejected', hoursBefore: 2 },
      accepted(undefined),
    ];
    expect(recordedHours({ hours: 6, history: others })).toBe(6);
    expect(recordedHours({ hours: 6, history: [...others, accepted(0)] })).toBe(0);
  });
  it('a corrected record counts its recorded hours in its month (the correction counts in its own)', () => {
    const r = record(9, [accepted(3)]);
    expect(factDeltas(r)).toEqual({ volunteerTimes: 1, volunteerHours: 3 });
    expect((r.fact as ServiceRecord).hours).toBe(9);
  });
});

describe('the counter changes of facts written together', () => {
  it('one change per scope and month, the deltas of every fact there added up', () => {
    const changes = counterChanges([record(2), record(1.5), close(7)], D);
    expect(changes.map((c) => `${scopeTag(c.ref)}@${c.month}`)).toEqual([
      'district#jinjiang@2026-04',
      'street#st-1@2026-04',
      'community#co-1@2026-04',
      'team#tm-1@2026-04',
    ]);
    for (const c of changes)
      expect(c.increments).toEqual({ volunteerTimes: 2, volunteerHours: 3.5, activities: 1, peopleServed: 7 });
  });
  it('facts of different months change different items', () => {
    const may = { ...close(1), fact: { ...close(1).fact, closedAt: '2026-05-02T00:00:00Z' } } as CountedFact;
    const changes = counterChanges([close(2), may], D);
    expect(changes).toHaveLength(8);
    expect(changes.filter((c) => c.month === '2026-05').map((c) => c.increments)).toEqual(
      Array(4).fill({ activities: 1, peopleServed: 1 }),
    );
  });
  it('a fact that counts nothing changes nothing', () => {
    expect(counterChanges([correction(0), wishEvent('WishReleased')], D)).toEqual([]);
    expect(counterChanges([], D)).toEqual([]);
  });
});
