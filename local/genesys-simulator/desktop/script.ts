/**
 * The desktop's inline script (plain browser JavaScript, no build step): actions through the real
 * Platform API with the desktop's own agent token, refresh on the agent's notifications (and
 * every 5 s as a backstop), the widget iframe replaced only when the conversation changes, the
 * call timer ticking.
 */
/** What each desktop button sends as `PATCH …/participants/{pid}` (Transfer posts `…/replace`). */
export const DESKTOP_ACTIONS = {
  answer: { state: 'connected' },
  hold: { held: true },
  resume: { held: false },
  mute: { muted: true },
  unmute: { muted: false },
  end: { state: 'disconnected' },
} as const;

export const DESKTOP_SCRIPT = String.raw`
(() => {
  const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
  const token = meta('gsim-token');
  const agentId = meta('gsim-agent');
  const panel = document.getElementById('interaction');
  const widgetHost = document.getElementById('widget');
  const status = document.getElementById('status');
  const api = (method, path, body) =>
    fetch(path, {
      method,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  function syncWidget(widget) {
    const next = widget ? widget.conversationId : '';
    if ((widgetHost.dataset.conversationId || '') === next) return;
    widgetHost.replaceChildren();
    widgetHost.dataset.conversationId = next;
    if (!widget) return;
    const frame = document.createElement('iframe');
    frame.title = 'Interaction widget';
    frame.allow = 'camera; microphone; display-capture';
    frame.src = widget.url;
    widgetHost.append(frame);
  }

  async function refresh() {
    const res = await fetch('/desktop/state?agent=' + encodeURIComponent(agentId));
    if (!res.ok) return;
    const state = await res.json();
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.action : undefined;
    panel.innerHTML = state.panel;
    if (focused) {
      const again = panel.querySelector('button[data-action="' + focused + '"]:not([disabled])');
      if (again) again.focus();
    }
    syncWidget(state.widget);
    tick();
  }

  const CHANGES = ${JSON.stringify(DESKTOP_ACTIONS)};

  panel.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const section = button.closest('[data-conversation-id]');
    const leg = '/api/v2/conversations/calls/' + encodeURIComponent(section.dataset.conversationId) + '/participants/' + encodeURIComponent(section.dataset.participantId);
    const action = button.dataset.action;
    let res;
    if (action === 'transfer') {
      const [kind, id] = document.getElementById('transfer-target').value.split(':');
      res = await api('POST', leg + '/replace', kind === 'queue' ? { queueId: id } : { userId: id });
    } else {
      res = await api('PATCH', leg, CHANGES[action]);
    }
    if (res.ok) status.textContent = button.textContent + ': done';
    else status.textContent = button.textContent + ' failed: ' + ((await res.json().catch(() => ({}))).message || res.status);
    await refresh();
  });

  function tick() {
    const time = panel.querySelector('[data-field="time"]');
    if (!time) return;
    const until = Number(time.dataset.until) || Date.now();
    const seconds = Math.max(0, Math.floor((until - Number(time.dataset.since)) / 1000));
    time.textContent = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
  }

  async function listen() {
    try {
      const channel = await (await api('POST', '/api/v2/notifications/channels')).json();
      await api('PUT', '/api/v2/notifications/channels/' + channel.id + '/subscriptions', [{ id: 'v2.users.' + agentId + '.conversations.calls' }]);
      const socket = new WebSocket(channel.connectUri);
      socket.onmessage = (message) => {
        if (JSON.parse(message.data).topicName !== 'channel.metadata') refresh();
      };
      socket.onclose = () => setTimeout(listen, 2000);
    } catch {
      setTimeout(listen, 2000);
    }
  }

  setInterval(tick, 1000);
  setInterval(refresh, 5000);
  listen();
  tick();
})();
`;
