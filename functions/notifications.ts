/** Message consent, channels and language: staff's view of a member's, the member's own, and a message's opt-out link. */
import { notificationPrefs, setNotificationPrefs } from '../shared/club/notification-prefs';
import { optOut } from '../shared/club/opt-out';
import { json, type HtmlText, type Reply } from '../shared/http/errors';
import { input, jsonBody, routeTable, type ClubRequest } from '../shared/http/route-handler';
import { OPT_OUT_PAGE_HEADERS, optOutPage } from '../shared/portal/opt-out-page';
import { MemberPathParams } from '../shared/schemas/members';
import { NotificationPrefsBody, UnsubscribeQuery } from '../shared/schemas/notifications';
import { wiring } from '../shared/wiring';

/** The opt-out page (GET asks, POST stops the channel): HTML, as a person opens it from a message. */
async function optOutAnswer(req: ClubRequest, apply: boolean): Promise<Reply<200, HtmlText>> {
  const { t } = input(UnsubscribeQuery, req.query, 'query');
  const view = await optOut(wiring().jobs, t, apply);
  return { statusCode: 200, headers: { ...OPT_OUT_PAGE_HEADERS }, body: optOutPage({ ...view, token: t, done: apply }) };
}

export const handler = routeTable({
  'GET /v1/members/{memberId}/notifications': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    return json(200, await notificationPrefs(wiring().jobs, memberId));
  },
  'PUT /v1/members/{memberId}/notifications': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const body = input(NotificationPrefsBody, jsonBody(req), 'body');
    return json(200, await setNotificationPrefs(wiring().jobs, memberId, body));
  },

  // The member's own consent: the same use case, body and answer as staff's, for the member the link names.
  'GET /v1/me/notifications': async (req) => json(200, await notificationPrefs(wiring().jobs, req.member!.memberId)),
  'PUT /v1/me/notifications': async (req) => {
    const body = input(NotificationPrefsBody, jsonBody(req), 'body');
    return json(200, await setNotificationPrefs(wiring().jobs, req.member!.memberId, body));
  },

  'GET /v1/unsubscribe': (req) => optOutAnswer(req, false),
  'POST /v1/unsubscribe': (req) => optOutAnswer(req, true),
});
