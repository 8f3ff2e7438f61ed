// Types of scripts/build.mjs (plain JavaScript, so it runs before anything is compiled).
export declare const ROOT: string;
export declare const DIST: string;
export declare function ensureBuilt(options?: { strict?: boolean; force?: boolean }): Promise<number>;
export declare function compiled(sourcePath: string): string;
