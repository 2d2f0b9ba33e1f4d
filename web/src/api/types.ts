/** Wire types of the API. The domain types are shared with the back end (pure TS, no zod). */
import type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Priority, ResolutionType, TimelineEntry } from '../../../shared/domain/case';
import type { Product, Subject } from '../../../shared/domain/catalog';
import type { Customer, Language } from '../../../shared/domain/customer';
import type { Role } from '../../../shared/domain/principal';
import type { CaseQuery as StoreCaseQuery } from '../../../shared/ports';

export type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Customer, Language, Priority, Product, ResolutionType, Role, Subject, TimelineEntry };

export type { Page } from '../../../shared/ports';

export interface Me {
  sub: string;
  email: string;
  roles: Role[];
  /** the contact record of a customer user */
  customerId: string | null;
}

/** The list filters the API takes (the server's query, with its default page size). */
export type CaseQuery = Omit<StoreCaseQuery, 'limit'> & { limit?: number };

export interface CreateCaseInput {
  title: string;
  description: string;
  customerId?: string;
  subjectId?: string | null;
  productId?: string | null;
  caseType?: CaseType;
  priority?: Priority;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface CasePatch {
  title?: string;
  description?: string;
  subjectId?: string | null;
  productId?: string | null;
  caseType?: CaseType;
  priority?: Priority;
  status?: ActiveStatus;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface ResolveInput {
  resolutionType: ResolutionType;
  text: string;
  minutesSpent: number;
}

/** A case together with the version to send back in If-Match. */
export interface Versioned<T> {
  value: T;
  version: number;
}
