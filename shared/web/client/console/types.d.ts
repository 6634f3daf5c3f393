import type { Answer, Lib, Problem, SessionUser } from '../lib';

/** The console's sections, in the order the navigation lists them. */
export type SectionId = 'settings' | 'groups' | 'invite' | 'invitations' | 'users' | 'import' | 'export' | 'audit';

/** What one section tells the others: "what you show may have changed". */
export type ConsoleEvent = 'audit-changed' | 'invitations-changed' | 'groups-changed';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export type Role = 'admin' | 'member' | 'guest';

export interface Group {
  id: string;
  name: string;
  isDefault: boolean;
}

export interface Section {
  id: SectionId;
  /** Called each time the section is shown, so that what it shows is fresh. */
  show(): void | Promise<void>;
}

export interface PagedListOptions<T> {
  path: string | (() => string);
  /** The query, without cursor; undefined when the filter is not valid (the list stays as it is). */
  params?: () => URLSearchParams | undefined;
  cursorParam?: string;
  /** The items and the next cursor of an answer; by default `items` and `nextCursor`. */
  page?: (data: never) => { items: T[]; nextCursor: string | null };
  row: (item: T) => Node;
  rows: HTMLElement;
  more: HTMLButtonElement;
  empty?: HTMLElement;
  message: HTMLElement;
}

export interface PagedList<T> {
  /** The first page again. */
  reload(): Promise<void>;
  /** Shows a first page read elsewhere (an import's status carries its first errors). */
  show(page: { items: T[]; nextCursor: string | null }): void;
}

/** Helpers every section uses (kit.js). */
export interface Kit {
  cell(label: string, ...children: (Node | string)[]): HTMLTableCellElement;
  statusBadge(status: InvitationStatus): HTMLSpanElement;
  /** The catalogue's text for a key built at run time, or the fallback. */
  textOr(key: string, fallback: string): string;
  failed(problem: Problem, region: HTMLElement): void;
  download(path: string, fileName: string, region: HTMLElement): Promise<void>;
  downloadLinked(path: string, region: HTMLElement): Promise<void>;
  pause(ms: number): Promise<void>;
  pagedList<T>(options: PagedListOptions<T>): PagedList<T>;
  allGroups(region: HTMLElement): Promise<Group[] | undefined>;
  showCode(container: HTMLElement, title: string, code: AccessCode, identifier?: string): void;
  /** What a uid is, as the API's Uid schema says (the page carries the pattern). */
  uidRule: RegExp;
}

export interface AccessCode {
  accessCode: string;
  expiresAt: string;
}

/** The console's frame (shell.js): sections register with it and talk through its bus. */
export interface Shell {
  register(section: Section): void;
  isShown(id: SectionId): boolean;
  on(event: ConsoleEvent, listener: () => void): void;
  emit(event: ConsoleEvent): void;
  /** The signed-in admin, once the console has started. */
  me(): SessionUser | undefined;
}

/** What the console's scripts share on the page. */
export interface ConsolePage {
  kit: Kit;
  shell: Shell;
}

export type { Answer, Lib };
