/** Wire types of the API. The domain types are shared with the back end (pure TS, no zod). */
import type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Priority, ResolutionType, TimelineEntry } from '../../../shared/domain/case';
import type { Product, Subject } from '../../../shared/domain/catalog';
import type { Customer, Language } from '../../../shared/domain/customer';
import type { Role } from '../../../shared/domain/principal';

export type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Customer, Language, Priority, Product, ResolutionType, Role, Subject, TimelineEntry };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Me {
  sub: string;
  email: string;
  roles: Role[];
  /** the contact record of a customer user */
  customerId: string | null;
}

export interface CaseQuery {
  state?: CaseState;
  status?: CaseStatus;
  priority?: Priority;
  ownerId?: string;
  queueId?: string;
  customerId?: string;
  limit?: number;
  cursor?: string;
}

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
