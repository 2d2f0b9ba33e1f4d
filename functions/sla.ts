/** SLA: business-hours calendars, the policies, where each clock of a case stands, the at-risk view and the measures. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as uc from '../shared/app/sla';
import { atRisk, atRiskCounts, slaMeasures } from '../shared/app/sla-state';
import { AtRiskCountsQuery, AtRiskQuery, CalendarBody, CalendarId, Id, PutSlaPoliciesBody, SlaMeasuresQuery } from '../shared/api/schemas';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, parseQuery, pathParam } from '../shared/http/request';

const versioned = <T extends { version: number }>(status: number, body: T) => ({ status, body, version: body.version });

export const routes: Record<string, Route> = {
  'GET /sla/calendars': async ({ deps, caller }) => ({ status: 200, body: { items: await uc.listCalendars(deps, await caller()), nextCursor: null } }),
  'POST /sla/calendars': async ({ event, deps, caller }) => versioned(201, await uc.addCalendar(deps, await caller(), parseBody(event, CalendarBody))),
  'GET /sla/calendars/{id}': async ({ event, deps, caller }) => versioned(200, await uc.getCalendar(deps, await caller(), pathParam(event, 'id', CalendarId))),
  'PUT /sla/calendars/{id}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const body = parseBody(event, CalendarBody);
    return versioned(200, await uc.replaceCalendar(deps, await caller(), pathParam(event, 'id', CalendarId), body, version));
  },
  'DELETE /sla/calendars/{id}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    await uc.deleteCalendar(deps, await caller(), pathParam(event, 'id', CalendarId), version);
    return { status: 204 };
  },
  'GET /sla/policies': async ({ deps, caller }) => versioned(200, await uc.readPolicies(deps, await caller())),
  'PUT /sla/policies': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const { policies } = parseBody(event, PutSlaPoliciesBody);
    return versioned(200, await uc.replacePolicies(deps, await caller(), policies, version));
  },
  'GET /cases/{id}/sla': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.caseSla(deps, await caller(), pathParam(event, 'id', Id)),
  }),
  'GET /sla/at-risk': async ({ event, deps, caller }) => ({ status: 200, body: await atRisk(deps, await caller(), parseQuery(event, AtRiskQuery)) }),
  'GET /sla/at-risk/counts': async ({ event, deps, caller }) => ({ status: 200, body: await atRiskCounts(deps, await caller(), parseQuery(event, AtRiskCountsQuery)) }),
  'GET /sla/measures': async ({ event, deps, caller }) => ({ status: 200, body: await slaMeasures(deps, await caller(), parseQuery(event, SlaMeasuresQuery)) }),
};

export const handler = httpApi(routes, defaultDeps);
