import type { Lib } from './lib';

export declare function signInScript(lib: Lib): void;
