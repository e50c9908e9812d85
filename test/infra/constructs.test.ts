/**
 * The shared constructs on their own: a function bound to two tables (the city's and a district's)
 * gets each under its own variable with its own access, and nothing more; the same variable or
 * table twice is refused; the table construct builds any table definition the same hardened way.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CITY_TABLE } from '../../shared/config/city.ts';
import { TABLE } from '../../shared/config/table.ts';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, PioneerFunction } from '../../infra/constructs/pioneer-function.ts';
import { PioneerTable } from '../../infra/constructs/pioneer-table.ts';

function stack() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const s = new Stack(app, 'T');
  const district = new PioneerTable(s, 'District', { tableName: 'pioneer-x', definition: TABLE });
  const city = new PioneerTable(s, 'City', { tableName: 'pioneer-city', definition: CITY_TABLE });
  const fn = new PioneerFunction(s, 'Fn', { name: 'docs', districtId: 'x', kind: 'http' });
  return { s, district, city, fn };
}

type Statement = { Sid: string; Action: string | string[]; Resource: unknown };

describe('PioneerFunction.bindTable', () => {
  it('binds several tables, each under its own variable and with its own access', () => {
    const { s, district, city, fn } = stack();
    fn.bindTable(district, 'RO');
    fn.bindTable(city, 'RW', 'CITY_TABLE_NAME');
    const t = Template.fromStack(s).toJSON();
    const id = (c: PioneerTable) => s.getLogicalId(c.table.node.defaultChild as never);
    const [, lambda] = Object.entries(t.Resources).find(
      ([, r]) => (r as { Type: string }).Type === 'AWS::Lambda::Function',
    )! as [string, { Properties: { Environment: { Variables: Record<string, unknown> } } }];
    expect(lambda.Properties.Environment.Variables).toEqual({
      TABLE_NAME: { Ref: id(district) },
      CITY_TABLE_NAME: { Ref: id(city) },
    });
    const statements = Object.values(t.Resources)
      .filter((r) => (r as { Type: string }).Type === 'AWS::IAM::Policy')
      .flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
      );
    const bySid = Object.fromEntries(statements.map((x) => [x.Sid, x]));
    expect(Object.keys(bySid).sort()).toEqual([
      'CityTableAuditAppendOnly',
      'CityTableRead',
      'CityTableWrite',
      'IndexRead',
      'TableRead',
      'WriteOwnLogs',
    ]);
    // The table written (RW) keeps its role audit append-only: no update or delete under ROLE_AUDIT#.
    expect(bySid.CityTableAuditAppendOnly).toMatchObject({
      Effect: 'Deny',
      Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      Resource: { 'Fn::GetAtt': [id(city), 'Arn'] },
      Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['ROLE_AUDIT#*'] } },
    });
    expect(bySid.TableRead).toMatchObject({
      Action: [...TABLE_READ_ACTIONS],
      Resource: { 'Fn::GetAtt': [id(district), 'Arn'] },
    });
    expect((bySid.IndexRead!.Resource as unknown[]).length).toBe(TABLE.indexes.length);
    expect(bySid.CityTableRead).toMatchObject({
      Action: [...TABLE_READ_ACTIONS],
      Resource: { 'Fn::GetAtt': [id(city), 'Arn'] },
    });
    expect(bySid.CityTableWrite).toMatchObject({
      Action: [...TABLE_WRITE_ACTIONS],
      Resource: { 'Fn::GetAtt': [id(city), 'Arn'] },
    });
  });

  it('refuses the same variable or the same table twice', () => {
    const { district, city, fn } = stack();
    fn.bindTable(district, 'RO');
    expect(() => fn.bindTable(city, 'RO')).toThrow(/TABLE_NAME or its table is bound already/);
    expect(() => fn.bindTable(district, 'RW', 'OTHER_TABLE_NAME')).toThrow(/is bound already/);
  });
});

describe('PioneerTable', () => {
  it('builds a definition on demand, with point-in-time recovery and deletion protection, retained', () => {
    const { s } = stack();
    const tables = Object.values(Template.fromStack(s).toJSON().Resources).filter(
      (r) => (r as { Type: string }).Type === 'AWS::DynamoDB::GlobalTable',
    ) as { Properties: { TableName: string; Replicas: unknown[] } }[];
    expect(tables.map((t) => t.Properties.TableName).sort()).toEqual(['pioneer-city', 'pioneer-x']);
    for (const t of tables) {
      expect(t).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { BillingMode: 'PAY_PER_REQUEST' },
      });
      expect(t.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });
});
