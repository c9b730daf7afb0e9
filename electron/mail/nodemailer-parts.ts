/**
 * nodemailer and the parts of it we use outside sending, loaded on first use rather than at
 * start-up: nodemailer's MIME code alone costs tens of milliseconds to load, and most starts
 * send nothing in their first seconds. Loaded synchronously (its CommonJS build, through
 * `createRequire`), so the callers that are synchronous (address checks, envelope addresses,
 * header encoding) stay so, and every caller shares one copy of the library.
 */
import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type addressparserFn from 'nodemailer/lib/addressparser';
import type * as MimeFuncs from 'nodemailer/lib/mime-funcs';
import type MimeNodeClass from 'nodemailer/lib/mime-node';

const load = createRequire(import.meta.url);

/** nodemailer itself (createTransport), on the first send or account test. */
export function nodemailer(): typeof Nodemailer {
  return load('nodemailer') as typeof Nodemailer;
}

/** nodemailer's address parser (lenient; callers check what it returns). */
export const addressparser = ((...args: Parameters<typeof addressparserFn>) =>
  (load('nodemailer/lib/addressparser') as typeof addressparserFn)(...args)) as typeof addressparserFn;

/** RFC 2047 encoded word, as nodemailer writes it. */
export function encodeWord(...args: Parameters<typeof MimeFuncs.encodeWord>): string {
  return (load('nodemailer/lib/mime-funcs') as typeof MimeFuncs).encodeWord(...args);
}

/** nodemailer's MIME node class (for its envelope address normalisation). */
export function mimeNode(): typeof MimeNodeClass {
  return load('nodemailer/lib/mime-node') as typeof MimeNodeClass;
}
