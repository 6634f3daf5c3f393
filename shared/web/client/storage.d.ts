import type { ClientStorage } from './lib';

export declare function clientStorage(): ClientStorage;
