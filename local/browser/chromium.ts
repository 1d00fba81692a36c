import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, for the browser tests and `npm run demo -- --browser`
 * (Playwright's own browser download does not work here). On a fresh machine run as root the
 * package is installed (about 1.5 min); otherwise it fails with one line saying how to install it.
 */

const CHROMIUM = '/usr/bin/chromium';

export function findChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() === 0) {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'ignore', timeout: 600_000 });
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  throw new Error(`Chromium is missing: install Debian's package as root with "apt-get update && apt-get install -y chromium" (expected at ${CHROMIUM})`);
}

export interface LaunchOptions {
  /** Chromium's fake camera and microphone (a test pattern and a tone) */
  fakeDevices?: boolean;
  /** answer camera prompts with "allow" (without it, headless Chromium refuses them) */
  fakeMediaUi?: boolean;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each launch: no permission, storage or cache carries over between tests. */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'maxconf-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    ...(options.fakeMediaUi === false ? [] : ['--use-fake-ui-for-media-stream']),
    ...(options.fakeDevices === false ? [] : ['--use-fake-device-for-media-stream']),
    '--allow-loopback-in-peer-connection',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args, viewport: { width: 800, height: 620 } });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
