import { mintToken } from '../../infra/local/keys.ts';
import type { Platform, RequestFigure } from './requests.ts';

/** The members context's requests: profile, check-in, approval, a roster page. */
export async function membersScenario(p: Platform): Promise<RequestFigure[]> {
  const { api } = p;
  const district = await mintToken({ role: 'district_admin' });
  const street = (await api.post('/streets', district, { name: '街道' })).body.streetId as string;
  const communityId = (await api.post('/communities', district, { name: '社区', streetId: street })).body
    .communityId as string;
  const gridId = (await api.post(`/communities/${communityId}/grids`, district, { name: '网格' })).body
    .gridId as string;
  for (let i = 0; i < 25; i++) {
    const t = await mintToken({ role: 'member', memberId: `bench-m-${i}` });
    await api.post('/members', t, { name: `成员${i}`, phone: '13912345678', skills: ['急救'] });
    const ci = await api.post('/check-ins', t, { communityId, gridId });
    await api.post(`/check-ins/${ci.body.checkInId}/approve`, district);
  }
  const me = await mintToken({ role: 'member', memberId: 'bench-me' });
  const rows: RequestFigure[] = [];
  rows.push(await p.measure('POST /members', () => api.post('/members', me, { name: '新成员', phone: '13912345678' })));
  rows.push(await p.measure('GET /members/me', () => api.get('/members/me', me)));
  let checkInId = '';
  rows.push(
    await p.measure('POST /check-ins', async () => {
      const r = await api.post('/check-ins', me, { communityId, gridId });
      checkInId = r.body.checkInId;
      return r;
    }),
  );
  const key = { 'idempotency-key': 'bench-street-1' };
  rows.push(
    await p.measure(
      'POST /streets with Idempotency-Key',
      () => api.post('/streets', district, { name: '新街道' }, key),
      'one transaction: the street, its name claim and the key with its response',
    ),
  );
  rows.push(
    await p.measure(
      'same, replayed',
      () => api.post('/streets', district, { name: '新街道' }, key),
      'the transaction is refused by the used key and brings its response back: nothing written',
    ),
  );
  rows.push(
    await p.measure(
      'POST /check-ins/{id}/approve',
      () => api.post(`/check-ins/${checkInId}/approve`, district),
      'one transaction: 10 items',
    ),
  );
  rows.push(
    await p.measure('GET /communities/{id}/members?limit=20', () =>
      api.get(`/communities/${communityId}/members?limit=20`, district),
    ),
  );
  rows.push(await p.measure('GET /health', () => api.get('/health')));
  return rows;
}
