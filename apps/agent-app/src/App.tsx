import { useEffect, useMemo, useRef, useState } from 'react';
import { createAgentCall, type AgentCallView } from './agentCall';
import { langOf, WORDS, type Lang } from './i18n';
import type { LaunchParse } from './launch';
import { CallView } from './ui/CallView';
import { FailurePanel } from './ui/FailurePanel';
import { LanguageSwitch } from './ui/LanguageSwitch';

export function App({ launch, href }: { launch: LaunchParse; href: string }) {
  const [lang, setLang] = useState<Lang>(() => langOf(launch.context?.langTag));
  const [view, setView] = useState<AgentCallView>({ cameraHeld: false, cameraUserOff: false, citizenPaused: false, status: 'starting' });
  const call = useMemo(() => createAgentCall(launch, href, (change) => setView((v) => ({ ...v, ...change }))), [launch, href]);
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
  const statusText = view.failure ? '' : view.status ? words.status[view.status] : '';
  return (
    <div className="app">
      <header className="bar">
        <h1 className="title">{words.appName}</h1>
        <LanguageSwitch lang={lang} onChange={setLang} />
      </header>
      <p className="status" role="status" aria-live="polite" data-testid="status" data-status={view.status ?? ''}>
        {statusText}
      </p>
      {view.failure ? (
        <FailurePanel words={words} kind={view.failure.kind} detail={view.failure.detail} onRetry={() => call.retry()} />
      ) : (
        <CallView words={words} view={view} call={call} />
      )}
    </div>
  );
}
