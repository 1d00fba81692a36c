import { escapeHtml } from '../http/html';
import type { SimAgent } from '../model';
import { DESKTOP_SCRIPT } from './script';

export interface DesktopPageInput {
  agent: SimAgent;
  /** the desktop's own user token (simulator-side session), used by its script for the Platform API */
  token: string;
  panel: string;
  widget: { conversationId: string; url: string } | undefined;
  lang: string;
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1d1d; }
  header { background: #1d2e4a; color: #fff; padding: .75rem 1.25rem; display: flex; justify-content: space-between; }
  header h1 { font-size: 1.1rem; margin: 0; }
  main { display: grid; grid-template-columns: minmax(18rem, 24rem) 1fr; gap: 1rem; padding: 1rem; }
  #interaction, #widget { background: #fff; border-radius: 8px; padding: 1rem; box-shadow: 0 1px 3px #0002; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; }
  .actions, .transfer { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .75rem; align-items: center; }
  button, select { font: inherit; padding: .4rem .8rem; }
  button { border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; border-radius: 4px; cursor: pointer; }
  button[disabled] { background: #e5e7eb; color: #4b5563; border-color: #9ca3af; cursor: not-allowed; }
  button:focus-visible, select:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  #widget iframe { width: 100%; height: 70vh; border: 0; }
  #widget:empty::before { content: 'No interaction widget for this conversation.'; color: #4b5563; }
`;

/** The simulated agent desktop: Genesys's own desktop, reduced to one interaction and its widget. */
export function desktopPage(input: DesktopPageInput): string {
  const { agent, widget } = input;
  const iframe = widget
    ? `<iframe title="Interaction widget" src="${escapeHtml(widget.url)}" allow="camera; microphone; display-capture"></iframe>`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(input.lang.split('-')[0] || 'en')}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="gsim-token" content="${escapeHtml(input.token)}">
  <meta name="gsim-agent" content="${escapeHtml(agent.id)}">
  <title>Agent desktop – ${escapeHtml(agent.name)} (simulated Genesys Cloud)</title>
  <style>${STYLE}</style>
</head>
<body>
  <header><h1>Genesys Cloud agent desktop (simulated)</h1><span>Logged in as <strong>${escapeHtml(agent.name)}</strong></span></header>
  <main>
    <div id="interaction">${input.panel}</div>
    <div id="widget" data-conversation-id="${widget ? escapeHtml(widget.conversationId) : ''}">${iframe}</div>
  </main>
  <p id="status" role="status" aria-live="polite"></p>
  <script>${DESKTOP_SCRIPT}</script>
</body>
</html>
`;
}

/** Without an agent: who is this desktop for? */
export function agentPickerPage(agents: SimAgent[]): string {
  const links = agents.map((a) => `<li><a href="/desktop?agent=${encodeURIComponent(a.id)}">${escapeHtml(a.name)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agent desktop (simulated Genesys Cloud)</title></head>
<body><main><h1>Choose the agent to log in as</h1><ul>${links}</ul></main></body></html>
`;
}
