import type { Answer, Lib, Problem, SessionUser } from '../lib';

/** The console's sections, in the order the navigation lists them. */
export type SectionId = 'settings' | 'groups' | 'invite' | 'invitations' | 'users' | 'import' | 'export' | 'audit' | 'api-keys';

/** What one section tells the others: "what you show may have changed". */
export type ConsoleEvent = 'audit-changed' | 'invitations-changed' | 'groups-changed';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export type UserStatus = 'active' | 'deactivated';
export type Role = 'admin' | 'member' | 'guest';

/** A line of GET /v1/admin/users. */
export interface UserSummary {
  id: string;
  uid?: string;
  email?: string;
  signInIdentifier: string;
  role: Role;
  status: UserStatus;
  firstName?: string;
  lastName?: string;
  groups: { id: string; name: string }[];
  createdAt: string;
  /** The UTC day (YYYY-MM-DD); the detail has the exact time. */
  lastSignInDate?: string;
}

/** GET /v1/admin/users/{id}, and the answer of every change to a user. */
export interface UserDetail extends UserSummary {
  lastSignInAt?: string;
  mustChangePassword: boolean;
  deactivatedAt?: string;
  resetCodeExpiresAt?: string;
}

/** How the user panel tells the list what became of its user. */
export interface UserChanges {
  changed(user: UserDetail): void;
  deleted(): void;
}

/** What a part of the user panel may do with the panel. */
export interface UserPanelContext {
  /** Draws the user as the API answered, in the panel and in its row, and says what was done. */
  changed(user: UserDetail, done?: string): void;
  /** Reads the user again, then as changed(). */
  reload(done?: string): Promise<void>;
  deleted(): void;
  /** The panel's message area (problems, and what was done). */
  message: HTMLElement;
  /** Where a one-time secret (a reset code) shows; redrawing the panel keeps it. */
  result: HTMLElement;
}

/** The parts of a user's panel, each from its own script (user-*.js). */
export interface UserPanelParts {
  /** Names, role, groups and uid → PATCH. */
  editForm(user: UserDetail, panel: UserPanelContext): HTMLElement;
  /** A reset code first, a temporary password as the second way. */
  passwordHelp(user: UserDetail, panel: UserPanelContext): HTMLElement;
  /** Deactivate or reactivate, sign out everywhere, delete. */
  accountActions(user: UserDetail, panel: UserPanelContext): HTMLElement;
}

export interface UserPanel {
  /** Opens the panel of a user in a table row after `row` (closing any other); the same call again closes it. */
  toggle(user: UserSummary, row: HTMLTableRowElement, changes: UserChanges, opener: HTMLButtonElement): void;
}

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
  statusBadge(status: InvitationStatus | UserStatus): HTMLSpanElement;
  /** Asks in a modal dialog; resolves true when the person confirms. */
  confirm(question: string, confirmLabel: string, danger?: boolean): Promise<boolean>;
  /** "First Last", or '' when the person has no name. */
  fullName(person: { firstName?: string; lastName?: string }): string;
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

export type LetterLayout = 'letter' | 'cards';

/** Which pending invitations a letter run prints (POST /v1/admin/letters, without the language: the page's). */
export type LetterRequest =
  | { invitationIds: string[]; layout: LetterLayout }
  | { filter: { status?: ['pending']; importId?: string; role?: 'member' | 'guest'; q?: string }; layout: LetterLayout };

/** Letters and cards to print (letters.js). */
export interface Letters {
  /** Starts a letter run and follows it, showing in `box` its state, how many letters it holds and the PDF's link. */
  run(request: LetterRequest, box: HTMLElement): Promise<void>;
  /** The link to a PDF of letters (a presigned GET). */
  link(downloadUrl: string): HTMLElement;
  /** The catalogue's `key.one` or `key.other`, as the page's language says for count. */
  countText(key: string, count: number, vars?: Record<string, string | number>): string;
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
  /** Filled by the user-*.js scripts, read by user-panel.js. */
  userParts: Partial<UserPanelParts>;
  userPanel: UserPanel;
  letters: Letters;
  /** The invitations list's filter as last applied (invitations.js), for its letters; undefined until it has loaded. */
  invitationFilter?: () => { role?: 'member' | 'guest'; q?: string } | undefined;
}

export type { Answer, Lib };
