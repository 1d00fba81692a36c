import { useEffect, useRef } from 'react';
import type { FailureKind, Lang, Words } from '../i18n';
import { formatOpening } from '../i18n';

/** A heading that takes keyboard focus when it appears, so a screen reader reads the new screen. */
function FocusedHeading({ id, text }: { id: string; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [id]);
  return (
    <h2 id={id} tabIndex={-1} ref={ref}>
      {text}
    </h2>
  );
}

export function FailurePanel({ words, kind, detail, helpUrl, onRetry }: { words: Words; kind: FailureKind; detail: string; helpUrl?: string; onRetry: () => void }) {
  const failure = words.failures[kind];
  return (
    <section className="failure" role="alert" aria-labelledby="failure-title" data-failure={kind}>
      <FocusedHeading id="failure-title" text={failure.title} />
      <p className="next">{failure.next}</p>
      <p className="detail">
        {words.detail}: <code>{detail}</code>
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onRetry}>
          {words.retry}
        </button>
        {helpUrl ? <a href={helpUrl}>{words.help}</a> : null}
      </div>
    </section>
  );
}

export function ClosedPanel({ words, lang, opensAt, timeZone }: { words: Words; lang: Lang; opensAt?: Date; timeZone: string }) {
  return (
    <section className="notice" aria-labelledby="closed-title" data-screen="closed">
      <FocusedHeading id="closed-title" text={words.closedTitle} />
      <p data-testid="opens-at">{opensAt ? words.opensAt(formatOpening(opensAt, lang, timeZone)) : words.opensUnknown}</p>
      <p>{words.closedNext}</p>
    </section>
  );
}
