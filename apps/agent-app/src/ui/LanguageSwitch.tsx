import type { Lang } from '../i18n';

const NAMES: Record<Lang, string> = { en: 'English', fr: 'Français' };

export function LanguageSwitch({ lang, onChange }: { lang: Lang; onChange: (lang: Lang) => void }) {
  return (
    <div className="lang" role="group" aria-label={lang === 'fr' ? 'Langue' : 'Language'}>
      {(Object.keys(NAMES) as Lang[]).map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === lang} onClick={() => onChange(l)}>
          {NAMES[l]}
        </button>
      ))}
    </div>
  );
}
