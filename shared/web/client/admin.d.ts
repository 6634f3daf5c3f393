import type { Lib } from './lib';

export declare function adminScript(lib: Lib): void;
