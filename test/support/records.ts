import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { counterUpdate } from '../../shared/db/counters.ts';
import { addMemberHours, putRecord } from '../../shared/db/records.ts';
import { transact } from '../../shared/db/table.ts';
import { teamItem } from '../../shared/db/teams.ts';
import { putNew } from '../../shared/db/writes.ts';
import { nowIso } from '../../shared/domain/clock.ts';
import { recordIdFor, type ServiceRecord } from '../../shared/domain/records.ts';
import { factScopes } from '../../shared/domain/counters.ts';
import type { Team } from '../../shared/domain/team.ts';
import { monthOf } from '../../shared/domain/time.ts';

/**
 * Test fixtures of the records context, written through shared/db's own functions (no mocks):
 * a team, and service records as an activity's close writes them (the record, the member's
 * hours, this month's counters, in one transaction).
 */
let n = 0;
const next = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${++n}`;

export async function seedTeam(input: {
  leaderMemberId: string;
  communityId?: string;
  streetId?: string;
}): Promise<Team> {
  const team: Team = {
    teamId: next('tm'),
    name: '测试志愿服务队',
    category: 'health',
    scope: 'community',
    communityId: input.communityId ?? 'co-a',
    streetId: input.streetId ?? 'st-a',
    leaderMemberId: input.leaderMemberId,
    leaderName: '队长',
    status: 'active',
    memberCount: 1,
    createdAt: nowIso(),
  };
  await putNew(teamItem(team));
  return team;
}

export interface SeedRecord {
  memberId: string;
  team: Pick<Team, 'teamId' | 'leaderName'>;
  communityId?: string;
  streetId?: string;
  hours?: number;
  date?: string;
  activityName?: string;
  memberName?: string;
  /** The activity the record is of (default: a new id); with memberId it makes the record id. */
  activityId?: string;
  /** When the record was written (default: now). */
  recordedAt?: string;
  /** Also add to this month's counters, as a close does (default true). */
  counters?: boolean;
}

/** A record of `s` for a new activity, as an activity close would make it. */
function recordOf(
  s: Omit<SeedRecord, 'counters'>,
  fields: Pick<ServiceRecord, 'place' | 'content' | 'activityName' | 'hours'> & { date: string | undefined },
): ServiceRecord {
  const activityId = s.activityId ?? next('ac');
  const recordedAt = s.recordedAt ?? nowIso();
  return {
    recordId: recordIdFor(activityId, s.memberId),
    memberId: s.memberId,
    memberName: s.memberName ?? '张三',
    activityId,
    ...fields,
    date: fields.date ?? recordedAt.slice(0, 10),
    organisingUnit: '测试志愿服务队',
    activityLeader: s.team.leaderName,
    teamId: s.team.teamId,
    communityId: s.communityId ?? 'co-a',
    streetId: s.streetId ?? 'st-a',
    recordedAt,
    late: false,
    source: 'activity',
    history: [{ at: recordedAt, by: 'test', kind: 'created', hoursAfter: fields.hours }],
  };
}

/** Writes one record as an activity close does; returns it. */
export async function seedRecord(s: SeedRecord): Promise<ServiceRecord> {
  const r = recordOf(s, {
    activityName: s.activityName ?? '义诊进社区',
    date: s.date,
    place: '锦江区某社区活动中心',
    content: '为居民量血压、讲解健康知识',
    hours: s.hours ?? 2,
  });
  const items: Parameters<typeof transact>[0] = [putRecord(r), addMemberHours(r.memberId, r.hours, 1)];
  if (s.counters !== false)
    for (const ref of factScopes({ kind: 'record', fact: r }, LOCAL_DISTRICT_ID))
      items.push(counterUpdate(ref, monthOf(r.recordedAt), { volunteerHours: r.hours }));
  await transact(items, () => {
    throw new Error('fixture record exists already');
  });
  return r;
}

/** Writes `count` records of one member (dates going back a day each), 90 to a transaction, then their hours. */
export async function seedManyRecords(
  s: Omit<SeedRecord, 'date' | 'counters'> & { count: number; hours: number },
): Promise<ServiceRecord[]> {
  const start = Date.parse('2024-12-31T04:00:00.000Z');
  const out = Array.from({ length: s.count }, (_, i) =>
    recordOf(s, {
      activityName: s.activityName ?? `活动${i}`,
      date: new Date(start - i * 86_400_000).toISOString().slice(0, 10),
      place: '社区',
      content: '服务',
      hours: s.hours,
    }),
  );
  for (let i = 0; i < out.length; i += 90)
    await transact(out.slice(i, i + 90).map(putRecord), () => {
      throw new Error('fixture record exists already');
    });
  await transact([addMemberHours(s.memberId, s.hours * s.count, s.count)], () => {
    throw new Error('unreachable');
  });
  return out;
}
