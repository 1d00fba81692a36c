import type { IncomingMessage } from 'node:http';
import { mintUserToken } from '../control';
import { agentPickerPage, desktopPage } from '../desktop/page';
import { interactionOf, interactionPanel, widgetFor, type WidgetSettings } from '../desktop/interaction';
import { cookie, HTML, SESSION_COOKIE, sessionCookie } from '../http/html';
import { notFound } from '../http/errors';
import type { Route } from '../http/router';
import type { SimAgent } from '../model';
import type { SimulatorState } from '../state';

/** The OAuth client the desktop's own token is issued to (its notification channels count apart from the widget's). */
export const DESKTOP_CLIENT_ID = 'genesys-cloud-desktop-simulated';

/**
 * `GET /desktop?agent=<userId>[&lang=fr-ca]`: the simulated agent desktop, logged in as that agent
 * (remembered in the simulator's session cookie, which the login page then honours);
 * `GET /desktop/state?agent=`: the interaction panel and widget its script refreshes with.
 */
export function desktopRoutes(s: SimulatorState, baseUrl: () => string): Route[] {
  const { model } = s;
  const videoQueueIds = () => {
    const names = s.options.videoQueues ?? [s.queueName];
    return s.queues.filter((q) => names.includes(q.name)).map((q) => q.id);
  };
  const settings = (req: IncomingMessage, lang: string): WidgetSettings => {
    const host = req.headers.host;
    return {
      urlTemplate: s.options.widgetUrl ?? '',
      queueIds: videoQueueIds(),
      hostOrigin: host && /^[A-Za-z0-9.[\]:-]+$/.test(host) ? `http://${host}` : baseUrl(),
      targetEnv: s.options.targetEnv ?? 'sim',
      environment: s.options.pcEnvironment ?? new URL(baseUrl()).host,
      langTag: lang,
    };
  };
  const langOf = (url: URL) => {
    const lang = url.searchParams.get('lang') ?? s.options.langTag ?? 'en-us';
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? lang.toLowerCase() : 'en-us';
  };
  const agentFor = (req: IncomingMessage, url: URL): SimAgent | undefined => {
    const id = url.searchParams.get('agent') ?? cookie(req, SESSION_COOKIE);
    return id ? model.agents.get(id) : undefined;
  };
  const view = (req: IncomingMessage, url: URL, agent: SimAgent) => {
    const interaction = interactionOf(model, agent);
    return { panel: interactionPanel(model, agent, interaction), widget: widgetFor(settings(req, langOf(url)), interaction) };
  };
  return [
    {
      method: 'GET',
      pattern: /^\/desktop\/?$/,
      public: true,
      handle: ({ req, url }) => {
        const agent = agentFor(req, url);
        if (!agent) {
          const status = url.searchParams.has('agent') ? 404 : 200;
          return { status, contentType: HTML, body: agentPickerPage([...model.agents.values()]) };
        }
        const token = mintUserToken(s, { userId: agent.id, clientId: DESKTOP_CLIENT_ID, expiresInSeconds: s.tokenLifetimeSeconds }).access_token;
        const { panel, widget } = view(req, url, agent);
        return {
          status: 200,
          contentType: HTML,
          headers: { 'set-cookie': sessionCookie(agent.id), 'cache-control': 'no-store' },
          body: desktopPage({ agent, token, panel, widget, lang: langOf(url) }),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/desktop\/state$/,
      public: true,
      handle: ({ req, url }) => {
        const agent = agentFor(req, url);
        if (!agent) throw notFound('No such agent');
        const { panel, widget } = view(req, url, agent);
        return { status: 200, headers: { 'cache-control': 'no-store' }, body: { agentId: agent.id, panel, widget: widget ?? null } };
      },
    },
  ];
}
