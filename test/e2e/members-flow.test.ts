import { describe, expect, it } from 'vitest';
import { tokenFor, uniq, useE2e } from '../support/e2e.ts';
import { captureMetrics } from '../support/metrics.ts';

/**
 * The foundation's flow through the local API Gateway emulator and the real handlers:
 * an admin creates a community and a grid, a member registers, asks to check in, the admin
 * approves, the listing shows the member with a masked phone.
 */
const e2e = useE2e();
const { api } = e2e;

describe('check-in, end to end', () => {
  it('health and the OpenAPI document are public', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', table: 'reachable' });
    const doc = await api.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/check-ins/{checkInId}/approve');
    const body = doc.body.paths['/members'].post.requestBody.content['application/json'].schema;
    expect(body).toEqual({ $ref: '#/components/schemas/CreateMemberRequest' });
    expect(doc.body.components.schemas.CreateMemberRequest.additionalProperties).toBe(false);
    // Where the API is comes from the stack's configuration (here the local server), never from the Host header.
    expect(doc.body.servers).toEqual([{ url: e2e.url, description: expect.any(String) }]);
    const forged = await api.get('/openapi.json', undefined, { host: 'evil.example', 'x-forwarded-proto': 'https' });
    expect(forged.body.servers).toEqual(doc.body.servers);
  });

  it('walks from an empty district to a member listed in their grid', async () => {
    const district = await tokenFor({ role: 'district_admin' });
    const street = await api.post('/streets', district, { name: '春熙路街道' });
    expect(street.status).toBe(201);
    const community = await api.post('/communities', district, { name: '红星路社区', streetId: street.body.streetId });
    expect(community.status).toBe(201);
    expect(community.body).toMatchObject({ name: '红星路社区', kind: 'urban', streetId: street.body.streetId });
    const communityId: string = community.body.communityId;

    const admin = await tokenFor({ role: 'community_admin', communityId });
    const grid = await api.post(`/communities/${communityId}/grids`, admin, { name: '第一网格' });
    expect(grid.status).toBe(201);
    const gridId: string = grid.body.gridId;
    expect((await api.get(`/communities/${communityId}/grids`, admin)).body.items).toHaveLength(1);

    const memberId = uniq('m');
    const member = await tokenFor({ role: 'member', memberId });
    const created = await api.post('/members', member, {
      name: '王建国',
      phone: '13812345678',
      skills: ['急救'],
      categories: ['health'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ memberId, phone: '13812345678' });
    expect(created.body.version).toBeUndefined();
    const me = await api.get('/members/me', member);
    expect(me.body.phone).toBe('13812345678');

    const asked = await api.post('/check-ins', member, { communityId, gridId, note: '住在3栋' });
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe('pending');
    const pending = await api.get(`/communities/${communityId}/check-ins?status=pending`, admin);
    expect(pending.body.items.map((c: { checkInId: string }) => c.checkInId)).toEqual([asked.body.checkInId]);

    const metrics = captureMetrics();
    const approved = await api.post(`/check-ins/${asked.body.checkInId}/approve`, admin);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const again = await api.post(`/check-ins/${asked.body.checkInId}/approve`, admin);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CHECKIN_NOT_PENDING');
    // One check-in, by district and function: the refused second approval counts nothing.
    metrics.stop();
    expect(metrics.documents).toEqual([
      expect.objectContaining({ District: 'jinjiang', Function: 'members', CheckIns: 1 }),
    ]);
    expect(metrics.documents[0]!._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'Pioneer',
          Dimensions: [['District', 'Function']],
          Metrics: [{ Name: 'CheckIns', Unit: 'Count' }],
        },
      ],
    });

    const listing = await api.get(`/communities/${communityId}/members?limit=10`, admin);
    expect(listing.status).toBe(200);
    expect(listing.body.items).toEqual([
      expect.objectContaining({ memberId, name: '王建国', phone: '138****5678', gridId }),
    ]);
    expect(listing.text).not.toContain('13812345678');

    const profile = await api.get('/members/me', member);
    expect(profile.body).toMatchObject({ communityId, gridId, streetId: street.body.streetId });
    const asAdmin = await api.get(`/members/${memberId}`, admin);
    expect(asAdmin.body.phone).toBe('13812345678');
    const mine = await api.get('/members/me/check-ins', member);
    expect(mine.body.items[0]).toMatchObject({ status: 'approved' });
  });

  it('an Idempotency-Key replay returns the first response and creates nothing', async () => {
    const district = await tokenFor({ role: 'district_admin' });
    const key = `street-${uniq('k')}`;
    const first = await api.post('/streets', district, { name: '书院街街道' }, { 'idempotency-key': key });
    const replay = await api.post('/streets', district, { name: '书院街街道' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    const other = await api.post('/streets', district, { name: '别的街道' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const streets = await api.get('/streets?limit=100', district);
    expect(streets.body.items.filter((s: { name: string }) => s.name === '书院街街道')).toHaveLength(1);
  });
});

describe('phone and ID numbers typed into a check-in’s note or reason', () => {
  it('are shown in full to their author and the community’s admins, masked to anyone else', async () => {
    const district = await tokenFor({ role: 'district_admin' });
    const street = await api.post('/streets', district, { name: '书院街街道' });
    const community = await api.post('/communities', district, { name: '和平社区', streetId: street.body.streetId });
    const communityId: string = community.body.communityId;
    const admin = await tokenFor({ role: 'community_admin', communityId });
    const memberId = uniq('m');
    const member = await tokenFor({ role: 'member', memberId });
    expect((await api.post('/members', member, { name: '赵敏', phone: '13912345678' })).status).toBe(201);
    const note = '刚搬来，房东电话13812345678';
    const ci = await api.post('/check-ins', member, { communityId, note });
    expect(ci.body.note).toBe(note);
    const reason = '请先联系网格员 13700001111 核实';
    expect((await api.post(`/check-ins/${ci.body.checkInId}/reject`, admin, { reason })).status).toBe(200);

    // The member wrote the note (in full) but not the reason (masked); the admins see both.
    const mine = (await api.get('/members/me/check-ins', member)).body.items[0];
    expect(mine).toMatchObject({ note, reason: '请先联系网格员 137****1111 核实' });
    const listed = await api.get(`/communities/${communityId}/check-ins?status=rejected`, admin);
    expect(listed.body.items[0]).toMatchObject({ note, reason });
  });
});
