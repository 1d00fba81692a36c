/** The tests launch Debian's Chromium the way `npm run demo -- --browser` does. */
export { findChromium, launchChromium, type LaunchedBrowser, type LaunchOptions } from '../../local/browser/chromium';
