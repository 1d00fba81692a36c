import { useEffect, useRef } from 'react';
import type { FailureKind, Words } from '../i18n';

/** One failure: what happened, what to do next, the detail for support, and Retry. */
export function FailurePanel({ words, kind, detail, onRetry }: { words: Words; kind: FailureKind; detail: string; onRetry: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [kind]);
  const failure = words.failures[kind];
  return (
    <section className="failure" role="alert" aria-labelledby="failure-title" data-failure={kind}>
      <h2 id="failure-title" tabIndex={-1} ref={heading}>
        {failure.title}
      </h2>
      <p className="next">{failure.next}</p>
      <p className="detail">
        {words.detail}: <code>{detail}</code>
      </p>
      <button type="button" className="primary" onClick={onRetry}>
        {words.retry}
      </button>
    </section>
  );
}
