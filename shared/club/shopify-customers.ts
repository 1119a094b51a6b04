/** The member a Shopify customer is, for the app proxy's page: found by the shop's customer id, or enrolled on their first visit. */
import { concurrentUpdate, DomainError } from '../domain/errors';
import type { Member } from '../domain/member';
import type { ClubDeps } from './deps';
import { enrolMember } from './members';

/**
 * The customer's member, enrolled now (channel shopify, the sign-up bonus and the
 * pilot's rules as any enrolment) when the club has none. The shopify claim is
 * written in the enrolment's transaction, so two first visits at once make one
 * member: the loser is refused ALREADY_EXISTS and reads the winner's.
 */
export async function memberOfShopifyCustomer(deps: ClubDeps, customerId: string): Promise<Member> {
  const claim = { kind: 'shopify', value: customerId } as const;
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await deps.store.findMemberIdByClaim(claim);
    const member = found ? await deps.store.getMember(found) : undefined;
    if (member) return member;
    try {
      return await enrolMember(deps, { channel: 'shopify', externalIds: { shopify: customerId } });
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'ALREADY_EXISTS')) throw err;
    }
  }
  throw concurrentUpdate('the customer is being enrolled by another visit; try again');
}
