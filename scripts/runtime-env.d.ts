export declare const V8_MEMORY_FLAGS: readonly string[];
export declare const API_V8_MEMORY_FLAGS: readonly string[];
export declare function runtimeEnv(env?: NodeJS.ProcessEnv, options?: { api?: boolean }): NodeJS.ProcessEnv;
