import { escapeHtml } from '../http/html';
import type { SimAgent } from '../model';

export interface LoginPageInput {
  /** the form posts back here (`/oauth/authorize` or `/login/oauth/authorize`) */
  action: string;
  clientName: string;
  /** the authorize request's parameters, carried as hidden fields */
  params: Record<string, string>;
  agents: SimAgent[];
  selectedAgentId: string | undefined;
}

/** Genesys's login page, reduced to what a test or a person needs: pick the agent, log in or deny. */
export function loginPage(input: LoginPageInput): string {
  const hidden = Object.entries(input.params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  const options = input.agents
    .map((a) => `<option value="${escapeHtml(a.id)}"${a.id === input.selectedAgentId ? ' selected' : ''}>${escapeHtml(a.name)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Log in – Genesys Cloud (simulated)</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1d1d1d; margin: 0; }
    main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0003; }
    label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
    select, button { font: inherit; padding: .5rem .75rem; }
    select { width: 100%; }
    .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
    button { border-radius: 4px; border: 1px solid #1d4ed8; cursor: pointer; }
    button[value=allow] { background: #1d4ed8; color: #fff; }
    button[value=deny] { background: #fff; color: #1d4ed8; }
    button:focus-visible, select:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  </style>
</head>
<body>
  <main>
    <h1>Log in to Genesys Cloud</h1>
    <p><strong>${escapeHtml(input.clientName)}</strong> wants to use your Genesys Cloud account.</p>
    <form method="post" action="${escapeHtml(input.action)}">
      ${hidden}
      <label for="userId">Agent</label>
      <select id="userId" name="userId" required>${options}</select>
      <div class="actions">
        <button type="submit" name="decision" value="allow">Log in</button>
        <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
      </div>
    </form>
  </main>
</body>
</html>
`;
}

/** The page Genesys shows when the request itself is wrong (unknown client, unregistered redirect URI): no redirect. */
export function loginErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Login error – Genesys Cloud (simulated)</title></head>
<body><main><h1>Login error</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>
`;
}
