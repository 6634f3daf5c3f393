import type { Lib } from './lib';

export declare function welcomeScript(lib: Lib): void;
