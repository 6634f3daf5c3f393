import type { StringKey } from '../i18n';
/**
 * Types of the browser code (the .js files beside this one). They are checked with the DOM
 * library by their own tsconfig.json (test/unit/web-client.test.ts runs it); the server sees
 * only these declarations, so Node code is never typed against the DOM.
 */
export interface SessionUser {
  id: string;
  uid?: string;
  email?: string;
  signInIdentifier: string;
  role: 'admin' | 'member' | 'guest';
  organization: { id: string; name: string; domain: string };
  mustChangePassword: boolean;
}

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: SessionUser;
  deviceToken?: string;
}

export interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  /** Seconds, from Retry-After. */
  retryAfter?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer<T = any> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

export type Child = Node | string | number | null | undefined | false;
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** What the browser keeps (storage.js). */
export interface ClientStorage {
  session: Lib['session'];
  devices: Lib['devices'];
}

export interface Lib {
  lang: string;
  /** A text of the catalogue: a key it does not have fails the typecheck. */
  t(key: StringKey, vars?: Record<string, string | number>): string;
  byId(id: string): HTMLElement;
  input(id: string): HTMLInputElement;
  form(id: string): HTMLFormElement;
  button(id: string): HTMLButtonElement;
  h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
  session: { get(): StoredSession | undefined; set(value: StoredSession): void; clear(): void };
  /** This device's token for a sign-in identifier, kept across tabs. */
  devices: { get(identifier: string): string | undefined; keep(identifier: string, token: string): void };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api<T = any>(method: string, path: string, body?: unknown): Promise<Answer<T>>;
  problemText(problem: Problem): string;
  say(region: HTMLElement, text: string, kind?: 'error' | 'ok' | 'info'): void;
  fieldError(input: HTMLElement, text: string, focus?: boolean): void;
  clearErrors(container: HTMLElement): void;
  submitButton(form: HTMLFormElement): HTMLButtonElement | null;
  busy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T>;
  announce(text: string): void;
  copy(text: string, button: HTMLButtonElement): Promise<void>;
  copyButton(text: () => string, label?: string): HTMLButtonElement;
  formatDate(iso: string | undefined): string;
  /** A UTC day (YYYY-MM-DD) as the browser's variant of the page's language writes a date. */
  formatDay(day: string | undefined): string;
  showPasswordToggle(checkbox: HTMLInputElement, ...inputs: HTMLInputElement[]): void;
  passwordProblem(problem: Problem, input: HTMLInputElement): boolean;
  destinationOf(user: SessionUser): string;
  enableSignOut(): void;
  revealScripted(): void;
  /** The code in the address's fragment (`#code=…`), or ''; removes the fragment from the address bar and the history entry. */
  takeCodeFromAddress(): string;
  /** Empties the fields when the page is left, so that Back does not bring their values back. */
  forgetOnLeave(...inputs: HTMLInputElement[]): void;
}

/** The shared browser library; page scripts get it as their one argument. */
export declare function clientLib(storage: ClientStorage): Lib;
