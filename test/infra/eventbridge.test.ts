import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GENESYS_EVENTS_KEY_HEADER } from '../../src/http/genesysEvents';
import { ROOT } from './helpers';

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, any>;
}
interface Template {
  Parameters: Record<string, { Type: string; NoEcho?: boolean }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
}

const template = parse(readFileSync(join(ROOT, 'infra/eventbridge/genesys-events.cfn.yaml'), 'utf8')) as Template;
const R = template.Resources;

/** Every Ref / Fn::GetAtt / Condition target in the template. */
function references(node: unknown, out: { refs: string[]; atts: string[]; conditions: string[] } = { refs: [], atts: [], conditions: [] }) {
  if (Array.isArray(node)) node.forEach((n) => references(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Ref' && typeof v === 'string') out.refs.push(v);
      else if (k === 'Fn::GetAtt' && Array.isArray(v)) out.atts.push(String(v[0]));
      else if (k === 'Condition' && typeof v === 'string') out.conditions.push(v);
      else if (k === 'Fn::If' && Array.isArray(v)) {
        out.conditions.push(String(v[0]));
        references(v.slice(1), out);
      } else references(v, out);
    }
  }
  return out;
}

describe('the EventBridge stack (AWS side of Genesys events)', () => {
  it('authorises with the header MaxConf checks, from a hidden parameter', () => {
    expect(R.Connection!.Type).toBe('AWS::Events::Connection');
    expect(R.Connection!.Properties.AuthorizationType).toBe('API_KEY');
    expect(R.Connection!.Properties.AuthParameters.ApiKeyAuthParameters).toEqual({ ApiKeyName: GENESYS_EVENTS_KEY_HEADER, ApiKeyValue: { Ref: 'ApiKey' } });
    expect(template.Parameters.ApiKey!.NoEcho).toBe(true);
  });

  it('posts to /genesys/events through the API (and /edge/genesys/events for the edge slot)', () => {
    expect(R.Destination!.Properties).toMatchObject({ HttpMethod: 'POST', InvocationEndpoint: { 'Fn::Sub': '${ApiBaseUrl}/genesys/events' } });
    expect(R.EdgeDestination!.Condition).toBe('HasEdge');
    expect(R.EdgeDestination!.Properties.InvocationEndpoint).toEqual({ 'Fn::Sub': '${ApiBaseUrl}/edge/genesys/events' });
  });

  it('routes the conversation detail topics a session follows, with retries and a dead-letter queue', () => {
    for (const [rule, dest] of [
      ['Rule', 'Destination'],
      ['EdgeRule', 'EdgeDestination'],
    ] as const) {
      const p = R[rule]!.Properties;
      expect(p.EventBusName).toEqual({ Ref: 'PartnerEventBusName' });
      expect(p.EventPattern.source).toEqual([{ prefix: 'aws.partner/genesys.com' }]);
      const topics = (p.EventPattern['detail-type'] as string[]).map((t) => t.replace('v2.detail.events.conversation.{id}.', ''));
      expect(topics.sort()).toEqual(['acd.end', 'acd.start', 'customer.end', 'customer.start', 'user.end', 'user.start']);
      const [target] = p.Targets;
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [dest, 'Arn'] });
      expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] });
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    expect(R.Rule!.Properties.EventPattern.detail.eventBody.ani).toEqual([{ prefix: { Ref: 'AniPrefix' } }]);
  });

  it('refers only to things it declares', () => {
    const found = references(template.Resources);
    const declared = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), 'AWS::NoValue', 'AWS::Region', 'AWS::AccountId']);
    for (const ref of [...found.refs, ...found.atts]) expect(declared).toContain(ref);
    for (const c of found.conditions) expect(Object.keys(template.Conditions)).toContain(c);
    for (const r of Object.values(template.Resources)) expect(r.Type).toMatch(/^AWS::(Events|SQS|IAM)::/);
  });

  it('lets EventBridge invoke exactly its API destinations', () => {
    const statement = R.InvokeRole!.Properties.Policies[0].PolicyDocument.Statement[0];
    expect(statement.Action).toBe('events:InvokeApiDestination');
    expect(statement.Resource[0]).toEqual({ 'Fn::GetAtt': ['Destination', 'Arn'] });
  });
});
