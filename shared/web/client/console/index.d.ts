import type { Lib } from '../lib';
import type { ConsolePage } from './types';

type ConsoleScript = (lib: Lib, page: ConsolePage) => void;

export declare const consoleKit: ConsoleScript;
export declare const consoleShell: ConsoleScript;
export declare const settingsSection: ConsoleScript;
export declare const groupsSection: ConsoleScript;
export declare const inviteSection: ConsoleScript;
export declare const lettersKit: ConsoleScript;
export declare const invitationsSection: ConsoleScript;
export declare const userEditForm: ConsoleScript;
export declare const userPasswordHelp: ConsoleScript;
export declare const userAccountActions: ConsoleScript;
export declare const userPanel: ConsoleScript;
export declare const usersSection: ConsoleScript;
export declare const importSection: ConsoleScript;
export declare const exportSection: ConsoleScript;
export declare const auditSection: ConsoleScript;
export declare const apiKeysSection: ConsoleScript;
