/**
 * What the relay needs to know about an account. Core fills it from the account directory
 * (accounts/sending-account.ts), so the relay never touches tokens or the account store.
 */
export type RelayAccount = {
  id: string;
  /** The signed-in address (the XOAUTH2 user). */
  address: string;
  /** The send-as From address; may equal `address`. */
  fromAddress: string;
  displayName: string;
  /** The provider's largest message in bytes (already encoded, as a raw message is). */
  messageLimitBytes: number;
};

export interface RelayAccounts {
  get(accountId: string): RelayAccount | undefined;
}

/** The addresses a credential of this account may send as, lower-cased, without repeats. */
export function allowedSenders(account: RelayAccount): string[] {
  return [...new Set([account.address, account.fromAddress].map((address) => address.toLowerCase()))];
}
