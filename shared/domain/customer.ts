/** Customers: accounts (organisations) and contacts (people). A case's customer is either. */
export const CUSTOMER_KINDS = ['account', 'contact'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const TIERS = ['standard', 'premium', 'vip'] as const;
export type Tier = (typeof TIERS)[number];
export const LANGUAGES = ['en', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface EmailBounce {
  at: string;
  status: string | null;
  diagnostic: string | null;
}

export interface Customer {
  id: string;
  kind: CustomerKind;
  name: string;
  /** contacts: unique case-insensitively across all customers; accounts: optional, also unique */
  email: string | null;
  phone: string | null;
  tier: Tier;
  language: Language;
  /** contacts may belong to an account */
  accountId: string | null;
  /** set when mail to this address bounced permanently; cleared when the address changes or mail comes from it again */
  emailBounce?: EmailBounce | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Case-insensitive uniqueness key; the stored e-mail keeps the user's spelling. */
export const emailKey = (email: string) => email.trim().toLowerCase();

/** A name sort key that ignores case and Arabic/Persian letter variants (ي/ی, ك/ک). */
export const nameKey = (name: string) =>
  name.trim().toLowerCase().replace(/ي/g, 'ی').replace(/ك/g, 'ک').normalize('NFKC');
