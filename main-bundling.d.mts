/** Types for main-bundling.mjs (plain JavaScript so esbuild.config.mjs can run it with Node). */
export declare const bundledIntoMain: string[];
export declare function mainExternals(dependencies: Record<string, string>): string[];
