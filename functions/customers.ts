/** Customer routes: accounts and contacts. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as uc from '../shared/app/customers';
import { CreateCustomerBody, CustomerQuery, Id, PatchCustomerBody } from '../shared/api/schemas';
import type { Customer } from '../shared/domain/customer';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, parseQuery, pathParam } from '../shared/http/request';

const one = (c: Customer, status = 200) => ({ status, body: c, version: c.version });

export const routes: Record<string, Route> = {
  'GET /customers': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.listCustomers(deps, await caller(), parseQuery(event, CustomerQuery)),
  }),
  'POST /customers': async ({ event, deps, caller }) => {
    const c = await uc.createCustomer(deps, await caller(), parseBody(event, CreateCustomerBody));
    return { ...one(c, 201), headers: { location: `/customers/${c.id}` } };
  },
  'GET /customers/{id}': async ({ event, deps, caller }) =>
    one(await uc.readCustomer(deps, await caller(), pathParam(event, 'id', Id))),
  'PATCH /customers/{id}': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const version = ifMatch(event, true)!;
    return one(await uc.updateCustomer(deps, await caller(), id, parseBody(event, PatchCustomerBody), version));
  },
};

export const handler = httpApi(routes, defaultDeps);
