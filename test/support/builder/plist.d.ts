// plist 3.1.0 ships no types. It comes with app-builder-lib and is the parser @electron/osx-sign
// reads entitlements with, so our check reads them the same way.
declare module 'plist' {
  /** Parses an XML property list into plain values (lenient about malformed XML: check first). */
  export function parse(xml: string): unknown;
  const plist: { parse: typeof parse };
  export default plist;
}
