import { escapeHtml } from '../http/html';
import type { GenesysModel, SimAgent, SimConversation, SimParticipant } from '../model';

/** What the desktop shows for an agent: the call it has (or had last), its own leg on it. */
export interface Interaction {
  conversation: SimConversation;
  leg: SimParticipant;
}

/** The agent's current call, or the last one it was on (kept on screen, as Genesys keeps it until wrap-up). */
export function interactionOf(model: GenesysModel, agent: SimAgent): Interaction | undefined {
  let latest: Interaction | undefined;
  // a live leg beats an ended one; otherwise the newest wins
  const newer = (a: SimParticipant, b: SimParticipant) => (!a.endTime !== !b.endTime ? !a.endTime : a.startTime >= b.startTime);
  for (const conversation of model.conversations.values()) {
    for (const leg of conversation.participants) {
      if (leg.purpose === 'agent' && leg.userId === agent.id && (!latest || newer(leg, latest.leg))) latest = { conversation, leg };
    }
  }
  return latest;
}

export interface WidgetSettings {
  /** Genesys interaction-widget URL template; empty: no widget */
  urlTemplate: string;
  /** queue ids whose conversations show the widget (the widget's queue filter) */
  queueIds: string[];
  /** `{{gcHostOrigin}}`: the desktop's origin as the browser sees it */
  hostOrigin: string;
  targetEnv: string;
  environment: string;
  langTag: string;
}

/** Genesys's interpolation of the widget URL: each placeholder replaced by its URL-encoded value. */
export function widgetUrl(settings: WidgetSettings, conversationId: string): string {
  const values: Record<string, string> = {
    pcConversationId: conversationId,
    gcHostOrigin: settings.hostOrigin,
    gcTargetEnv: settings.targetEnv,
    pcLangTag: settings.langTag,
    pcEnvironment: settings.environment,
  };
  return settings.urlTemplate.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? encodeURIComponent(values[name]!) : whole));
}

/** The widget for this interaction, if its queue is a video queue and a widget is configured. */
export function widgetFor(settings: WidgetSettings, interaction: Interaction | undefined): { conversationId: string; url: string } | undefined {
  if (!interaction || !settings.urlTemplate) return undefined;
  const queueId = interaction.leg.queueId ?? interaction.conversation.queueId;
  if (!queueId || !settings.queueIds.includes(queueId)) return undefined;
  return { conversationId: interaction.conversation.id, url: widgetUrl(settings, interaction.conversation.id) };
}

const STATE_LABEL: Record<string, string> = { alerting: 'Alerting', connected: 'Connected', held: 'On hold', disconnected: 'Disconnected' };

/** The interaction panel: caller, state, time in call, and the actions the state allows. */
export function interactionPanel(model: GenesysModel, agent: SimAgent, interaction: Interaction | undefined): string {
  if (!interaction) return '<p class="empty">No interaction. Calls offered to you appear here.</p>';
  const { conversation: c, leg } = interaction;
  const live = !leg.endTime;
  const state = !live ? 'disconnected' : leg.held ? 'held' : leg.state;
  const connected = live && leg.state === 'connected';
  const queue = model.queues.find((q) => q.id === (leg.queueId ?? c.queueId));
  const targets = [
    ...[...model.agents.values()].filter((a) => a.id !== agent.id).map((a) => `<option value="user:${escapeHtml(a.id)}">${escapeHtml(a.name)}</option>`),
    ...model.queues.map((q) => `<option value="queue:${escapeHtml(q.id)}">Queue ${escapeHtml(q.name)}</option>`),
  ].join('');
  const button = (action: string, label: string, enabled: boolean) =>
    `<button type="button" data-action="${action}"${enabled ? '' : ' disabled'}>${label}</button>`;
  return `<section class="interaction" aria-labelledby="caller" data-conversation-id="${escapeHtml(c.id)}" data-participant-id="${escapeHtml(leg.id)}">
  <h2 id="caller">${escapeHtml(c.aniName || c.ani)}</h2>
  <dl>
    <dt>State</dt><dd data-field="state">${STATE_LABEL[state] ?? state}</dd>
    <dt>Queue</dt><dd>${escapeHtml(queue?.name ?? '–')}</dd>
    <dt>Time</dt><dd><time data-field="time" data-since="${leg.connectedTime ?? leg.startTime}" data-until="${leg.endTime ?? ''}">0:00</time></dd>
  </dl>
  <div class="actions" role="group" aria-label="Call actions">
    ${button('answer', 'Answer', live && leg.state === 'alerting')}
    ${button('hold', 'Hold', connected && !leg.held)}
    ${button('resume', 'Resume', connected && leg.held)}
    ${button('mute', 'Mute', connected && !leg.muted)}
    ${button('unmute', 'Unmute', connected && leg.muted)}
    ${button('end', 'End', live)}
  </div>
  <div class="transfer">
    <label for="transfer-target">Transfer to</label>
    <select id="transfer-target"${connected ? '' : ' disabled'}>${targets}</select>
    ${button('transfer', 'Transfer', connected)}
  </div>
</section>`;
}
