/**
 * Plain words for a request the contract refused because of a length or count limit ("The
 * subject is too long: at most 998 characters.") or one of its own checks (a line break in a
 * display name), so the person learns what to change instead of "The request was not
 * understood". Only those are explained: any other problem
 * (a wrong type, an unknown key) can only come from a bug or a forged call, and keeps the
 * generic answer. Values are never echoed, only field names and limits.
 */
import type { z } from 'zod';

export type IssueText = { field: string; message: string; hint?: string };

type Field = { label: string; kind: 'text' | 'recipients' | 'attachments' | 'other'; hint?: string };

const FIELDS: Record<string, Field> = {
  subject: { label: 'The subject', kind: 'text', hint: 'Shorten the subject.' },
  text: { label: 'The message text', kind: 'text', hint: 'Shorten the text, or send it as an attachment.' },
  to: { label: 'To', kind: 'recipients', hint: 'Split the recipients across several messages.' },
  cc: { label: 'Cc', kind: 'recipients', hint: 'Split the recipients across several messages.' },
  bcc: { label: 'Bcc', kind: 'recipients', hint: 'Split the recipients across several messages.' },
  attachments: {
    label: 'Attachments',
    kind: 'attachments',
    hint: 'Send the files in several messages, or put them in one archive.',
  },
  displayName: { label: 'The display name', kind: 'text' },
  fromAddress: { label: 'The From address', kind: 'text' },
  name: { label: 'The name', kind: 'text' },
};

const MIB = 1024 * 1024;

function characters(n: number): string {
  const plain = `${n.toLocaleString('en-US')} characters`;
  return n >= MIB && n % MIB === 0 ? `${plain} (${n / MIB} MiB)` : plain;
}

function fieldOf(path: PropertyKey[]): { field: Field; entry: number | undefined } | undefined {
  const [head, second] = path;
  if (typeof head !== 'string') return undefined;
  const field = FIELDS[head];
  if (!field) return undefined;
  return { field, entry: typeof second === 'number' ? second : undefined };
}

/** Explains one issue if it is a length or count limit on a field we can name, else undefined. */
export function describeIssue(issue: z.core.$ZodIssue): IssueText | undefined {
  // The contract's own checks (refine) carry messages written for the person, never the value.
  if (issue.code === 'custom') return { field: issue.path.join('.'), message: issue.message };
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return undefined;
  const found = fieldOf(issue.path);
  if (!found) return undefined;
  const { field, entry } = found;
  const fieldName = issue.path.join('.');
  const withHint = (message: string): IssueText =>
    field.hint ? { field: fieldName, message, hint: field.hint } : { field: fieldName, message };
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  if (field.kind === 'recipients' && entry !== undefined) {
    const where = `${field.label} (entry ${entry + 1})`;
    return issue.code === 'too_big'
      ? {
          field: fieldName,
          message: `${where} is too long for an email address: at most ${characters(limit)}.`,
          hint: 'Check the address.',
        }
      : { field: fieldName, message: `${where} is too short to be an email address.`, hint: 'Check the address.' };
  }
  if (issue.code === 'too_small') return undefined;
  if (issue.origin === 'array') {
    if (field.kind === 'recipients')
      return withHint(`${field.label} has too many recipients: at most ${limit} in one field.`);
    if (field.kind === 'attachments' && entry === undefined)
      return withHint(`There are too many attachments: at most ${limit} in one message.`);
    return undefined;
  }
  if (issue.origin === 'string' && entry === undefined)
    return withHint(`${field.label} is too long: at most ${characters(limit)}.`);
  return undefined;
}

/** The first explainable issue, when every issue is explainable; else undefined. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): IssueText | undefined {
  const described = issues.map(describeIssue);
  if (described.length === 0 || described.some((d) => d === undefined)) return undefined;
  return described[0];
}

/** The answer to a request that names a file by its path instead of by a file id. */
export const FILE_PATH_REFUSED = {
  code: 'files.path_refused',
  message:
    "Quicksend does not take a file path from its window: files come only from a drop, the Attach… dialog or Quicksend's own command line.",
  hint: 'Drop the file on the window or use Attach….',
} as const;

/**
 * Whether the request named a file by path (`attachments: [{ path }]`, `{ paths: [...] }`):
 * the contract has no such key any more, so it shows up as an unrecognized key.
 */
export function namesFilePath(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some(
    (issue) => issue.code === 'unrecognized_keys' && issue.keys.some((key) => key === 'path' || key === 'paths'),
  );
}
