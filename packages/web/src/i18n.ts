// Italian and English. Italian is the default for an Italian browser; the
// choice is remembered in the browser. Every key exists in both languages
// (i18n.test.ts checks it), so a missing translation fails a test, not a user.
import { createContext, useContext } from 'react';

export type Language = 'it' | 'en';

const it = {
  'app.name': 'Centralino',
  'login.title': 'Accedi',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Entra',
  'login.showPassword': 'Mostra o nascondi la password',
  'login.failed': 'E-mail o password non validi',
  'shell.logout': 'Esci',
  'shell.language': 'Lingua',
  'shell.signedInAs': 'Accesso come',
  'home.title': 'Benvenuto',
  'home.areas': 'Le tue aree',
  'area.planner': 'Pianificazione',
  'area.planner.description': 'Calcolatore Erlang: operatori necessari per un livello di servizio',
  'area.apiDocs': 'Documentazione API',
  'area.apiDocs.description': 'Tutte le funzioni, anche quelle non ancora nell’interfaccia',
  'role.admin': 'Amministratore',
  'role.supervisor': 'Supervisore',
  'role.planner': 'Pianificatore',
  'role.quality': 'Qualità',
  'role.operator': 'Operatore',
  'role.client_viewer': 'Cliente',
  'role.integration': 'Integrazione',
  'erlang.title': 'Calcolatore Erlang',
  'erlang.model': 'Modello',
  'erlang.model.c': 'Erlang C (nessun abbandono)',
  'erlang.model.a': 'Erlang A (con abbandoni)',
  'erlang.calls': 'Contatti nell’intervallo',
  'erlang.intervalMinutes': 'Intervallo (minuti)',
  'erlang.ahtSeconds': 'Durata media di gestione (s)',
  'erlang.thresholdSeconds': 'Soglia di risposta (s)',
  'erlang.targetServiceLevel': 'Livello di servizio obiettivo (%)',
  'erlang.patienceSeconds': 'Pazienza media (s)',
  'erlang.shrinkage': 'Shrinkage (%)',
  'erlang.agents': 'Operatori necessari',
  'erlang.scheduledAgents': 'Operatori da pianificare (con shrinkage)',
  'erlang.serviceLevel': 'Livello di servizio',
  'erlang.asa': 'Tempo medio di attesa (ASA)',
  'erlang.occupancy': 'Occupazione',
  'erlang.probabilityOfWaiting': 'Probabilità di attesa',
  'erlang.abandonRate': 'Tasso di abbandono',
  'erlang.calculating': 'Calcolo…',
  'error.generic': 'Qualcosa è andato storto',
  'error.notFound': 'Pagina non trovata',
} as const;

export type MessageKey = keyof typeof it;

const en: Record<MessageKey, string> = {
  'app.name': 'Centralino',
  'login.title': 'Sign in',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.showPassword': 'Show or hide the password',
  'login.failed': 'Wrong e-mail or password',
  'shell.logout': 'Sign out',
  'shell.language': 'Language',
  'shell.signedInAs': 'Signed in as',
  'home.title': 'Welcome',
  'home.areas': 'Your areas',
  'area.planner': 'Planning',
  'area.planner.description': 'Erlang calculator: operators needed for a service level',
  'area.apiDocs': 'API documentation',
  'area.apiDocs.description': 'Everything the product does, including what the interface does not show yet',
  'role.admin': 'Administrator',
  'role.supervisor': 'Supervisor',
  'role.planner': 'Planner',
  'role.quality': 'Quality',
  'role.operator': 'Operator',
  'role.client_viewer': 'Client',
  'role.integration': 'Integration',
  'erlang.title': 'Erlang calculator',
  'erlang.model': 'Model',
  'erlang.model.c': 'Erlang C (no abandonment)',
  'erlang.model.a': 'Erlang A (with abandonment)',
  'erlang.calls': 'Contacts in the interval',
  'erlang.intervalMinutes': 'Interval (minutes)',
  'erlang.ahtSeconds': 'Average handle time (s)',
  'erlang.thresholdSeconds': 'Answer threshold (s)',
  'erlang.targetServiceLevel': 'Target service level (%)',
  'erlang.patienceSeconds': 'Mean patience (s)',
  'erlang.shrinkage': 'Shrinkage (%)',
  'erlang.agents': 'Operators needed',
  'erlang.scheduledAgents': 'Operators to schedule (with shrinkage)',
  'erlang.serviceLevel': 'Service level',
  'erlang.asa': 'Average speed of answer (ASA)',
  'erlang.occupancy': 'Occupancy',
  'erlang.probabilityOfWaiting': 'Probability of waiting',
  'erlang.abandonRate': 'Abandon rate',
  'erlang.calculating': 'Calculating…',
  'error.generic': 'Something went wrong',
  'error.notFound': 'Page not found',
};

export const messages: Record<Language, Record<MessageKey, string>> = { it, en };

const STORAGE_KEY = 'centralino.language';

/**
 * The remembered choice; else the first of the browser's languages that we
 * speak; else Italian when the browser states none, English when it states
 * only others (a German browser reads English more easily than Italian).
 */
export function initialLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored === 'it' || stored === 'en') return stored;
  for (const tag of browserLanguages) {
    const language = tag.toLowerCase().slice(0, 2);
    if (language === 'it' || language === 'en') return language;
  }
  return browserLanguages.length === 0 ? 'it' : 'en';
}

export function rememberLanguage(language: Language) {
  localStorage.setItem(STORAGE_KEY, language);
}

export function storedLanguage(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export type I18n = {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey) => string;
  formatNumber: (value: number, options?: Intl.NumberFormatOptions) => string;
};

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nContext');
  return i18n;
}

export function createI18n(language: Language, setLanguage: (language: Language) => void): I18n {
  const locale = language === 'it' ? 'it-IT' : 'en-GB';
  return {
    language,
    setLanguage,
    t: (key) => messages[language][key],
    formatNumber: (value, options) => new Intl.NumberFormat(locale, options).format(value),
  };
}
