import type { Lib } from './lib';

export declare function passwordResetScript(lib: Lib): void;
