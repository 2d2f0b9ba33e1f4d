/** Routing configuration and the dry run. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as uc from '../shared/app/routing';
import { DryRunBody, Id, PutRuleSetBody } from '../shared/api/schemas';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, pathParam } from '../shared/http/request';

export const routes: Record<string, Route> = {
  'GET /routing/rules': async ({ deps, caller }) => {
    const set = await uc.readRuleSet(deps, await caller());
    return { status: 200, body: set, version: set.version };
  },
  'PUT /routing/rules': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const { rules } = parseBody(event, PutRuleSetBody);
    const set = await uc.replaceRuleSet(deps, await caller(), rules, version);
    return { status: 200, body: set, version: set.version };
  },
  'POST /queues/{id}/pick': async ({ event, deps, caller }) => {
    const c = await uc.pickNext(deps, await caller(), pathParam(event, 'id', Id));
    return { status: 200, body: c, version: c.version };
  },
  'POST /cases/{id}/route': async ({ event, deps, caller }) => {
    const c = await uc.rerouteNow(deps, await caller(), pathParam(event, 'id', Id), ifMatch(event, false));
    return { status: 200, body: c, version: c.version };
  },
  'POST /routing/test': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.dryRun(deps, await caller(), parseBody(event, DryRunBody)),
  }),
};

export const handler = httpApi(routes, defaultDeps);
