import { beforeAll, describe, expect, it } from 'vitest';
import { type Attempt, deniedFailures, expectRefusedWritingNothing } from '../support/matrix.ts';
import { seedRecord, seedTeam } from '../support/records.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/**
 * Outsiders against member A's record, its pending correction and A's certificate: another
 * member, a resident, the leader of another team, a "leader" whose token names A's team but who
 * does not lead it, admins of another community and street, a token of another district, no
 * token. Each gets 401 (from the gateway), or a 403 or 404 problem (404 where 403 would say the
 * record exists), and nothing in the table changes. The public verification shows no personal data beyond the masked name.
 */
const { api } = useE2e();
const ids = { record: '', correction: '', number: '', memberA: '' };
const tokens: Record<string, string> = {};
const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';

beforeAll(async () => {
  ids.memberA = uniq('ma');
  tokens.memberA = await mint.member(ids.memberA);
  expect(
    (await api.post('/members', tokens.memberA, { name: '王大锤', phone: PHONE, idNumber: ID_NUMBER })).status,
  ).toBe(201);
  const leaderId = uniq('lead');
  const team = await seedTeam({ leaderMemberId: leaderId, communityId: 'co-a', streetId: 'st-a' });
  const otherLeaderId = uniq('lead');
  const otherTeam = await seedTeam({ leaderMemberId: otherLeaderId, communityId: 'co-b', streetId: 'st-b' });
  const r = await seedRecord({
    memberId: ids.memberA,
    memberName: '王大锤',
    team,
    communityId: 'co-a',
    streetId: 'st-a',
    hours: 2,
  });
  ids.record = r.recordId;
  const asked = await api.post(`/service-records/${r.recordId}/corrections`, tokens.memberA, {
    requestedHours: 3,
    reason: '少记',
  });
  expect(asked.status).toBe(201);
  ids.correction = asked.body.correctionId;
  const cert = await api.post('/members/me/certificates', tokens.memberA);
  expect(cert.status).toBe(201);
  ids.number = cert.body.number;

  tokens.leaderA = await mint.leader(leaderId, team.teamId);
  tokens.memberB = await mint.member(uniq('mb'));
  tokens.resident = await mint.resident();
  tokens.otherLeader = await mint.leader(otherLeaderId, otherTeam.teamId);
  tokens.impostor = await mint.leader(uniq('imp'), team.teamId);
  tokens.adminOfB = await mint.communityAdmin('co-b');
  tokens.streetAdminOfB = await mint.streetAdmin('st-b');
  Object.assign(tokens, await mint.outsiders({ role: 'member', memberId: ids.memberA }));
});

const ROLE = [403];
const HIDDEN = [404];

const attempts: Attempt[] = [
  {
    method: 'GET',
    path: () => `/service-records/${ids.record}`,
    deny: {
      memberB: HIDDEN,
      resident: ROLE,
      otherLeader: HIDDEN,
      impostor: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'POST',
    path: () => `/service-records/${ids.record}/corrections`,
    body: () => ({ requestedHours: 5, reason: '改' }),
    deny: {
      memberB: HIDDEN,
      resident: ROLE,
      otherLeader: HIDDEN,
      impostor: HIDDEN,
      adminOfB: ROLE,
      streetAdminOfB: ROLE,
      leaderA: [403],
    },
  },
  {
    method: 'POST',
    path: () => `/service-records/${ids.record}/corrections/${ids.correction}/accept`,
    body: () => ({ hours: 5 }),
    deny: {
      memberA: ROLE,
      memberB: ROLE,
      resident: ROLE,
      otherLeader: HIDDEN,
      impostor: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'POST',
    path: () => `/service-records/${ids.record}/corrections/${ids.correction}/reject`,
    body: () => ({ reason: '不行' }),
    deny: {
      memberA: ROLE,
      memberB: ROLE,
      resident: ROLE,
      otherLeader: HIDDEN,
      impostor: HIDDEN,
      adminOfB: HIDDEN,
      streetAdminOfB: HIDDEN,
    },
  },
  {
    method: 'GET',
    path: () => '/members/me/service-records',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'POST',
    path: () => '/members/me/certificates',
    deny: { resident: ROLE, adminOfB: ROLE, streetAdminOfB: ROLE },
  },
  {
    method: 'GET',
    path: () => `/members/me/certificates/${ids.number}`,
    deny: {
      leaderA: HIDDEN,
      memberB: HIDDEN,
      resident: ROLE,
      otherLeader: HIDDEN,
      impostor: HIDDEN,
      adminOfB: ROLE,
      streetAdminOfB: ROLE,
    },
  },
];

describe('authorization of the records context', () => {
  it('denies every outsider on every protected route and changes nothing', async () => {
    await expectRefusedWritingNothing(() => deniedFailures(api, attempts, tokens));
  });

  it("another member's list and certificate hold none of A's records", async () => {
    const list = await api.get('/members/me/service-records', tokens.memberB);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect((await api.post('/members/me/certificates', tokens.memberB)).status).toBe(409);
  });

  it("the leader of A's team may read the record; A may read it; nobody learns A's phone or ID number from it", async () => {
    for (const who of ['leaderA', 'memberA']) {
      const res = await api.get(`/service-records/${ids.record}`, tokens[who]);
      expect(res.status, who).toBe(200);
      expect(res.text).not.toContain(PHONE);
      expect(res.text).not.toContain(ID_NUMBER);
    }
  });

  it('the public verification shows no phone, ID number, member id or full name', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const res = await api.get(`/certificates/${ids.number}`, undefined, { accept });
      expect(res.status).toBe(200);
      for (const secret of [PHONE, ID_NUMBER, ids.memberA, '王大锤', ids.record])
        expect(res.text, `${accept}: ${secret}`).not.toContain(secret);
      expect(res.text).toContain('王*');
    }
    const json = await api.get(`/certificates/${ids.number}`);
    expect(Object.keys(json.body).sort()).toEqual([
      'issuedOn',
      'issuingUnit',
      'name',
      'number',
      'recordCount',
      'totalHours',
      'valid',
    ]);
  });

  it('a token on the public route changes nothing: it is still public and the same', async () => {
    const a = await api.get(`/certificates/${ids.number}`);
    const b = await api.get(`/certificates/${ids.number}`, tokens.resident);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });

  it('the holder, with their own token, sees their own certificate with their name in full; nobody else does', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const res = await api.get(`/members/me/certificates/${ids.number}`, tokens.memberA, { accept });
      expect(res.status, accept).toBe(200);
      expect(res.text, accept).toContain('王大锤');
      expect(res.text, accept).not.toContain('王*');
      for (const secret of [PHONE, ID_NUMBER]) expect(res.text, `${accept}: ${secret}`).not.toContain(secret);
    }
    const b = await api.get(`/members/me/certificates/${ids.number}`, tokens.memberB, { accept: 'text/html' });
    expect(b.status).toBe(404);
    expect(b.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(b.text).not.toContain('王');
    // The public page stays masked whoever asks: a public URL cannot tell who asks.
    expect((await api.get(`/certificates/${ids.number}`, tokens.memberA)).body.name).toBe('王*');
  });
});
