/**
 * What item 6 loads: the core and the Node ports, bundled by bench/startup.ts the way
 * esbuild.config.mjs bundles main.ts (dependencies external, loaded from node_modules at run
 * time), so the measurement sees production-shaped code rather than tsx compiling on the fly.
 */
export { createCore } from '../electron/core';
export { createNodePorts } from '../test/support/node-ports';
