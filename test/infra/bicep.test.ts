import { BicepSyntaxError, Deferred, parseBicep, prop, toLiteral } from '../../infra/check/bicep';

describe('the Bicep reader', () => {
  it('reads parameters, variables, resources, modules and outputs', () => {
    const file = parseBicep(`
targetScope = 'resourceGroup'
@description('where')
param location string = resourceGroup().location
@secure()
param key string
param maybe string?
var names = [for s in slots: toLower('\${s.name}-x')]
var settings = {
  A: 'a'
  'AzureWebJobs.reaper.Disabled': cond
    ? 'true'
    : 'false'
}
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'p'
  sku: {
    name: 'EP1'
  }
}
resource maybeSlot 'Microsoft.Web/sites/slots@2024-04-01' = if (!empty(x)) {
  name: 'edge'
}
module m 'modules/x.bicep' = {
  name: 'm'
  params: {
    one: 1
    two: plan.id
  }
}
output id string = plan.id
`);
    expect([...file.params.keys()]).toEqual(['location', 'key', 'maybe']);
    expect(file.params.get('location')?.hasDefault).toBe(true);
    expect(file.params.get('key')).toMatchObject({ secure: true, hasDefault: false });
    expect(file.params.get('maybe')?.nullable).toBe(true);
    expect(file.vars.get('names')?.kind).toBe('for');
    const settings = file.vars.get('settings');
    expect(settings?.kind === 'object' && settings.entries.map((e) => e.key)).toEqual(['A', 'AzureWebJobs.reaper.Disabled']);
    expect(file.resources.map((r) => `${r.type}@${r.apiVersion}`)).toEqual(['Microsoft.Web/serverfarms@2024-04-01', 'Microsoft.Web/sites/slots@2024-04-01']);
    expect(file.resources[1]?.body.kind).toBe('if');
    expect(file.modules[0]?.path).toBe('modules/x.bicep');
    expect(toLiteral(prop(file.modules[0]?.body, 'params')!)).toEqual({ one: 1, two: new Deferred('plan . id') });
    expect(file.outputs).toEqual(['id']);
  });

  it('reads a parameter file', () => {
    const file = parseBicep(`using '../main.bicep'
param environmentName = 'test'
param slots = [
  {
    name: 'production'
    poolSize: 5
    on: true
  }
]
param tenant = readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')
`);
    expect(file.using).toBe('../main.bicep');
    expect(toLiteral(file.assignments.get('slots')!.value)).toEqual([{ name: 'production', poolSize: 5, on: true }]);
    expect(toLiteral(file.assignments.get('tenant')!.value)).toBeInstanceOf(Deferred);
  });

  it.each([
    ['an unclosed object', "var a = {\n  b: 'c'\n"],
    ['an unterminated string', "var a = 'abc\n"],
    ['a resource without an apiVersion', "resource r 'Microsoft.Web/sites' = {\n}\n"],
    ['a duplicate property', "var a = {\n  b: 1\n  b: 2\n}\n"],
    ['an unknown declaration', 'parm x string\n'],
    ['two values on one line', "var a = {\n  b: 1 c: 2\n}\n"],
    ['an unbalanced bracket', 'var a = concat([1], [2)\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseBicep(text)).toThrow(BicepSyntaxError);
  });

  it('keeps interpolated strings as deploy-time values and plain strings as values', () => {
    const file = parseBicep("var a = 'x${y}z'\nvar b = 'it\\'s'\n");
    expect(toLiteral(file.vars.get('a')!)).toBeInstanceOf(Deferred);
    expect(toLiteral(file.vars.get('b')!)).toBe("it's");
  });
});
