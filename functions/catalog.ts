/** Subject tree and product catalogue. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as uc from '../shared/app/catalog';
import { CreateProductBody, CreateSubjectBody, PageQuery } from '../shared/api/schemas';
import { type Route, httpApi } from '../shared/http/api';
import { parseBody, parseQuery } from '../shared/http/request';

export const routes: Record<string, Route> = {
  'GET /subjects': async ({ deps, caller }) => {
    await caller();
    return { status: 200, body: { items: await uc.listSubjects(deps), nextCursor: null } };
  },
  'POST /subjects': async ({ event, deps, caller }) => ({
    status: 201,
    body: await uc.addSubject(deps, await caller(), parseBody(event, CreateSubjectBody)),
  }),
  'GET /products': async ({ event, deps, caller }) => {
    await caller();
    return { status: 200, body: await deps.catalog.listProducts(parseQuery(event, PageQuery)) };
  },
  'POST /products': async ({ event, deps, caller }) => ({
    status: 201,
    body: await uc.addProduct(deps, await caller(), parseBody(event, CreateProductBody)),
  }),
};

export const handler = httpApi(routes, defaultDeps);
