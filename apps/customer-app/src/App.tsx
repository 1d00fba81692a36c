import { useEffect, useMemo, useRef, useState } from 'react';
import { LanguageSwitch } from '../../agent-app/src/ui/LanguageSwitch';
import { createCitizenCall, type CitizenView } from './citizenCall';
import { waitMinutes, waitingStepOf } from './citizenState';
import { WORDS, type Lang, type Words } from './i18n';
import type { JoinLink } from './link';
import { CallControls, Ended, InCall, Reconnecting, Waiting } from './ui/CallScreens';
import { DeviceCheck } from './ui/DeviceCheck';
import { ClosedPanel, FailurePanel } from './ui/Panels';

/** One sentence for the live region: what changed, in words a screen reader reads out. */
function announcement(words: Words, view: CitizenView): string {
  if (view.stage !== 'call') return '';
  switch (view.screen) {
    case 'waiting': {
      const phase = view.session?.phase ?? 'waiting_for_citizen';
      const minutes = phase === 'queued' ? waitMinutes(view.session?.estimatedWaitSeconds) : undefined;
      return [words.waitingStep[waitingStepOf(phase)], view.position === undefined ? '' : words.position(view.position), minutes === undefined ? '' : words.wait(minutes)].filter(Boolean).join(' ');
    }
    case 'in-call':
      return words.inCall;
    case 'reconnecting':
      return words.reconnecting;
    case 'ended':
      return `${words.endedTitle}. ${words.ended[view.ended ?? 'unknown']}`;
    default:
      return '';
  }
}

export function App({ link, initialLang }: { link: JoinLink | undefined; initialLang: Lang }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<CitizenView>({ stage: 'starting', cameraOff: false, micMuted: false, leaving: false });
  const call = useMemo(() => createCitizenCall(link, (change) => setView((v) => ({ ...v, ...change }))), [link]);
  const started = useRef(false);

  useEffect(() => {
    // StrictMode mounts twice in development; the call starts once and ends with the page
    if (started.current) return;
    started.current = true;
    call.start();
    const end = () => call.stop();
    window.addEventListener('pagehide', end);
    return () => window.removeEventListener('pagehide', end);
  }, [call]);

  useEffect(() => {
    document.documentElement.lang = lang === 'fr' ? 'fr-CA' : 'en-CA';
    document.title = WORDS[lang].appName;
  }, [lang]);

  const words = WORDS[lang];
  return (
    <div className="app">
      <header className="bar">
        <h1 className="title">{words.appName}</h1>
        <LanguageSwitch lang={lang} onChange={setLang} />
      </header>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="announce">
        {announcement(words, view)}
      </p>
      <main data-stage={view.stage}>
        {view.stage === 'failure' && view.failure ? (
          <FailurePanel words={words} kind={view.failure.kind} detail={view.failure.detail} helpUrl={view.config?.helpUrl} onRetry={() => call.retry()} />
        ) : null}
        {view.stage === 'closed' && view.config ? <ClosedPanel words={words} lang={lang} opensAt={view.opensAt} timeZone={view.config.serviceHours.timeZone} /> : null}
        {view.stage === 'check' || view.stage === 'joining' ? (
          <DeviceCheck words={words} stream={view.localStream} joining={view.stage === 'joining'} onChoose={(c) => void call.chooseDevices(c)} onJoin={() => void call.join()} />
        ) : null}
        {view.stage === 'call' && view.screen === 'waiting' ? (
          <>
            <Waiting words={words} view={view} />
            <CallControls words={words} view={view} call={call} />
          </>
        ) : null}
        {view.stage === 'call' && view.screen === 'in-call' ? <InCall words={words} view={view} call={call} /> : null}
        {view.stage === 'call' && view.screen === 'reconnecting' ? <Reconnecting words={words} /> : null}
        {view.stage === 'call' && view.screen === 'ended' ? <Ended words={words} view={view} /> : null}
      </main>
    </div>
  );
}
