import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const dir = join(ROOT, '.github/workflows');
const load = (name: string) => parse(readFileSync(join(dir, name), 'utf8')) as Workflow;
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
const run = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('the deployment workflows', () => {
  it('are all valid YAML with at least one job', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(['agent-app.yml', 'api-rollback.yml', 'api.yml', 'customer-app.yml', 'infra.yml']);
    for (const f of files) expect(Object.keys(load(f).jobs).length).toBeGreaterThan(0);
  });

  const api = load('api.yml');
  const slotOf = (job: Job) => uses(job, 'Azure/functions-action')[0]?.with?.['slot-name'];

  it('deploys edge to the edge slot, main to Test, a release to Production staging', () => {
    expect(api.on).toMatchObject({ push: { branches: ['edge', 'main'] }, release: { types: ['published'] } });
    expect(slotOf(api.jobs['deploy-edge']!)).toBe('edge');
    expect(api.jobs['deploy-edge']!.if).toContain("github.ref == 'refs/heads/edge'");
    expect(slotOf(api.jobs['deploy-test']!)).toBe('production');
    expect(api.jobs['deploy-test']!.if).toContain("github.ref == 'refs/heads/main'");
    expect(slotOf(api.jobs['deploy-staging']!)).toBe('staging');
    expect(api.jobs['deploy-staging']!.if).toBe("github.event_name == 'release'");
  });

  it('builds once and deploys that artifact everywhere', () => {
    const builders = Object.entries(api.jobs).filter(([, j]) => uses(j, 'actions/upload-artifact').length > 0);
    expect(builders.map(([n]) => n)).toEqual(['build']);
    expect(run(api.jobs.build!)).toContain('scripts/deploy/package.sh maxconf-api.zip');
    for (const name of ['deploy-edge', 'deploy-test', 'deploy-staging']) {
      const job = api.jobs[name]!;
      expect(run(job)).not.toMatch(/npm (ci|install)|npm run build|package\.sh/);
      expect(uses(job, 'actions/download-artifact')[0]?.with?.name).toBe('maxconf-api');
      expect(uses(job, 'Azure/functions-action')[0]?.with?.package).toBe('maxconf-api.zip');
    }
    // the release promotes main's artifact of the same commit instead of building its own
    const staging = api.jobs['deploy-staging']!;
    expect(staging.needs).toBeUndefined();
    expect(uses(staging, 'actions/download-artifact')[0]?.with?.['run-id']).toBe('${{ steps.source.outputs.run-id }}');
    expect(run(staging)).toContain('--commit "$GITHUB_SHA"');
  });

  it('smoke-checks staging, waits for approval, drains and swaps', () => {
    expect(run(api.jobs['deploy-staging']!)).toMatch(/scripts\/deploy\/smoke-check\.js --base-url "https:\/\/\$\{\{ vars\.FUNCTION_APP_NAME \}\}-staging\.azurewebsites\.net" --audience/);
    const swap = api.jobs.swap!;
    expect(swap.needs).toBe('deploy-staging');
    expect(swap.environment).toBe('production');
    expect(run(swap)).toMatch(/scripts\/deploy\/swap\.sh .*--slot staging/);
    const script = readFileSync(join(ROOT, 'scripts/deploy/swap.sh'), 'utf8');
    // the gate runs before the swap
    expect(script.indexOf('drain-gate.js')).toBeGreaterThan(0);
    expect(script.indexOf('drain-gate.js')).toBeLessThan(script.indexOf('az functionapp deployment slot swap'));
  });

  it('keeps a one-step rollback that swaps back behind the same approval', () => {
    const rollback = load('api-rollback.yml');
    expect(Object.keys(rollback.on)).toEqual(['workflow_dispatch']);
    const job = rollback.jobs.rollback!;
    expect(job.environment).toBe('production');
    expect(run(job)).toMatch(/scripts\/deploy\/swap\.sh .*--slot staging/);
  });

  it('logs in to Azure with OIDC only', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yml'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text).not.toMatch(/secrets\.AZURE|creds:|publish-profile/);
      for (const [name, job] of Object.entries(load(f).jobs)) {
        for (const login of uses(job, 'azure/login')) {
          expect(login.with).toEqual({
            'client-id': '${{ vars.AZURE_CLIENT_ID }}',
            'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
            'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
          });
          expect([f, name, job.permissions?.['id-token']]).toEqual([f, name, 'write']);
        }
      }
    }
  });

  it('deploys each static web app from its own workflow on its own tags', () => {
    for (const app of ['agent', 'customer']) {
      const wf = load(`${app}-app.yml`);
      expect(wf.on).toMatchObject({ push: { tags: [`${app}-app/v*.*.*`], paths: [`apps/${app}-app/**`] } });
      const job = wf.jobs.deploy!;
      expect(uses(job, 'Azure/static-web-apps-deploy')[0]?.with).toMatchObject({ app_location: `apps/${app}-app`, action: 'upload' });
    }
  });
});
