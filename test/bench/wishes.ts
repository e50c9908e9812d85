import { mintToken } from '../../infra/local/keys.ts';
import { freezeClock, resetClock } from '../../shared/domain/clock.ts';
import type { Platform, RequestFigure } from './requests.ts';

/**
 * The micro-wishes context's requests: post, review, a wall page, a read, suggestions (over a
 * wall of 150 open wishes: the read stays bounded), claim, release, complete (with the service
 * record), confirm, take on, the events, and the daily job per wish escalated.
 */
export async function wishesScenario(p: Platform): Promise<RequestFigure[]> {
  const { api } = p;
  const district = await mintToken({ role: 'district_admin' });
  const street = (await api.post('/streets', district, { name: '心愿街道' })).body.streetId as string;
  const communityId = (await api.post('/communities', district, { name: '红星路社区', streetId: street })).body
    .communityId as string;
  const gridId = (await api.post(`/communities/${communityId}/grids`, district, { name: '网格' })).body
    .gridId as string;
  const admin = await mintToken({ role: 'community_admin', communityId });
  const resident = await mintToken({ role: 'resident', sub: 'bench-resident' });
  const member = await mintToken({ role: 'member', memberId: 'bench-wm' });
  await api.post('/members', member, { name: '成员', phone: '13912345678', skills: ['急救'] });
  const ci = await api.post('/check-ins', member, { communityId, gridId });
  await api.post(`/check-ins/${ci.body.checkInId}/approve`, district);
  const leaderId = 'bench-leader';
  await api.post('/members', await mintToken({ role: 'member', memberId: leaderId }), {
    name: '队长',
    phone: '13912345678',
  });
  const teamId = (
    await api.post('/teams', district, { name: '队', category: 'other', scope: 'district', leaderMemberId: leaderId })
  ).body.teamId as string;
  const leader = await mintToken({ role: 'team_leader', memberId: leaderId, teamId });

  const body = (i: number) => ({
    title: `心愿${i}`,
    description: '需要帮助',
    category: 'elderly-care',
    skillsWanted: i % 10 === 0 ? ['急救'] : ['跑腿'],
    communityId,
    gridId,
    contactName: '赵大妈',
    contactPhone: '13800001111',
  });
  const publishNew = async (i: number) => {
    const id = (await api.post('/wishes', resident, body(i))).body.wishId as string;
    await api.post(`/wishes/${id}/review`, admin, { decision: 'publish' });
    return id;
  };
  freezeClock(new Date(Date.now() - 30 * 86_400_000).toISOString());
  const old = await publishNew(-1); // to be escalated by the job
  resetClock();
  for (let i = 0; i < 150; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => publishNew(i + k)));

  const rows: RequestFigure[] = [];
  let wishId = '';
  rows.push(
    await p.measure(
      'POST /wishes',
      async () => {
        const r = await api.post('/wishes', resident, body(999));
        wishId = r.body.wishId;
        return r;
      },
      'community and grid in one BatchGetItem; one transaction: wish, event, pointer, 4 counters',
    ),
  );
  rows.push(
    await p.measure(
      'POST /wishes/{id}/review (publish)',
      () => api.post(`/wishes/${wishId}/review`, admin, { decision: 'publish' }),
      'read; one transaction: wish, event, 4 counters',
    ),
  );
  rows.push(
    await p.measure(
      'GET /wishes?communityId=&status=published (page of 20)',
      () => api.get(`/wishes?communityId=${communityId}&limit=20`, member),
      'one Query (gsi1)',
    ),
  );
  rows.push(await p.measure('GET /wishes/{id}', () => api.get(`/wishes/${wishId}`, member)));
  rows.push(
    await p.measure(
      'GET /wishes/suggested (wall of 150 open)',
      () => api.get('/wishes/suggested?limit=10', member),
      'profile + 2 Queries: at most 80 + 20 wishes',
    ),
  );
  rows.push(
    await p.measure(
      'POST /wishes/{id}/claim',
      () => api.post(`/wishes/${wishId}/claim`, member),
      'profile and wish in one BatchGetItem; one transaction: wish, event, claims counter, 4 counters',
    ),
  );
  rows.push(
    await p.measure(
      'POST /wishes/{id}/release',
      () => api.post(`/wishes/${wishId}/release`, member),
      'read; one transaction: wish, event, claims counter',
    ),
  );
  await api.post(`/wishes/${wishId}/claim`, member);
  rows.push(
    await p.measure(
      'POST /wishes/{id}/complete (member)',
      () => api.post(`/wishes/${wishId}/complete`, member, { note: '完成', hours: 2 }),
      'read; one transaction: wish, event, claims counter, record, hours, 4 counters',
    ),
  );
  rows.push(
    await p.measure(
      'POST /wishes/{id}/confirm',
      () => api.post(`/wishes/${wishId}/confirm`, resident, { rating: 5 }),
      'read; one transaction: wish, event, 4 counters',
    ),
  );
  rows.push(
    await p.measure(
      'GET /wishes/{id}/events (page of 20)',
      () => api.get(`/wishes/${wishId}/events`, member),
      'read the wish (visibility) + one Query',
    ),
  );
  rows.push(
    await p.measure(
      'POST /_local/jobs/escalate-wishes (1 due)',
      () => api.post('/_local/jobs/escalate-wishes', undefined, {}),
      'two Queries (gsi3) + one transaction per due wish',
    ),
  );
  rows.push(
    await p.measure(
      'POST /_local/jobs/escalate-wishes (none due)',
      () => api.post('/_local/jobs/escalate-wishes', undefined, {}),
      'two Queries',
    ),
  );
  rows.push(
    await p.measure(
      'POST /wishes/{id}/take-on',
      () => api.post(`/wishes/${old}/take-on`, leader),
      'team and wish in one BatchGetItem; one transaction: wish, event, 4 place + 1 team counters',
    ),
  );
  return rows;
}
