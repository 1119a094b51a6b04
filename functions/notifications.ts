/** A member's notification consent, channels and language. */
import { notificationPrefs, setNotificationPrefs } from '../shared/club/notification-prefs';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { MemberPathParams } from '../shared/schemas/members';
import { NotificationPrefsBody } from '../shared/schemas/notifications';
import { wiring } from '../shared/wiring';

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
});
