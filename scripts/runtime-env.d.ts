export declare const V8_MEMORY_FLAGS: readonly string[];
export declare function runtimeEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
