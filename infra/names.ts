/** "earn" -> "Earn", "/v1/members/memberId" -> "V1MembersMemberId": stable construct ids. */
export function pascal(s: string): string {
  return s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}
