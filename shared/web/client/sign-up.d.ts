import type { Lib } from './lib';

export declare function signUpScript(lib: Lib): void;
